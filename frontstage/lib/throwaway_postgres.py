"""A throwaway Postgres server in a temporary directory, for the test suite and benchmarks
(pytest-postgresql's executor over the Debian server binaries). Needs the dev extras."""

import glob
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class NoPostgres(RuntimeError):
    """The Postgres server binaries are not installed."""


def pg_ctl() -> str | None:
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return candidates[0] if candidates else None


@contextmanager
def throwaway_postgres() -> Iterator[Any]:
    """A running server (with .host, .port, .user; trust auth) removed on exit."""
    from port_for import select_random
    from pytest_postgresql.executors import PostgreSQLExecutor

    binary = pg_ctl()
    if binary is None:
        raise NoPostgres("Postgres server binaries (pg_ctl) not found: install Debian's postgresql")
    base = Path(tempfile.mkdtemp(prefix="frontstage-pg-"))
    executable = binary
    if os.geteuid() == 0:
        # Postgres refuses to run as root: run it as the postgres system account instead.
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        wrapper = base / "pg_ctl-as-postgres"
        wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- "{binary}" "$@"\n')
        wrapper.chmod(0o755)
        executable = str(wrapper)
    server = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=select_random(),
        datadir=str(base / "data"),
        unixsocketdir=str(base),
        logfile=str(base / "postgres.log"),
        startparams="-w",
        dbname="frontstage",
        user="frontstage",
        postgres_options="-c max_connections=200",
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: Any, name: str = "frontstage") -> None:
    """Create database `name` on a just-started server, waiting (up to 30 s) until it answers."""
    import time

    import psycopg

    for _attempt in range(60):
        try:
            with psycopg.connect(
                host=server.host, port=server.port, user=server.user, dbname="postgres",
                autocommit=True,
            ) as connection:  # fmt: skip
                connection.execute(f'CREATE DATABASE "{name}"')
                return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise NoPostgres("Postgres did not start")
