"""Recommendation files: the documented generic format, the UPR Info export and OHCHR thematic lists.

The generic format (CSV, XLSX or JSON Lines) needs a ``text`` column; every other column is
optional: ``id``, ``mechanism``, ``state_under_review``, ``recommending_state``, ``cycle``,
``session``, ``year``, ``document``, ``paragraph``, ``language``, ``response``. Column names are
matched without regard to case, spaces or accents, and common French and Arabic names are
understood (``recommandation``, ``pays``, ``التوصية``...). Columns not in the format are kept in
``extra``. See ``docs/import-format.md``.

Example:
    >>> rows = read_recommendations(Path("tests/fixtures/small.csv"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from corpora.tables import Columns, FileFormatError, guess_format, read_table
from nlp.records import MECHANISMS, Recommendation, RowError, SourceRow
from nlp.text import SUPPORTED_LANGUAGES, clean_display

FORMATS = ("auto", "csv", "xlsx", "jsonl", "upr-info", "ohchr")
DEFAULT_MAX_TEXT_CHARS = 20_000

_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "recommendation", "recommendationtext", "texte", "recommandation", "التوصية", "نص", "نصالتوصية"),
    "id": ("id", "identifier", "ref", "reference", "recommendationid", "identifiant", "المعرف"),
    "mechanism": ("mechanism", "mecanisme", "body", "source", "الآلية", "الالية"),
    "state_under_review": (
        "stateunderreview",
        "sur",
        "state",
        "country",
        "etat",
        "pays",
        "etatexamine",
        "الدولة",
        "الدولةقيدالاستعراض",
    ),
    "recommending_state": (
        "recommendingstate",
        "recommendingstates",
        "recommendedby",
        "etatrecommandant",
        "etatsrecommandants",
        "الدولةالموصية",
        "الدولالموصية",
    ),
    "cycle": ("cycle", "upr_cycle", "الدورة", "الجولة"),
    "session": ("session",),
    "year": ("year", "annee", "السنة"),
    "document": ("document", "symbol", "documentsymbol", "wgreport", "رمزالوثيقة", "الوثيقة"),
    "paragraph": ("paragraph", "para", "paragraphe", "الفقرة"),
    "language": ("language", "lang", "langue", "اللغة"),
    "response": ("response", "position", "reponse", "status", "الموقف", "الرد"),
}
_MECHANISM_ALIASES = {
    "ICCPR": "CCPR",
    "HRCTTEE": "CCPR",
    "HUMANRIGHTSCOMMITTEE": "CCPR",
    "ICESCR": "CESCR",
    "ICRMW": "CMW",
    "CPED": "CED",
    "SPECIALPROCEDURES": "SP",
    "SPECIALPROCEDURE": "SP",
    "PROCEDURESSPECIALES": "SP",
    "UNIVERSALPERIODICREVIEW": "UPR",
    "EPU": "UPR",
    "CDE": "CRC",
    "CEDEF": "CEDAW",
    "CRPD": "CRPD",
    "CDPH": "CRPD",
    "CCT": "CAT",
}
_LANGUAGE_ALIASES = {
    "zh": "zh-cn",
    "ara": "ar",
    "fra": "fr",
    "fre": "fr",
    "eng": "en",
    "arabic": "ar",
    "french": "fr",
    "english": "en",
    "arabe": "ar",
    "francais": "fr",
    "anglais": "en",
}
_INT_RANGES = {"cycle": (1, 20), "session": (1, 200), "year": (1946, 2100)}
_STRING_LIMITS = {
    "id": 200,
    "state_under_review": 200,
    "recommending_state": 2000,
    "document": 200,
    "paragraph": 50,
    "response": 50,
}


def _column_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


_FIELD_OF_KEY = {_column_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases}


def map_columns(columns: list[str]) -> dict[str, str]:
    """Map each source column to a field of the generic format (or to itself, for ``extra``)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        field = _FIELD_OF_KEY.get(_column_key(column))
        if field and field not in taken:
            mapping[column] = field
            taken.add(field)
    return mapping


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_display(str(value))


def _parse_int(field: str, value: Any) -> int:
    text = _as_text(value)
    try:
        number = int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
    except ValueError:
        raise ValueError(f"{field} must be a whole number, got {text[:40]!r}") from None
    low, high = _INT_RANGES[field]
    if not low <= number <= high:
        raise ValueError(f"{field} must be between {low} and {high}, got {number}")
    return number


def _parse_mechanism(value: Any) -> str:
    text = _as_text(value)
    key = _column_key(text).upper()
    mechanism = _MECHANISM_ALIASES.get(key, key)
    if mechanism not in MECHANISMS:
        raise ValueError(f"unknown mechanism {text[:40]!r}; expected one of {', '.join(MECHANISMS)}")
    return mechanism


def _parse_language(value: Any) -> str:
    text = _as_text(value).lower()
    language = _LANGUAGE_ALIASES.get(text, text)
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {text[:20]!r}; expected an ISO 639-1 code such as ar, fr, en")
    return language


def build_recommendation(
    line: int, values: dict[str, Any], max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
) -> Recommendation | RowError:
    """Validate one row of the generic format (keys already mapped to field names)."""
    text = _as_text(values.get("text"))
    if not text:
        return RowError(line, "the recommendation text is empty", "text")
    if len(text) > max_text_chars:
        return RowError(line, f"text has {len(text):,} characters; the limit is {max_text_chars:,}", "text")
    fields: dict[str, Any] = {"text": text}
    for field, value in values.items():
        if field in ("text", "extra") or value is None or _as_text(value) == "":
            continue
        try:
            if field in _INT_RANGES:
                fields[field] = _parse_int(field, value)
            elif field == "mechanism":
                fields[field] = _parse_mechanism(value)
            elif field == "language":
                fields[field] = _parse_language(value)
            else:
                fields[field] = _as_text(value)
                limit = _STRING_LIMITS.get(field)
                if limit and len(fields[field]) > limit:
                    return RowError(line, f"longer than {limit} characters", field)
        except ValueError as error:
            return RowError(line, str(error), field)
    recommendation = Recommendation(**fields, extra=values.get("extra") or {})
    if not recommendation.id:
        recommendation.id = recommendation.content_id()
    return recommendation


def _rows_with_fields(path: Path, fmt: str, encoding: str | None) -> Iterator[tuple[int, dict[str, Any]] | RowError]:
    mapping: dict[str, str] = {}
    known_columns: set[str] = set()
    for item in read_table(path, fmt, encoding):
        if isinstance(item, RowError):
            yield item
            continue
        if isinstance(item, Columns):  # a table's header: its text column is needed, rows or none
            mapping, known_columns = map_columns(item.names), set(item.names)
            if "text" not in mapping.values():
                raise FileFormatError(
                    f"{path.name}: no text column; expected one named 'text' or 'recommendation' "
                    f"(found: {', '.join(repr(c) for c in item.names) or 'none'})"
                )
            continue
        line, row = item
        if not known_columns.issuperset(row):  # JSON Lines rows name their own keys, which may differ
            mapping, known_columns = map_columns(list(row)), set(row)
        fields: dict[str, Any] = {"extra": {}}
        for column, value in row.items():
            if column in mapping:
                fields[mapping[column]] = value
            elif value not in (None, ""):
                fields["extra"][column] = value
        yield line, fields


def _generic(path: Path, fmt: str, encoding: str | None, max_text_chars: int) -> Iterator[SourceRow | RowError]:
    pending_empty: list[int] = []
    for item in _rows_with_fields(path, fmt, encoding):
        if isinstance(item, RowError):
            yield item
            continue
        line, fields = item
        if not any(_as_text(v) for k, v in fields.items() if k != "extra") and not fields["extra"]:
            pending_empty.append(line)  # reported only if a non-empty row follows (not trailing blanks)
            continue
        yield from (RowError(empty, "empty row") for empty in pending_empty)
        pending_empty.clear()
        result = build_recommendation(line, fields, max_text_chars)
        yield result if isinstance(result, RowError) else SourceRow(line, result)


def _known_csv(
    path: Path,
    encoding: str | None,
    max_text_chars: int,
    required: set[str],
    kind: str,
    to_fields: Callable[[dict[str, str]], dict[str, Any]],
) -> Iterator[SourceRow | RowError]:
    """Read a CSV of a known layout: ``to_fields`` maps one of its rows to the generic fields."""
    for item in read_table(path, "csv", encoding):
        if isinstance(item, RowError):
            yield item
            continue
        if isinstance(item, Columns):
            if not required <= set(item.names):
                raise FileFormatError(f"{path.name}: not {kind} (no {'/'.join(sorted(required))} columns)")
            continue
        line, row = item
        result = build_recommendation(line, to_fields(row), max_text_chars)
        yield result if isinstance(result, RowError) else SourceRow(line, result)


def _split_labels(value: str | None) -> list[str]:
    return [label for label in (value or "").split("|") if label]


def _upr_info_fields(row: dict[str, str]) -> dict[str, Any]:
    """A row of the UPR Info database export (``upr-info-2018/upr_info_2018_dev.csv``)."""
    row_id = (row.get("row_id") or "").strip()
    return {
        "id": f"upr-info:{row_id}" if row_id else None,
        "text": row["recommendation"],
        "mechanism": "UPR",
        "language": "en",
        "state_under_review": row.get("state_under_review"),
        "recommending_state": row.get("recommending_state"),
        "cycle": row.get("cycle"),
        "session": row.get("session"),
        "response": row.get("response"),
        "extra": {
            "upr_issues": _split_labels(row.get("issues")),
            "action_category": row.get("action_category") or None,
            "sur_regional_group": row.get("sur_regional_group") or None,
            "rs_regional_group": row.get("rs_regional_group") or None,
        },
    }


_TRAILING_ATTRIBUTION = re.compile(r"\s*\([^()]*\)\s*[;.,]?\s*$")


def _ohchr_fields(row: dict[str, str]) -> dict[str, Any]:
    """A row of an OHCHR thematic list parsed to CSV (``ohchr-thematic-lists/ohchr_thematic_lists_cycle2.csv``)."""
    text = row["recommendation"] or ""
    if row.get("recommending_states"):  # the list repeats the recommending states in brackets
        text = _TRAILING_ATTRIBUTION.sub("", text).rstrip(" ;")
    paragraph = (row.get("paragraph") or "").strip()
    return {
        "id": f"ohchr:{row['wg_report'].strip()}:{paragraph}" if paragraph else None,
        "text": text,
        "mechanism": "UPR",
        "language": "en",
        "state_under_review": row.get("state_under_review"),
        "recommending_state": row.get("recommending_states"),
        "cycle": row.get("cycle"),
        "session": row.get("session"),
        "document": row.get("wg_report"),
        "paragraph": paragraph,
        "response": row.get("position"),
        "extra": {
            "uhri_themes": _split_labels(row.get("themes")),
            "affected_persons": _split_labels(row.get("affected_persons")),
            "theme_heading": row.get("theme_heading") or None,
        },
    }


def detect_format(path: Path) -> str:
    """Pick a format from the extension, and for CSV from its header (UPR Info, OHCHR or generic)."""
    fmt = guess_format(path)
    if fmt != "csv":
        return fmt
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            header = {column.strip() for column in handle.readline().split(",")}
    except OSError as error:
        raise FileFormatError(f"cannot read {path}: {error.strerror or error}") from error
    if {"row_id", "recommendation", "issues"} <= header:
        return "upr-info"
    if {"wg_report", "recommendation", "theme_heading"} <= header:
        return "ohchr"
    return "csv"


def read_recommendations(
    path: str | Path,
    fmt: str = "auto",
    encoding: str | None = None,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> Iterator[SourceRow | RowError]:
    """Yield every recommendation of a file, or the reason its row was rejected.

    Raises :class:`FileFormatError` when the file as a whole cannot be read.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise FileFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise FileFormatError(f"{path} does not exist or is not a file")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "upr-info":
        required = {"row_id", "recommendation"}
        return _known_csv(path, encoding, max_text_chars, required, "a UPR Info export", _upr_info_fields)
    if fmt == "ohchr":
        required = {"wg_report", "recommendation"}
        return _known_csv(path, encoding, max_text_chars, required, "an OHCHR thematic list", _ohchr_fields)
    return _generic(path, fmt, encoding, max_text_chars)
