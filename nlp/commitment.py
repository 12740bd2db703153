"""How strongly a recommendation commits the state: to *consider* an action, to *continue* one, or to
*act* (UPR Info's action categories, in three levels), read from its opening words in AR/FR/EN.

"Ratify the Convention" and "Consider ratifying the Convention" name the same instrument and embed
almost alike, yet they are different recommendations with different follow-up; a French query
"Ratifier la Convention ..." asks for the first. Search uses the level to rank a candidate with the
query's level above one with another level (:class:`nlp.search.Searcher`).

Example:
    >>> commitment_level("Envisager de ratifier la Convention", "fr")
    'consider'
    >>> commitment_level("Continue its efforts to combat trafficking", "en")
    'continue'
    >>> commitment_level("التصديق على الاتفاقية", "ar")
    'act'
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.text import normalize_for_matching

CONSIDER, CONTINUE, ACT = "consider", "continue", "act"

_OPENINGS: dict[str, dict[str, re.Pattern[str]]] = {
    CONSIDER: {
        "en": re.compile(
            r"(?:to )?(?:consider|envisage|contemplate|reflect on|give (?:due |serious )?consideration"
            r"|(?:study|explore|examine|look into|assess) the (?:possibility|feasibility))"
        ),
        "fr": re.compile(
            r"(?:envisager|considérer|songer|réfléchir"
            r"|(?:étudier|examiner|explorer|évaluer) la (?:possibilité|faisabilité))"
        ),
        "ar": re.compile(r"(?:النظر|التفكير|(?:دراسه|بحث|استكشاف|تقييم) (?:امكانيه|جدوي))"),
    },
    CONTINUE: {
        "en": re.compile(r"(?:to )?(?:continue|pursue|maintain|keep|persevere|persist|sustain|carry on)"),
        "fr": re.compile(r"(?:continuer|poursuivre|maintenir|persévérer|persister)"),
        "ar": re.compile(r"(?:مواصله|الاستمرار|المضي|المثابره)"),
    },
}


@lru_cache(maxsize=100_000)
def commitment_level(text: str, language: str | None) -> str:
    """``consider``, ``continue`` or ``act`` (the default: every other opening)."""
    opening = normalize_for_matching(text)[:80]
    for level, patterns in _OPENINGS.items():
        pattern = patterns.get(language or "")
        if pattern is not None and pattern.match(opening):
            return level
    return ACT
