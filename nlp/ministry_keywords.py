"""A body's keyword phrases found in a recommendation: which phrase, and how much it says about the body.

A longer phrase says more than one word, and a phrase in the operative opening ("Ratify…", "Amend the
Penal Code…") says more than one further on, since the lead is the body that carries out the main action.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.text import normalize_for_matching, with_fused_article


class KeywordMatcher:
    """Finds a body's phrases in a normalised text and scores the best one (0 when none matches).

    Phrases also match with a plural or verb ending ('ratify' in 'ratifying', 'refugee' in
    'refugees', 'réserve' in 'réserves') and, in Arabic, after a one-letter proclitic (و ف ب ل ك),
    an article fused with the preposition ل included (للمجلس for المجلس).
    """

    def __init__(self, phrases: Sequence[str], base: float, distance: float, reach: int) -> None:
        self.base, self.distance, self.reach = base, distance, reach
        forms = {form for p in phrases if p.strip() for form in with_fused_article(p, normalize_for_matching(p))}
        phrases = sorted(forms, key=len, reverse=True)
        alternatives = "|".join(re.escape(p) for p in phrases)
        self.pattern_ = (
            re.compile(rf"(?:(?<!\w)|(?<=(?<!\w)[وفبلك]))(?:{alternatives})(?:s|es|e|x|ing|ed|d)?(?!\w)")
            if phrases
            else None
        )
        # the phrases' first words, which every match contains as they are: a text without any of them
        # is not scanned by the pattern (its leading lookbehinds make the regex engine try every position)
        self.needles_ = tuple(dict.fromkeys((phrase.split() or [""])[0] for phrase in phrases))

    def score(self, text: str) -> tuple[float, str]:
        return best_match(self.matches(text))

    def matches(self, text: str) -> list[tuple[float, str, int, int]]:
        """``(value, phrase, start, end)`` of every phrase found."""
        if self.pattern_ is None or not any(needle in text for needle in self.needles_):
            return []
        found = []
        for match in self.pattern_.finditer(text):
            words = max(1, sum(len(word) >= 4 for word in match.group(0).split()))
            specificity = min(1.0, self.base + (1.0 - self.base) / 2 * (words - 1))
            position = len(text[: match.start()].split())
            value = specificity * (1.0 - self.distance * min(1.0, position / self.reach))
            found.append((value, match.group(0), match.start(), match.end()))
        return found


def best_match(matches: Sequence[tuple[float, str, int, int]]) -> tuple[float, str]:
    """The value and phrase of the best match (``(0.0, "")`` when there is none)."""
    best = max(matches, key=lambda m: m[0], default=(0.0, "", 0, 0))
    return best[0], best[1]


def outside_longer(matches: list[list[tuple[float, str, int, int]]]) -> list[list[tuple[float, str, int, int]]]:
    """Each body's matches without those lying inside a longer phrase of another body: in "higher
    education" the body of "education" is not named, the body of "higher education" is."""
    spans = [(start, end, b) for b, found in enumerate(matches) for _, _, start, end in found]
    return [
        [
            m
            for m in found
            if not any(s <= m[2] and m[3] <= e and e - s > m[3] - m[2] and other != b for s, e, other in spans)
        ]
        for b, found in enumerate(matches)
    ]
