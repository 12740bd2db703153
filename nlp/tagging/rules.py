"""Phrase rules: which labels a text names outright, in Arabic, French or English.

A rule is a label code with its phrases per language (a treaty's title and acronym, "child
marriage" / "mariage d'enfants" / "زواج الأطفال"). Matching follows the conventions written at the
top of ``corpora/crosswalks/themes_to_sdg.yaml``:

- English and French phrases match case-insensitively on word boundaries, except all-uppercase
  acronyms (``CAT``, ``FGM``), which match case-sensitively as whole words;
- Arabic phrases match as substrings after tatweel and diacritics are removed and letter variants
  unified, so that prefixed clitics (و، ب، ل) attach to the word, and a phrase with the article also
  after ل fused with it ("نظام روما الأساسي للمحكمة الجنائية الدولية");
- where matches overlap, the longest (most specific) one wins: "Optional Protocol to the
  Convention against Torture" names the protocol, not the Convention;
- ``exclude`` phrases are cut out of the text first ("law enforcement" is not about legislation).

Example:
    >>> rules = PhraseRules({"cat": {"en": ["Convention against Torture", "CAT"]},
    ...                      "op-cat": {"en": ["Optional Protocol to the Convention against Torture"]}})
    >>> rules.find("Ratify the Optional Protocol to the Convention against Torture and the CAT")
    [('op-cat', 'Optional Protocol to the Convention against Torture'), ('cat', 'CAT')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from nlp.text import normalize_arabic, with_fused_article

_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"\w+")


def _is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in phrase


def _pattern(phrase: str) -> re.Pattern:
    """One phrase: Arabic as a substring, otherwise whole words (case-sensitive for acronyms)."""
    if _ARABIC.search(phrase):
        return re.compile(re.escape(phrase))
    body = r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"
    return re.compile(body) if _is_acronym(phrase) else re.compile(body, re.IGNORECASE)


class PhraseRules:
    """Find the labels whose phrases a text contains (see the module docstring for the conventions).

    A text's words select the candidate phrases (by their first word; Arabic phrases by substring),
    so the cost hardly grows with the number of rules.

    Args:
        phrases: label code → language → phrases (every language is tried on every text, since
            recommendations quote titles in other languages).
        exclude: phrases blanked out of the text before matching.
    """

    def __init__(self, phrases: Mapping[str, Mapping[str, Sequence[str]]], exclude: Sequence[str] = ()) -> None:
        self.phrases = {
            code: {lang: list(p) for lang, p in by_language.items()} for code, by_language in phrases.items()
        }
        self.exclude = tuple(exclude)
        entries: dict[str, list[str]] = {}
        for code, by_language in self.phrases.items():
            for language_phrases in by_language.values():
                for phrase in language_phrases:
                    for form in with_fused_article(phrase, _clean(phrase)):
                        codes = entries.setdefault(form, [])
                        if code not in codes:
                            codes.append(code)
        # Latin phrases are looked up by their first word among the text's words (fast); Arabic ones,
        # which may be glued to clitics, as substrings of texts in Arabic script; only the phrases
        # found that way are checked against their precise pattern
        self._by_first_word: dict[str, list[tuple[str, bool, re.Pattern, list[str]]]] = {}
        self._arabic: list[tuple[str, re.Pattern, list[str]]] = []
        for phrase, codes in entries.items():
            if _ARABIC.search(phrase):
                self._arabic.append((phrase, _pattern(phrase), codes))
            else:
                first = _WORD.findall(phrase.casefold())[0]
                # the phrase as it must appear (lower-cased unless an acronym), to skip its pattern cheaply
                acronym = _is_acronym(phrase)
                needle = phrase if acronym else phrase.lower()
                self._by_first_word.setdefault(first, []).append((needle, acronym, _pattern(phrase), codes))
        self._exclude = [(phrase.casefold(), _pattern(phrase)) for phrase in map(_clean, self.exclude)]

    def find(self, text: str) -> list[tuple[str, str]]:
        """``(code, matched text)`` of each label the text names, in order of appearance, each code once."""
        text = _clean(text)
        folded = text.casefold()
        for needle, pattern in self._exclude:
            if needle in folded or len(folded) != len(text):
                text = pattern.sub(lambda m: " " * len(m.group(0)), text)
        folded = text.casefold()
        words = set(_WORD.findall(folded))
        lowered = text.lower()
        candidates = [
            (pattern, codes)
            for word in words & self._by_first_word.keys()
            for needle, acronym, pattern, codes in self._by_first_word[word]
            if needle in (text if acronym else lowered)
        ]
        if _ARABIC.search(text):
            candidates += [(pattern, codes) for needle, pattern, codes in self._arabic if needle in text]
        spans = [(m.start(), m.end(), codes) for pattern, codes in candidates for m in pattern.finditer(text)]
        kept: list[tuple[int, int, list[str]]] = []
        for start, stop, codes in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if all(stop <= s or start >= e for s, e, _ in kept):
                kept.append((start, stop, codes))
        found, seen = [], set()
        for start, stop, codes in sorted(kept):
            for code in codes:
                if code not in seen:
                    seen.add(code)
                    found.append((code, text[start:stop]))
        return found


def _clean(text: str) -> str:
    """Arabic normalised for matching (tatweel, diacritics, letter variants) and spaces collapsed."""
    return " ".join(normalize_arabic(text).split())
