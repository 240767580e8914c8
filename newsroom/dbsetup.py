"""Create the configured PostgreSQL database if it does not exist yet.

Run as `python -m newsroom.dbsetup` (make run does). Prints one clear line and exits
non-zero when the server cannot be reached, instead of a traceback.
"""

import os
import sys

import psycopg2
from psycopg2 import sql

from newsroom.env import DEFAULT_DATABASE_URL, Env


def main() -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    config = Env.db_url_config(url)
    name = config["NAME"]
    where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 5432}"
    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            connect_timeout=5,
        )
    except psycopg2.OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        print(
            f"Cannot reach PostgreSQL at {where} as user {config.get('USER')!r} ({reason}). "
            "Start PostgreSQL or point DATABASE_URL elsewhere, "
            "e.g. DATABASE_URL=postgres://user:password@host:5432/newsroom make run",
            file=sys.stderr,
        )
        return 1
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name!r} on {where}.")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
