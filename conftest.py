"""Test-run wiring: `pytest --postgres` runs the whole suite against a throwaway Postgres
server started here (pytest-postgresql's executor over the Debian server binaries)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres", action="store_true", help="run against a throwaway Postgres server"
    )


def skip_or_fail(reason: str) -> None:
    """Skip a test whose tool is missing, except under CI=true, where every test must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: skipping is not allowed)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    from frontstage.lib.throwaway_postgres import NoPostgres, throwaway_postgres

    try:
        with throwaway_postgres() as server:
            yield server
    except NoPostgres as missing:
        skip_or_fail(str(missing))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from django.conf import settings
    from django.db import connections

    if not request.config.getoption("--postgres"):
        # A file, not memory: tests with several connections at once then see the WAL and
        # busy-timeout behaviour of a real install.
        test_db = tmp_path_factory.mktemp("sqlite") / "frontstage-test.sqlite3"
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(test_db)
        return
    server = request.getfixturevalue("postgres_server")
    settings.DATABASES["default"].update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "frontstage",
            "USER": server.user,
            "PASSWORD": "",
            "HOST": server.host,
            "PORT": str(server.port),
            "OPTIONS": settings.POSTGRES_OPTIONS,  # as in production
            "CONN_MAX_AGE": 0,
        }
    )
    # A SQLite connection object may already exist; drop it so the next use builds a
    # Postgres one from the settings above.
    connections.close_all()
    del connections["default"]


@pytest.fixture(autouse=True, scope="session")
def _database_in_use(request: pytest.FixtureRequest) -> None:
    """Fail loudly if a --postgres run were ever to talk to SQLite."""
    if request.config.getoption("--postgres"):
        request.getfixturevalue("django_db_setup")
        from django.db import connection

        assert connection.vendor == "postgresql", connection.vendor


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language, whatever a request before it switched to."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
