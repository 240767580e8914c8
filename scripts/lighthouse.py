"""Lighthouse's four scores for the pages readers open most: `make lighthouse`.

Serves the demo newsroom as production would (DEBUG off, gunicorn, hashed and compressed
static files, every photo's renditions made) on a spare loopback port, runs Lighthouse (the
npm package installed under .lighthouse/, driving Debian's chromium through CHROME_PATH)
against the front page, an article with its comments, a section, an author and, once the
site has one, the search page, and prints each page's four scores with the audits that
cost any category points. Mobile emulation, Lighthouse's default, unless --desktop.

Everything listens on 127.0.0.1 only; the server stops when the script ends.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIGHTHOUSE = str(ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(port: int) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        # Plain HTTP on loopback: no redirect to HTTPS, no HSTS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SERVE_MEDIA": "true",
        # Renditions are made in this process, as the task worker would make them.
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
    }


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def pages(env: dict) -> dict[str, str]:
    """The address of each page to measure, found in the demo database."""
    script = (
        "import json\n"
        "from django.urls import NoReverseMatch, reverse\n"
        "from articles.models import Article, Author, Section\n"
        "article = Article.objects.published().order_by('-comment_count', '-published_at')[0]\n"
        "authors = Author.objects.known_to_readers().filter(bylines__isnull=False)\n"
        "author = authors.order_by('pk')[0]\n"
        "found = {'front': '/', 'article': article.get_absolute_url(),\n"
        "         'section': article.section.get_absolute_url(),\n"
        "         'author': author.get_absolute_url()}\n"
        "for name in ('search:results', 'articles:search'):\n"
        "    try:\n"
        "        found['search'] = reverse(name) + '?q=transport'\n"
        "        break\n"
        "    except NoReverseMatch:\n"
        "        pass\n"
        "print(json.dumps(found))\n"
    )
    return json.loads(manage("shell", "-c", script, env=env).strip().splitlines()[-1])


def wait_until_serving(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} does not answer after {seconds} s")


def lighthouse(url: str, *, desktop: bool, report_dir: Path, name: str) -> dict:
    report = report_dir / f"{name}.json"
    command = [
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if desktop:
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True)
    return json.loads(report.read_text())


def shortfalls(result: dict, category: str) -> list[str]:
    """The audits that cost this category points, with what Lighthouse says of each."""
    audits = result["audits"]
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lines.append(f"      - {audit['id']}: {audit['title']} {value}".rstrip())
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    options = parser.parse_args()
    if not Path(LIGHTHOUSE).exists():
        raise SystemExit("Lighthouse is not installed under .lighthouse/: run `make lighthouse`.")

    port = spare_port()
    env = environment(port)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    manage("make_renditions", env=env)
    targets = pages(env)
    server = subprocess.Popen(
        [GUNICORN, "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    below = 0
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base + "/")
        print(f"{'page':10} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        with tempfile.TemporaryDirectory() as report_dir:
            for name, path in targets.items():
                # Once to fill the page cache, as readers find it; then measured.
                urllib.request.urlopen(base + path, timeout=30).close()
                result = lighthouse(
                    base + path, desktop=options.desktop, report_dir=Path(report_dir), name=name
                )
                scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
                print(f"{name:10} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
                for category in CATEGORIES:
                    if scores[category] < 100:
                        below += 1
                        print(f"    {category} ({path}):")
                        print("\n".join(shortfalls(result, category)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("All pages score 100 in every category." if not below else f"{below} below 100.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
