"""Backups: the database as one consistent pg_dump, and every stored file, in one folder.

A backup folder holds ``database.dump`` (pg_dump's custom format: one snapshot, taken while
the site runs), ``files/<storage>/...`` (each stored file of the "default" storage, the
renditions, and of "originals", whatever the storage: a local folder or an S3 bucket) and
``manifest.json``, written last: a folder without it is an interrupted backup.

The database is dumped first and the files copied after, so every file a dumped row
names is there (files are only ever added, or deleted after their rows are gone).
Restoring goes only into an empty database and empty storages, never over live data.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection

STORAGE_ALIASES = ("default", "originals")
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
FILES_FOLDER = "files"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Postgres:
    """How pg_dump and pg_restore reach the database Django uses."""

    args: list[str]
    env: dict[str, str]
    name: str

    @classmethod
    def of_default(cls) -> "Postgres":
        db = connection.settings_dict
        args = ["--dbname", db["NAME"]]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                args += [flag, str(db[key])]
        env = {**os.environ}
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]
        return cls(args=args, env=env, name=db["NAME"])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version."
        )
    return path


def _run(command: list[str], *, env: dict) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()}")


def _major_version_of(tool: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    words = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.split()
    return int(words[2].split(".")[0])


def _walk(storage: Storage, folder: str = ""):
    """Every file name in a storage, through the storage API (a folder or a bucket alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, root: Path, now: datetime | None = None) -> Path:
    """Write a new backup folder under root and return it."""
    now = now or datetime.now(UTC)
    folder = Path(root) / f"newsroom-{now:%Y%m%dT%H%M%SZ}"
    try:
        folder.mkdir(parents=True)
    except FileExistsError as error:
        raise BackupError(f"{folder} already exists: wait a second and run it again.") from error

    pg_dump = _tool("pg_dump")
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if _major_version_of(pg_dump) < server_major:
        raise BackupError(
            f"pg_dump {_major_version_of(pg_dump)} is older than the server ({server_major}): "
            "install the client tools of the server's version."
        )
    database = Postgres.of_default()
    # One snapshot of the whole database; the page and rate-limit caches' rows are left out
    # (UNLOGGED tables, rebuilt by use).
    _run(
        [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--no-unlogged-table-data",
            "--file",
            str(folder / DUMP_NAME),
            *database.args,
        ],
        env=database.env,
    )

    files = {}
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        copied = files[alias] = {}
        for name in _walk(storage):
            target = folder / FILES_FOLDER / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as output:
                shutil.copyfileobj(source, output)
            copied[name] = _sha256(target)

    manifest = {
        "created_at": now.isoformat(),
        "database": database.name,
        "pg_dump": subprocess.run(
            [pg_dump, "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "files": files,
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _tables_in_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def backup_restore(*, folder: Path) -> dict:
    """Bring a backup back into an empty database and empty storages; return what came back."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(
            f"{folder} is not a finished backup (no {MANIFEST_NAME}): choose another folder."
        )
    manifest = json.loads(manifest_path.read_text())

    # Everything is checked before anything is written: a refusal changes nothing.
    database = Postgres.of_default()
    tables = _tables_in_database()
    if tables:
        raise BackupError(
            f"The database {database.name!r} is not empty ({tables} tables): a restore goes "
            "only into an empty database. Create one (createdb NAME), point DATABASE_URL at "
            "it and run the restore again. Nothing was changed."
        )
    for alias in STORAGE_ALIASES:
        if next(_walk(storages[alias]), None) is not None:
            raise BackupError(
                f"The {alias!r} storage already holds files: a restore goes only into empty "
                "storage (a new folder or bucket). Nothing was changed."
            )

    pg_restore = _tool("pg_restore")
    _run(
        [pg_restore, "--no-owner", "--exit-on-error", *database.args, str(folder / DUMP_NAME)],
        env=database.env,
    )
    restored = {}
    for alias, files in manifest["files"].items():
        storage = storages[alias]
        for name, digest in files.items():
            source = folder / FILES_FOLDER / alias / name
            if _sha256(source) != digest:
                raise BackupError(f"{source} does not match the backup's record of it.")
            with source.open("rb") as handle:
                stored = storage.save(name, File(handle, name=name))
            if stored != name:
                raise BackupError(f"{alias} storage saved {name} as {stored}.")
        restored[alias] = len(files)
    return restored
