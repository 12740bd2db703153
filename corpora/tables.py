"""Read CSV, XLSX and JSON Lines files as rows of ``{column: value}`` with their line numbers.

A problem with one row (bytes that are not valid in the file's encoding, a JSON line that does
not parse) becomes a :class:`~nlp.records.RowError` and the other rows are still read; only a
problem with the whole file (unreadable, no header) raises :class:`FileFormatError`.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from nlp.records import RowError

TABLE_FORMATS = ("csv", "xlsx", "jsonl")
#: csv's default 128 KiB field limit would abort a whole file on one oversized cell; rows with
#: oversized text are rejected one by one by the validator instead.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

Row = tuple[int, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Columns:
    """A CSV or Excel table's header, read before its rows: a file with a header and no rows still
    says which columns it has."""

    names: list[str]


class FileFormatError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, unreadable)."""


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise FileFormatError(f"{path.name}: cannot tell the format from the extension {suffix!r}; pass --format")


def read_table(path: Path, fmt: str, encoding: str | None = None) -> Iterator[Columns | Row | RowError]:
    """Yield ``(line, row)`` pairs or :class:`RowError` for each data row of a table file, after the
    :class:`Columns` of its header (CSV and Excel; JSON Lines rows name their own keys)."""
    if fmt == "csv":
        return _read_csv(path, encoding)
    if fmt == "xlsx":
        return _read_xlsx(path)
    if fmt == "jsonl":
        return _read_jsonl(path, encoding)
    raise FileFormatError(f"unknown table format {fmt!r}; expected one of {', '.join(TABLE_FORMATS)}")


def _open_text(path: Path, encoding: str | None) -> TextIO:
    """``path`` opened as text, read as it is consumed (a large file is never held whole in memory);
    the encoding is ``encoding``, else told by a byte-order mark, else UTF-8."""
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
        if encoding is None:
            encoding = next((name for bom, name in _BOMS if start.startswith(bom)), "utf-8")
        _check_decodable(path, encoding)
        # surrogateescape keeps undecodable bytes as lone surrogates, so that they can be
        # reported on their own row instead of failing the whole file.
        return path.open(encoding=encoding, errors="surrogateescape", newline="")
    except OSError as error:
        raise FileFormatError(f"cannot read {path}: {error.strerror or error}") from error
    except LookupError as error:
        raise FileFormatError(f"cannot decode {path.name} as {encoding}: {error}") from error


def _check_decodable(path: Path, encoding: str) -> None:
    """Fail before any row is read where ``surrogateescape`` cannot keep a bad byte for its row (in
    UTF-16 and other encodings that are not ASCII-compatible); the file is read by blocks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    offset = 0
    with path.open("rb") as handle:
        while True:
            block = handle.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                raise FileFormatError(
                    f"cannot decode {path.name} as {encoding}: {error.reason} at byte {offset + error.start}"
                ) from error
            if not block:
                return
            offset += len(block)


#: what ``surrogateescape`` decoding leaves for each byte that is not valid in the encoding
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _has_undecodable(values: Any) -> bool:
    return any(isinstance(v, str) and _UNDECODABLE.search(v) for v in values)


_ENCODING_HINT = "bytes that are not valid UTF-8 (save the file as UTF-8, or pass --encoding)"


def _csv_reader(handle: TextIO) -> Any:
    """A CSV reader over ``handle`` with its delimiter (comma, semicolon or tab) guessed from the start."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    sample = handle.read(20000)
    handle.seek(0)
    delimiter = "\t" if sample.count("\t") > sample.count(",") and sample.count("\t") > sample.count(";") else ","
    if delimiter == "," and sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(","):
        delimiter = ";"
    return csv.reader(handle, delimiter=delimiter)


def count_rows(path: Path, fmt: str, encoding: str | None = None) -> int | None:
    """How many non-blank rows (header aside) a CSV or JSON Lines file holds, counted without reading
    them (a hundredth of the time); ``None`` for another format or a file that needs a full read."""
    if fmt not in ("csv", "jsonl"):
        return None
    try:
        with _open_text(path, encoding) as handle:
            if fmt == "jsonl":
                return sum(1 for line in handle if line.strip())
            rows = sum(1 for values in _csv_reader(handle) if any(v.strip() for v in values))
            return max(rows - 1, 0)
    except csv.Error:
        return None


def _read_csv(path: Path, encoding: str | None) -> Iterator[Columns | Row | RowError]:
    with _open_text(path, encoding) as handle:
        yield from _csv_rows(path, _csv_reader(handle))


def _csv_rows(path: Path, reader: Any) -> Iterator[Columns | Row | RowError]:
    try:
        header = next(reader)
    except StopIteration:
        raise FileFormatError(f"{path.name} is empty") from None
    except csv.Error as error:
        raise FileFormatError(f"{path.name}: cannot parse the header: {error}") from error
    if _has_undecodable(header):
        raise FileFormatError(f"{path.name}: the header has {_ENCODING_HINT}")
    header = [column.strip() for column in header]
    yield Columns(header)
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(start, f"malformed CSV: {error}")
            start = reader.line_num + 1
            continue
        if _has_undecodable(values):
            yield RowError(start, _ENCODING_HINT)
        elif len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            yield RowError(start, f"{len(values)} cells for {len(header)} columns (a stray delimiter or quote?)")
        else:
            yield start, dict(zip(header, values, strict=False))
        start = reader.line_num + 1


def _read_xlsx(path: Path) -> Iterator[Columns | Row | RowError]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or non-xlsx file
        raise FileFormatError(f"cannot open {path.name} as an Excel workbook: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        for line, values in enumerate(rows, start=1):
            if header is None:
                if any(v is not None and str(v).strip() for v in values):
                    header = ["" if v is None else str(v).strip() for v in values]
                    yield Columns([name for name in header if name])
                continue
            yield line, {name: value for name, value in zip(header, values, strict=False) if name}
        if header is None:
            raise FileFormatError(f"{path.name}: the first sheet is empty")
    finally:
        workbook.close()


def _read_jsonl(path: Path, encoding: str | None) -> Iterator[Row | RowError]:
    with _open_text(path, encoding) as handle:
        yield from _jsonl_rows(handle)


def _jsonl_rows(handle: TextIO) -> Iterator[Row | RowError]:
    for line, raw in enumerate(handle, start=1):
        if not raw.strip():
            yield line, {}
            continue
        if _has_undecodable([raw]):
            yield RowError(line, _ENCODING_HINT)
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            yield RowError(line, f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(value, dict):
            yield RowError(line, f"expected a JSON object, found {type(value).__name__}")
            continue
        yield line, value
