"""Public pages over HTTP under load, as ratios to a constant "floor" view.

`make bench` runs it: builds the benchmark database with seed_demo (its own database,
newsroom_bench), starts gunicorn as in production (one worker per core, DEBUG off,
whitenoise) twice, once with the page cache and once without, and drives both from wrk
(Debian's package, installed if missing) on loopback, in interleaved rounds (floor, page,
page, floor, ...) so drift on a shared machine cancels out. Prints a Markdown table.
`--quick` is a smoke run: a small database, one short round.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)


def ensure_wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    print("Installing Debian's wrk", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(page_cache_seconds: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(articles: int):
    env = server_environment(300)
    subprocess.run([PYTHON, "-m", "newsroom.dbsetup"], cwd=ROOT, env=env, check=True)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--articles", str(articles), env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)


def start_server(page_cache_seconds: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(os.cpu_count() or 1),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_environment(page_cache_seconds),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/__floor__/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer on {base}")


def pages(base: str) -> dict[str, str]:
    html = urllib.request.urlopen(base + "/").read().decode()
    article = re.search(r'href="(/article/\d+/[^"]+)"', html).group(1)
    section = re.search(r'href="(/section/[^"/]+/)"', html).group(1)
    article_page = urllib.request.urlopen(base + article).read().decode()
    author = re.search(r'href="(/author/[^"/]+/)"', article_page)
    found = {"front page": "/", "section": section, "article": article}
    if author:
        found["author"] = author.group(1)
    return found


def wrk(wrk_path: str, url: str, seconds: int) -> tuple[float, float, float]:
    output = subprocess.run(
        [wrk_path, "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rate, percentile("50"), percentile("99")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    options = parser.parse_args()
    if options.quick:
        options.articles, options.rounds, options.seconds = 60, 1, 2
    wrk_path = ensure_wrk()
    prepare(options.articles)
    servers = {"cached": start_server(300), "cold": start_server(0)}
    try:
        paths = pages(servers["cached"][1])
        results: dict[tuple[str, str], list] = {}
        for _ in range(options.rounds):
            for mode, (_, base) in servers.items():
                for name, path in [("floor", "/__floor__/"), *paths.items()]:
                    results.setdefault((mode, name), []).append(
                        wrk(wrk_path, base + path, options.seconds)
                    )
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    print(f"\n{options.articles} articles, {os.cpu_count()} workers, {options.rounds} rounds\n")
    print("| page | cache | req/s | p50 ms | p99 ms | ratio to floor |")
    print("|---|---|---:|---:|---:|---:|")
    for (mode, name), runs in results.items():
        floors = results[(mode, "floor")]
        rate = sum(run[0] for run in runs) / len(runs)
        floor_rate = sum(run[0] for run in floors) / len(floors)
        p50 = sorted(run[1] for run in runs)[len(runs) // 2]
        p99 = max(run[2] for run in runs)
        print(f"| {name} | {mode} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {rate / floor_rate:.2f} |")


if __name__ == "__main__":
    main()
