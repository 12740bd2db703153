"""A tag: a label code with its display name, a score in [0, 1] and the reason that produced it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tag:
    code: str
    label: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "label": self.label, "score": round(self.score, 4), "reason": self.reason}


def best_first(tags: list[Tag], limit: int | None = None) -> list[Tag]:
    ordered = sorted(tags, key=lambda tag: (-tag.score, tag.code))
    return ordered[:limit] if limit else ordered
