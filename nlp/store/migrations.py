"""Bring a store created by an earlier version up to the current tables, keeping its data.

Only additive changes happen between versions (new tables, new nullable columns, new indexes), so
an upgrade is: create what is missing. Nothing is ever dropped or rewritten.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from nlp.store.schema import Base


def upgrade(engine: Engine) -> list[str]:
    """Create missing tables, columns and indexes; return what was added."""
    added: list[str] = []
    existing_tables = set(inspect(engine).get_table_names())
    Base.metadata.create_all(engine)
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if table.name not in existing_tables:
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        with engine.begin() as connection:
            for column in table.columns:
                if column.name not in present:
                    if not column.nullable or column.primary_key:
                        raise RuntimeError(f"cannot add required column {table.name}.{column.name} to a stored table")
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))
                    added.append(f"{table.name}.{column.name}")
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(engine, checkfirst=True)
                added.append(f"index {index.name}")
    return added
