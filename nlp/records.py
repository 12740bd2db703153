"""Core data types passed between the stages (no persistence or web concerns here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from nlp.text import normalize_for_matching

#: Mechanisms a recommendation can come from (UPR, the treaty bodies, the special procedures).
MECHANISMS: tuple[str, ...] = (
    "UPR",
    "CRC",
    "CEDAW",
    "CAT",
    "CERD",
    "CRPD",
    "CESCR",
    "CCPR",
    "CMW",
    "CED",
    "SP",
)

#: Metadata fields of the documented generic import format, besides ``text`` and ``id``.
METADATA_FIELDS: tuple[str, ...] = (
    "mechanism",
    "state_under_review",
    "recommending_state",
    "cycle",
    "session",
    "year",
    "document",
    "paragraph",
    "language",
    "response",
)


@dataclass(slots=True)
class Recommendation:
    """One recommendation as imported: display text, identity and metadata."""

    text: str
    id: str = ""
    mechanism: str | None = None
    state_under_review: str | None = None
    recommending_state: str | None = None
    cycle: int | None = None
    session: int | None = None
    year: int | None = None
    document: str | None = None
    paragraph: str | None = None
    language: str | None = None
    response: str | None = None
    #: Source-specific fields kept as given (e.g. UPR Info issue labels).
    extra: dict[str, Any] = field(default_factory=dict)

    def content_id(self) -> str:
        """An id derived from the normalised text and the identifying metadata.

        The same recommendation imported twice gets the same id; the same words addressed to
        another state, or made by another state, get another id.
        """
        parts = [
            normalize_for_matching(self.text),
            self.mechanism or "",
            normalize_for_matching(self.state_under_review or ""),
            normalize_for_matching(self.recommending_state or ""),
            str(self.cycle or ""),
            str(self.session or ""),
            self.document or "",
            self.paragraph or "",
        ]
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
        return f"r-{digest[:20]}"

    def metadata(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in METADATA_FIELDS}


@dataclass(frozen=True, slots=True)
class RowError:
    """A row of an input file that was rejected, and why."""

    line: int
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field!r}" if self.field else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A row read from a file: where it was and the recommendation it holds."""

    line: int
    recommendation: Recommendation


@dataclass(slots=True)
class ImportSummary:
    """What an import did: counts, and every rejected row with its reason."""

    import_id: int
    source: str
    rows_read: int = 0
    inserted: int = 0
    already_stored: int = 0
    rejected: list[RowError] = field(default_factory=list)
    file_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "source": self.source,
            "rows_read": self.rows_read,
            "inserted": self.inserted,
            "already_stored": self.already_stored,
            "rejected": [error.as_dict() for error in self.rejected],
            "file_error": self.file_error,
        }


@dataclass(frozen=True, slots=True)
class MinistryDecision:
    """A coordinator's lead and supporting bodies for the stored recommendation ``rec_id``, read from
    ``line`` of a file."""

    line: int
    rec_id: str
    lead: str
    supporting: tuple[str, ...]


@dataclass(slots=True)
class DecisionSummary:
    """What reading a file of ministry decisions did: the recommendations whose bodies it set, the
    decisions that were already stored as they are, and every rejected row with its reason."""

    applied: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "applied": len(self.applied),
            "unchanged": self.unchanged,
            "rejected": [error.as_dict() for error in self.rejected],
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the stored recommendation and its cosine similarity to the query.

    ``duplicates`` holds the ids of other stored recommendations with the same normalised text
    among the candidates (the same words from other states or cycles), collapsed into this hit.
    """

    score: float
    record: dict[str, Any]
    duplicates: tuple[str, ...] = ()
    #: the store's primary key of the recommendation
    pk: int | None = None
