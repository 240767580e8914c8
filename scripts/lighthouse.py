"""Lighthouse's four scores for the pages readers open most: `make lighthouse`.

Serves the demo newsroom as production would (DEBUG off, gunicorn, hashed and compressed
static files, every photo's renditions made) on a spare loopback port, runs Lighthouse (the
npm package installed under .lighthouse/, driving Debian's chromium through CHROME_PATH)
against the front page, an article with its comments, a section, a search with results, an
author and, once the demo has Urdu stories, an Urdu article and the Urdu section, and prints
each page's four scores with the audits that cost any category points, and the machine's
load average (performance scores fall when other work shares the CPU). Mobile emulation,
Lighthouse's default, unless --desktop; --only front,article measures some pages. Each
page's last report is kept under .lighthouse/reports/.

Everything listens on 127.0.0.1 only; the server stops when the script ends.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LIGHTHOUSE = str(ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse")
# Each page's last full report (JSON; Lighthouse's viewer opens it), by preset.
REPORTS = ROOT / ".lighthouse" / "reports"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# A busy machine sometimes loses Chrome's trace of the load (NO_NAVSTART): measured again.
ATTEMPTS = 3
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


# Run in the demo database by `manage.py shell`: the address of each page to measure. The
# article is the most commented story (the longest page); the search is a word of its
# headline, so the results page has results with the words highlighted; the Urdu pages are
# the demo's Urdu story with the most comments and the Urdu section's front, once the demo
# has them.
FIND_PAGES = """
import json
from articles.models import Article, Author, Section
from articles.search import has_words
from django.urls import reverse
busiest = ("-comment_count", "-published_at")
published = Article.objects.published()
article = published.filter(language="en").order_by(*busiest)[0]
author = Author.objects.known_to_readers().filter(bylines__isnull=False).order_by("pk")[0]
query = max(article.headline.split(), key=len).strip(",.:;")
found = {
    "front": "/",
    "article": article.get_absolute_url(),
    "section": article.section.get_absolute_url(),
    "search": reverse("articles:search") + "?q=" + query,
    "author": author.get_absolute_url(),
}
assert has_words(query) and published.search(query).exists(), query
urdu = published.filter(language="ur").order_by(*busiest).first()
if urdu is not None:
    found["urdu-article"] = urdu.get_absolute_url()
    section = Section.objects.filter(language="ur", articles__in=published).first()
    if section is not None:
        found["urdu-section"] = section.get_absolute_url()
print(json.dumps(found))
"""


def pages(env: dict) -> dict[str, str]:
    """The address of each page to measure, found in the demo database."""
    return json.loads(manage("shell", "-c", FIND_PAGES, env=env).strip().splitlines()[-1])


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
    for attempt in range(ATTEMPTS):
        report.unlink(missing_ok=True)
        run = subprocess.run(command, env=env)
        result = json.loads(report.read_text()) if report.exists() else {}
        if run.returncode == 0 and not result.get("runtimeError"):
            return result
        print(
            f"    ({name}: Lighthouse could not measure the page, try {attempt + 1} of {ATTEMPTS})"
        )
    raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}.")


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


def load_average() -> str:
    """The machine's load over the last 1, 5 and 15 minutes: performance scores follow it."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    parser.add_argument(
        "--only", help="comma-separated page names to measure (front,article,search,...)"
    )
    options = parser.parse_args()
    if not Path(LIGHTHOUSE).exists():
        raise SystemExit("Lighthouse is not installed under .lighthouse/: run `make lighthouse`.")

    port = spare_port()
    env = environment(port)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    manage("make_renditions", env=env)
    # Pages kept from an earlier run may link the stylesheets of an older build.
    manage(
        "shell", "-c", "from articles.pagestore import page_store; page_store().clear()", env=env
    )
    targets = pages(env)
    if options.only:
        wanted = options.only.split(",")
        if unknown := set(wanted) - set(targets):
            raise SystemExit(f"No such page here: {', '.join(sorted(unknown))}.")
        targets = {name: path for name, path in targets.items() if name in wanted}
    report_dir = REPORTS / ("desktop" if options.desktop else "mobile")
    report_dir.mkdir(parents=True, exist_ok=True)
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
        preset = "desktop" if options.desktop else "mobile"
        print(f"Lighthouse, {preset} preset; load average {load_average()} (1, 5, 15 min)")
        print(f"{'page':13} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        for name, path in targets.items():
            # Once to fill the page cache, as readers find it; then measured.
            urllib.request.urlopen(base + path, timeout=30).close()
            result = lighthouse(
                base + path, desktop=options.desktop, report_dir=report_dir, name=name
            )
            scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
            print(f"{name:13} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
            for category in CATEGORIES:
                if scores[category] < 100:
                    below += 1
                    print(f"    {category} ({path}):")
                    print("\n".join(shortfalls(result, category)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"Load average at the end: {load_average()}. Reports: {report_dir.relative_to(ROOT)}/")
    print("All pages score 100 in every category." if not below else f"{below} below 100.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
