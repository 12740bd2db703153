"""The reasons the ministry mapper gives: the decisions they quote, and why a supporting body was proposed."""

from __future__ import annotations

import numpy as np

from nlp.decision_memory import DecisionMemory

#: an example decision is quoted in a lead classifier's reason from this cosine to the recommendation (the
#: nearest example decision with the annotated lead is that near for 75% of 2,000 held-out decisions)
EXAMPLE_QUOTE_MIN_COSINE = 0.5
#: and when the classifier gives the body at least this probability of leading
EXAMPLE_QUOTE_MIN_PROBABILITY = 0.1
#: characters of a decision quoted in a reason (half the example decisions are shorter than 127)
QUOTE_LENGTH = 120


def supporting_reason(own: float, own_reason: str, phrases: list[tuple[float, str]]) -> str:
    """Why a body supports: its own strongest evidence (``own``, ``own_reason``), or what the lead's past
    decisions or the supporting-body classifier added (``(term, phrase)``) when the larger of them weighs more
    than its own evidence (a coordinator reads what drove the proposal); both when its own weighs more."""
    term, phrase = max(phrases, key=lambda entry: entry[0])
    if term <= 0:
        return own_reason
    return phrase if term > own else f"{own_reason}; {phrase}"


class Precedents:
    """Per text and body, the nearest decision of a memory that named the body (as its lead with
    ``led_only``), quoted in the body's reason when at ``min_cosine`` or nearer and stored with its text;
    ``sims``: the texts' :meth:`DecisionMemory.cosines` to the memory."""

    def __init__(self, memory: DecisionMemory, sims: np.ndarray, led_only: bool = False, min_cosine: float = -1.0):
        self.memory, self.min_cosine, self.position = memory, min_cosine, memory.position
        self.cosine, self.rows = memory.nearest_naming(sims, led_only)

    def quote(self, row: int, b: int) -> str:
        """``"Text of the decision…" (cosine 0.83)``, or "" when none is near enough or has a text."""
        found, cosine = self.rows[row, b], float(self.cosine[row, b])
        text = self.memory.texts_[found] if found >= 0 and cosine >= self.min_cosine else ""
        return f'"{shortened(text)}" (cosine {cosine:.2f})' if text else ""

    def reason(self, row: int, b: int) -> str:
        """The reason of a body past decisions proposed: the nearest decision that named it."""
        quote = self.quote(row, b)
        if quote:
            return f"past decision on a similar recommendation: {quote}"
        return f"past decision on a similar recommendation (cosine {max(float(self.cosine[row, b]), 0.0):.2f})"


def classifier_reason(probability: float, led: Precedents, row: int, b: int) -> str:
    """The reason of a body the lead classifier proposed: its probability, and the nearest example decision it
    led when one is near enough to illustrate it."""
    quote = led.quote(row, b) if probability >= EXAMPLE_QUOTE_MIN_PROBABILITY else ""
    return f"example decisions (probability {probability:.2f})" + (f"; the nearest it led: {quote}" if quote else "")


def shortened(text: str, limit: int = QUOTE_LENGTH) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.") + "…"
