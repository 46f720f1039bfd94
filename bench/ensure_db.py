"""Create the PostgreSQL database named by DATABASE_URL when it does not exist (``make bench``).

Usage: ``python -m bench.ensure_db [DATABASE_URL]``. Connects to the server's ``postgres``
database with the same credentials; does nothing when the database is there.
"""

import os
import sys

import environ
import psycopg
from psycopg import sql


def ensure_database(url: str) -> bool:
    """True when the database was created, False when it existed."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit(f"The benchmarks need PostgreSQL, not {config['ENGINE']}.")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("usage: python -m bench.ensure_db postgres://user@host:port/name")
    if ensure_database(url):
        print(f"Created database {environ.Env.db_url_config(url)['NAME']}.")
