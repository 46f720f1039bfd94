"""Writing rows fast with PostgreSQL ``COPY`` in its text format (the volume generator)."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

COPY_CHUNK = 1 << 20


def copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date | Decimal | int):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_layout(model, explicit: list[str]) -> tuple[list[str], str]:
    """Columns for a COPY into ``model``: the ``explicit`` columns first (given per row), then
    every other concrete column at its model default as one constant text tail. A field added
    to the model later takes its default, so the generator keeps working."""
    now = timezone.now()
    columns = list(explicit)
    tail = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in explicit:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
            if value is None and not f.null:
                raise RuntimeError(f"{model.__name__}.{f.name} needs a value in the generator")
        columns.append(f.column)
        tail.append(copy_text(value))
    return columns, "\t".join(tail)


def copy_lines(table: str, columns: list[str], lines: Iterator[str]) -> int:
    """Stream text-format lines into ``table`` by COPY, a megabyte at a time."""
    count = 0
    sql = f"COPY {connection.ops.quote_name(table)} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
    with connection.cursor() as cursor, cursor.copy(sql + "FROM STDIN") as copy:
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= COPY_CHUNK:
                copy.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer))
    return count


def skip_foreign_key_triggers() -> None:
    """Rows made here are valid by construction: skip the per-row foreign-key triggers (superuser only)."""
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # not a superuser: the triggers simply run
            pass
