"""Database triggers that make a table append-only: UPDATE and DELETE (and, on Postgres,
TRUNCATE) are refused by the database itself, whoever sends them."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION frontstage_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;
"""


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
        ]
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION frontstage_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION frontstage_refuse_change()",
        ]
    raise NotImplementedError(f"No append-only triggers for the {vendor} database")


def _drops(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def make_append_only(table: str) -> migrations.RunPython:
    """A migration operation that installs the triggers on `table` (and removes them when
    the migration is reversed)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for sql in _statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for sql in _drops(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)

    return migrations.RunPython(forwards, backwards)


def drop_triggers_sql(vendor: str, table: str) -> list[str]:
    """The statements that remove the triggers; for tests that must tamper with a row."""
    return _drops(vendor, table)


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Suspend the append-only triggers on every table for the block, then restore them.
    Only for the test runner, which must empty the database between tests that commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = [(name, sql) for name, sql in cursor.fetchall() if _ours(name)]
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            try:
                yield
            finally:
                for _name, sql in triggers:
                    cursor.execute(sql)
        else:
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname LIKE '%append_only' OR tgname LIKE '%no_truncate'"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _ours(trigger: str) -> bool:
    return trigger.endswith(("_no_update", "_no_delete"))
