"""A whole Newsroom deployment on loopback, as README's "Reference deployment" describes.

PostgreSQL primary and streaming replica, Redis, an S3 server (moto, standing in for
object storage), a task worker, two gunicorn app servers with production settings (DEBUG
off) and Varnish in front of both. Started once for the session, every engine by the
test itself, and stopped by process id at the end. `make multinode` runs it; `make test`
leaves it out (the `multinode` marker).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.multinode.engines import (
    ROOT,
    AppServer,
    EngineFailed,
    PostgreSQL,
    Redis,
    S3Server,
    TaskWorker,
    Varnish,
    free_ports,
    stop_together,
    wait_for,
)

DATABASE = "newsroom"
BUCKET = "newsroom-media"
PASSWORD = "multinode-staff-password-1"

# Run against the primary before the servers start: the schema, the staff and a little
# newsroom, in one process.
MIGRATE_AND_SEED = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)

from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from articles.models import Article, Author, Byline, Section

User = get_user_model()
editor = User.objects.create_user("editor", "editor@example.org", {PASSWORD!r}, is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
moderator = User.objects.create_user(
    "moderator", "moderator@example.org", {PASSWORD!r}, is_staff=True
)
moderator.groups.add(Group.objects.get(name="Moderators"))
section = Section.objects.create(name="City", slug="city")
author = Author.objects.create(name="Sana Mir", slug="sana-mir")
for number in (1, 2):
    article = Article.objects.create(
        headline=f"Seeded story {{number}}", slug=f"seeded-story-{{number}}", section=section,
        body="<p>The council met.</p>", status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=number),
    )
    Byline.objects.create(article=article, author=author, position=0)
"""


class Timeline:
    """How long each step of the setup took, for the log of a slow run."""

    def __init__(self):
        self.started = self.last = time.monotonic()
        self.steps: list[str] = []

    def mark(self, step: str) -> None:
        now = time.monotonic()
        self.steps.append(f"{step} +{now - self.last:.1f}s")
        self.last = now

    def __str__(self) -> str:
        return ", ".join(self.steps) + f"; {self.last - self.started:.1f}s in all"


@dataclass
class Cluster:
    primary: PostgreSQL
    replica: PostgreSQL
    redis: Redis
    s3: S3Server
    app1: AppServer
    app2: AppServer
    varnish: Varnish
    worker: TaskWorker
    env: dict

    def sql(self, query: str) -> str:
        return self.primary.query(query, DATABASE)

    def restart(self, app: AppServer) -> None:
        app.stop()
        app.start(ready)


def ready(base: str) -> bool:
    try:
        return requests.get(base + "/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def manage(env: dict, *args: str, log: Path) -> None:
    with open(log, "ab") as out:
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        raise EngineFailed(f"manage.py {args[0]} failed; see {log}")


def app_environment(
    *, workdir: Path, primary, replica, redis, s3, varnish_url: str, site_url: str
) -> dict:
    # Nothing from the caller's environment may point the servers elsewhere.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "CACHE_", "PAGE_CACHE_", "S3_", "MEDIA_", "REDIS_"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site_url,
        # Loopback speaks plain HTTP; in production TLS ends at the load balancer.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": primary.url(DATABASE),
        "DATABASE_REPLICA_URL": replica.url(DATABASE),
        # Loopback replication lags milliseconds; a short window lets readers back on the
        # replica soon after each change.
        "DATABASE_REPLICA_PIN_SECONDS": "2",
        "REDIS_URL": redis.url,
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3.url,
        "S3_ACCESS_KEY_ID": "multinode",
        "S3_SECRET_ACCESS_KEY": "multinode-secret",
        "S3_REGION": "us-east-1",
        "VARNISH_PURGE_URLS": varnish_url + "/",
        "STATIC_ROOT": str(workdir / "static"),
        # Readers here are scripts on one address posting at once: let them.
        "COMMENTS_MIN_SECONDS_TO_POST": "0",
        "COMMENTS_RATE_LIMIT_PER_IP": "100000",
        "COMMENTS_RATE_LIMIT_PER_EMAIL": "100000",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def create_bucket(s3: S3Server) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3.url,
        aws_access_key_id="multinode",
        aws_secret_access_key="multinode-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    # As README asks of a real bucket: renditions readable by anyone, originals by no one.
    public_renditions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_renditions))


@pytest.fixture(scope="session")
def cluster():
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-multinode-"))
    os.chmod(workdir, 0o755)  # PostgreSQL's own account must reach its directories
    (
        primary_port,
        replica_port,
        redis_port,
        s3_port,
        app1_port,
        app2_port,
        varnish_port,
        varnish_admin,
    ) = free_ports(8)
    timeline = Timeline()
    engines: list = []
    with ExitStack() as running:
        running.callback(stop_together, engines)
        redis = Redis(workdir, redis_port)
        s3 = S3Server(workdir, s3_port)
        primary = PostgreSQL(workdir, primary_port, "primary")
        replica = PostgreSQL(workdir, replica_port, "replica")
        varnish = Varnish(workdir, varnish_port, varnish_admin)
        env = app_environment(
            workdir=workdir,
            primary=primary,
            replica=replica,
            redis=redis,
            s3=s3,
            varnish_url=varnish.url,
            site_url=varnish.url,
        )
        # Hashing and compressing the static files needs no database: done meanwhile.
        static = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "collectstatic.log", "wb"),  # noqa: SIM115
        )
        running.callback(static.kill)
        engines += [redis, s3, primary]
        redis.launch()
        s3.launch()
        primary.init_primary()
        primary.start()
        primary.query(f"CREATE DATABASE {DATABASE}")
        timeline.mark("primary up")
        manage(env, "shell", "-c", MIGRATE_AND_SEED, log=workdir / "manage.log")
        timeline.mark("migrated and seeded")
        engines.append(replica)
        replica.init_replica_of(primary)
        replica.start()
        wait_for(
            "replica streaming",
            lambda: primary.query("SELECT count(*) FROM pg_stat_replication") == "1",
        )
        timeline.mark("replica streaming")
        redis.wait_until_ready()
        s3.wait_until_ready()
        create_bucket(s3)
        if static.wait(120) != 0:
            raise EngineFailed(f"collectstatic failed; see {workdir / 'collectstatic.log'}")
        timeline.mark("redis, S3 and static files ready")

        worker = TaskWorker(workdir, env)
        app1 = AppServer(workdir, app1_port, env, "app1")
        app2 = AppServer(workdir, app2_port, env, "app2")
        engines += [worker, app1, app2]
        worker.start()
        for app in (app1, app2):
            app.launch()
        for app in (app1, app2):
            app.wait_until(ready)
        timeline.mark("app servers ready")
        engines.append(varnish)
        varnish.start([app1_port, app2_port])
        timeline.mark("varnish answering")
        print(f"\nmulti-node setup: {timeline}", file=sys.stderr)

        yield Cluster(primary, replica, redis, s3, app1, app2, varnish, worker, env)

    if os.environ.get("MULTINODE_KEEP"):
        print(f"\nmulti-node logs kept in {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
