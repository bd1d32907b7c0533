"""Database triggers that make a table append-only: UPDATE and DELETE (and, on Postgres,
TRUNCATE) are refused by the database itself, whoever sends them."""

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
            schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for sql in _drops(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards)


def drop_triggers_sql(vendor: str, table: str) -> list[str]:
    """The statements that remove the triggers; for tests that must tamper with a row."""
    return _drops(vendor, table)
