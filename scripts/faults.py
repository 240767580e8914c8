"""Fault drills against a real gunicorn on loopback: `make faults`.

1. PostgreSQL is restarted (this machine's real cluster) while readers load pages and post
   comments: in-flight requests get the 503 page, the site answers again within seconds
   without a worker restart, and every comment that got a success response is stored once.
2. A Redis of the script's own (a spare port; never the machine's) is the cache and is
   stopped during load: every page is still served, no 5xx.

Bounded: each drill runs for seconds; everything listens on 127.0.0.1 only.
"""

import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get(
    "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_faults"
)
RECOVERY_SECONDS = 15


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def environment(port: int, cache_url: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": cache_url,
        "PAGE_CACHE_SECONDS": "0",  # every request reaches the database
        "COMMENTS_MIN_SECONDS_TO_POST": "0",
        "COMMENTS_RATE_LIMIT_PER_IP": "100000",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "MEDIA_ROOT": "/tmp/newsroom-faults/media",
        "ORIGINALS_ROOT": "/tmp/newsroom-faults/originals",
        "STATIC_ROOT": "/tmp/newsroom-faults/static",
        "LOG_LEVEL": "WARNING",
    }


SEED = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Section
section, _ = Section.objects.get_or_create(slug="faults", defaults={"name": "Faults"})
article = Article.objects.filter(slug="fault-drill").first() or Article.objects.create(
    headline="Fault drill", slug="fault-drill", section=section, body="<p>Drill.</p>",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=5),
)
article.published_at = timezone.now() - timedelta(minutes=5)
article.save()
print(article.get_absolute_url())
"""


def prepare(env: dict) -> str:
    subprocess.run([PYTHON, "-m", "newsroom.dbsetup"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open("/tmp/newsroom-faults/gunicorn.log", "a"),  # noqa: SIM115
    )
    wait_for_port(port)
    return server


def workers_of(server: subprocess.Popen) -> set[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return {int(pid) for pid in children}


def request(url: str, data: dict | None = None, origin: str = "") -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"} if data is not None else {}
    req = urllib.request.Request(url, data=body, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 0, {}, str(error)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def form_fields(page: str) -> tuple[str, dict]:
    """The comment form's action and hidden fields, as a browser would send them."""
    form = re.search(r'<form id="comment-form".*?</form>', page, re.S)
    if not form:
        return "", {}
    action = html.unescape(re.search(r'action="([^"]+)"', form.group(0)).group(1))
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(0)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return action, fields


class Load:
    """Readers reading and posting in a few threads, every answer counted."""

    def __init__(self, base: str, path: str, threads: int = 4):
        self.base, self.path, self.threads = base, path, threads
        self.stop = threading.Event()
        self.statuses: Counter = Counter()
        self.accepted: list[str] = []
        self.bad: list[str] = []
        self.lock = threading.Lock()

    def reader(self, number: int) -> None:
        sent = 0
        while not self.stop.is_set():
            status, headers, page = request(self.base + self.path)
            self.note("GET", status, headers, page)
            if status != 200:
                time.sleep(0.1)
                continue
            action, fields = form_fields(page)
            if not action:
                continue
            sent += 1
            email = f"reader{number}-{sent}@example.org"
            fields.update(name=f"Reader {number}", email=email, body=f"Drill comment {email}")
            status, headers, page = request(self.base + action, fields, origin=self.base)
            self.note("POST", status, headers, page)
            if status in (302, 303):
                with self.lock:
                    self.accepted.append(email)

    def note(self, method: str, status: int, headers: dict, page: str) -> None:
        with self.lock:
            self.statuses[(method, status)] += 1
            friendly = status == 503 and headers.get("Retry-After") and "Back in a moment" in page
            if status >= 500 and not friendly or status == 0:
                self.bad.append(f"{method} {status}: {page[:200]!r}")

    def __enter__(self):
        self.workers = [
            threading.Thread(target=self.reader, args=(n,)) for n in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=30)


def stored_emails(env: dict, emails: list[str]) -> Counter:
    script = (
        "from comments.models import Comment\n"
        "drill = Comment.objects.filter(body__startswith='Drill comment')\n"
        "print(*drill.values_list('email', flat=True), sep='\\n')\n"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return Counter(line for line in result.stdout.split() if line in set(emails))


def wait_until_serving(url: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_SECONDS:
        if request(url)[0] == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"FAIL: not serving {RECOVERY_SECONDS} s after the fault")


def postgres_drill() -> list[str]:
    port = spare_port()
    env = environment(port, "locmem://")
    path = prepare(env)
    server = start_gunicorn(port, env)
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"
        # The master listens before both workers have booted: wait for them.
        while len(before := workers_of(server)) < 2:
            time.sleep(0.1)
        with Load(base, path) as load:
            time.sleep(2)
            cluster = sorted(os.listdir("/etc/postgresql"))[0]
            print(f"restarting PostgreSQL {cluster}/main during load")
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
                check=True,
            )
            recovered = wait_until_serving(base + path)
            time.sleep(2)
        print(
            f"  serving again {recovered:.1f} s after the restart; answers: {dict(load.statuses)}"
        )
        stored = stored_emails(env, load.accepted)
        lost = [email for email in load.accepted if stored[email] != 1]
        if lost:
            failures.append(f"accepted comments not stored exactly once: {lost[:5]}")
        if not load.accepted:
            failures.append("no comment was accepted at all")
        failures += load.bad
        if workers_of(server) != before:
            failures.append(f"gunicorn workers were replaced: {before} -> {workers_of(server)}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return failures


def redis_drill() -> list[str]:
    if not shutil.which("redis-server"):
        return ["redis-server is not installed"]
    redis_port, port = spare_port(), spare_port()
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(redis_port)
    env = environment(port, f"redis://127.0.0.1:{redis_port}/0")
    env["PAGE_CACHE_SECONDS"] = "300"
    path = prepare(env)
    server = start_gunicorn(port, env)
    try:
        with Load(f"http://127.0.0.1:{port}", path) as load:
            time.sleep(2)
            print("stopping our own Redis during load")
            redis.terminate()
            redis.wait(timeout=10)
            time.sleep(4)
        print(f"  answers: {dict(load.statuses)}")
        failures = [line for line in load.bad]
        failures += [f"{key}: {n}" for key, n in load.statuses.items() if key[1] >= 500]
        stored = stored_emails(env, load.accepted)
        failures += [f"accepted but not stored once: {e}" for e in load.accepted if stored[e] != 1][
            :5
        ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if redis.poll() is None:
            redis.terminate()
    return failures


def main() -> int:
    failures = []
    for drill in (postgres_drill, redis_drill):
        print(f"== {drill.__name__}")
        found = drill()
        failures += [f"{drill.__name__}: {failure}" for failure in found]
        print("  ok" if not found else "  FAILED")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
