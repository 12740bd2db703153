"""Filtering stored recommendations by metadata, effective tags and responsible bodies.

One :class:`RecommendationFilter` serves the paged listing (SQL with subqueries) and search
(the matching primary keys, handed to the index as the allowed ids).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from sqlalchemy import ColumnElement, func, select

from nlp.store.annotation_repository import Annotations
from nlp.store.repository import Store
from nlp.store.schema import RecommendationRow


@dataclass(frozen=True, slots=True)
class RecommendationFilter:
    state: str | None = None
    mechanism: str | None = None
    cycle: int | None = None
    language: str | None = None
    response: str | None = None
    #: an SDG goal (``4``) or target (``4.1``)
    sdg: str | None = None
    #: a UHRI theme code
    theme: str | None = None
    #: an affected-persons code
    persons: str | None = None
    #: a body id of the ministry directory (lead or supporting)
    ministry: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))

    def conditions(self) -> list[ColumnElement[bool]]:
        row = RecommendationRow
        out: list[ColumnElement[bool]] = []
        if self.state:
            out.append(func.lower(row.state_under_review) == self.state.strip().lower())
        if self.mechanism:
            out.append(row.mechanism == self.mechanism.strip().upper())
        if self.cycle is not None:
            out.append(row.cycle == self.cycle)
        if self.language:
            out.append(row.language == self.language)
        if self.response:
            out.append(func.lower(row.response) == self.response.strip().lower())
        if self.sdg:
            code = self.sdg.strip()
            out.append(row.pk.in_(Annotations.tag_query("sdg_targets" if "." in code else "sdg_goals", code)))
        if self.theme:
            out.append(row.pk.in_(Annotations.tag_query("themes", self.theme.strip())))
        if self.persons:
            out.append(row.pk.in_(Annotations.tag_query("affected_persons", self.persons.strip())))
        if self.ministry:
            out.append(row.pk.in_(Annotations.ministry_query(self.ministry.strip())))
        return out


def page_of(store: Store, where: RecommendationFilter, page: int, page_size: int) -> tuple[list[int], int]:
    """Primary keys of one page (1-based, oldest first) and the number of matching recommendations."""
    conditions = where.conditions()
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(RecommendationRow).where(*conditions)) or 0
        query = (
            select(RecommendationRow.pk)
            .where(*conditions)
            .order_by(RecommendationRow.pk)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        return list(session.scalars(query)), total


def matching_pks(store: Store, where: RecommendationFilter) -> np.ndarray | None:
    """Primary keys matching the filter, or ``None`` when it filters nothing."""
    if where.is_empty():
        return None
    with store.session() as session:
        query = select(RecommendationRow.pk).where(*where.conditions())
        return np.fromiter(session.scalars(query), dtype=np.int64)
