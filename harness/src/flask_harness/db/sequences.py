"""Restarting the id counters for a test marked ``reset_sequences`` (pytest-django's ``reset_sequences``).

PostgreSQL's sequences and MariaDB's ``AUTO_INCREMENT`` counters are not transactional: ids a
rolled-back test used stay used, so a later test that expects ``/topic/1`` or ``id == 1`` fails.
Each counter of the app's tables is set back to one past the highest id in the table (the
template's rows stay). On MariaDB ``ALTER TABLE`` commits implicitly, so the restart runs on a
connection of its own, before the test's outer transaction begins. SQLite rolls its counters back
with the test and needs nothing. Each bind's tables are restarted on the bind's own engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine


def restart_sequences(engine: Engine, tables: list[Table]) -> None:
    """Set every counter of ``tables`` to one past its table's highest id."""
    if engine.dialect.name == "sqlite":
        return
    with engine.begin() as connection:
        for table in tables:
            if table.autoincrement_column is not None:
                _restart(connection, table)


def _restart(connection: Connection, table: Table) -> None:
    from sqlalchemy import Sequence, text

    column = table.autoincrement_column
    assert column is not None
    preparer = connection.dialect.identifier_preparer
    quoted_table, quoted_column = preparer.format_table(table), preparer.quote(column.name)
    if connection.dialect.name == "postgresql":
        if isinstance(column.default, Sequence):  # a named sequence
            sequence, params = ":sequence", {"sequence": preparer.format_sequence(column.default)}
        else:  # serial or identity; NULL (and setval(NULL) does nothing) when the column has none
            sequence, params = "pg_get_serial_sequence(:table, :column)", {"table": quoted_table,
                                                                           "column": column.name}
        connection.execute(text(f"SELECT setval(CAST({sequence} AS regclass), "
                                f"COALESCE(MAX({quoted_column}), 0) + 1, false) FROM {quoted_table}"), params)
    elif isinstance(column.default, Sequence) and connection.dialect.supports_sequences:  # MariaDB >= 10.3
        # SETVAL never goes back on MariaDB; RESTART does.
        next_id = connection.execute(text(f"SELECT COALESCE(MAX({quoted_column}), 0) + 1 FROM {quoted_table}"))
        connection.exec_driver_sql(f"ALTER SEQUENCE {preparer.format_sequence(column.default)} "
                                   f"RESTART WITH {int(next_id.scalar_one())}")
    elif connection.dialect.name in ("mysql", "mariadb"):
        # InnoDB takes a value at or below the highest id as one past it.
        connection.exec_driver_sql(f"ALTER TABLE {quoted_table} AUTO_INCREMENT = 1")
