"""Text handling shared by every stage: normalisation, language detection, sentence splitting.

Display text is only trimmed and NFC-composed; the aggressive forms (case folding, Arabic letter
unification) exist for matching and hashing alone, never for what a coordinator reads.

Example:
    >>> normalize_for_matching("التَّصْدِيقُ عَلَى الاتفاقيـــة")
    'التصديق علي الاتفاقيه'
    >>> detect_language("Ratifier la Convention relative aux droits de l'enfant")
    'fr'
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from nlp.language_words import FUNCTION_WORDS, OPENING_VERBS

#: Languages the default embedder handles; language detection never answers outside this set.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "ar",
    "de",
    "en",
    "es",
    "fr",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "ru",
    "th",
    "tr",
    "zh-cn",
    "zh-tw",
)
UNDETERMINED = "und"

_TATWEEL = "\u0640"
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_ARABIC_LETTER_MAP = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u06cc": "\u064a",  # farsi yeh -> yeh
        "\u0629": "\u0647",  # ta marbuta -> heh
    }
)
_WHITESPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\s\W_]+|[\s\W_]+$")


#: control characters (C0 and C1, DEL) that no recommendation means: dropped from display text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_display(text: str) -> str:
    """Return text fit for display and storage: NFC, control characters dropped, trimmed, inner
    whitespace collapsed."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", text))).strip()


def normalize_arabic(text: str) -> str:
    """Remove tatweel and diacritics and unify alef/yeh/ta marbuta (matching only)."""
    text = text.replace(_TATWEEL, "")
    text = _ARABIC_MARKS.sub("", text)
    return text.translate(_ARABIC_LETTER_MAP)


def with_fused_article(phrase: str, normalised: str) -> tuple[str, ...]:
    """``normalised`` (the phrase as it is matched), and, when the Arabic ``phrase`` begins with the
    article ال, its form after the preposition ل, which fuses with the article: للمحكمة for ل + المحكمة.
    The phrase as written decides: إلغاء reads الغاء once normalised but has no article."""
    return (normalised, "لل" + normalised[2:]) if phrase.strip().startswith("ال") else (normalised,)


def normalize_for_matching(text: str) -> str:
    """Return the matching key of a text: NFKC, case-folded, Arabic unified, spaces and edge punctuation cut.

    Two recommendations whose keys are equal are the same text for duplicate detection and ids.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = normalize_arabic(text)
    text = _WHITESPACE.sub(" ", text)
    return _EDGE_PUNCTUATION.sub("", text)


# --- language detection -------------------------------------------------------------------------

_SCRIPT_OF_LANGUAGE = {"Arabic": "ar", "Cyrillic": "ru", "Thai": "th", "Hangul": "ko"}


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufefc":
            script = "Arabic"
        elif char <= "\u024f":
            script = "Latin"
        elif "\u0400" <= char <= "\u04ff":
            script = "Cyrillic"
        elif "\u0e00" <= char <= "\u0e7f":
            script = "Thai"
        elif "\uac00" <= char <= "\ud7af" or "\u1100" <= char <= "\u11ff":
            script = "Hangul"
        elif "\u3040" <= char <= "\u30ff":
            script = "Kana"
        elif "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            script = "Han"
        else:
            script = "Other"
        counts[script] = counts.get(script, 0) + 1
    return counts


#: what an opening verb counts, as much as two function words
_OPENING_VERB_WEIGHT = 2
_WORD = re.compile(r"[^\W\d_]+")


def _guess_latin_by_words(text: str) -> str | None:
    """The language whose function words and opening verb clearly dominate the text, else None."""
    scores = dict.fromkeys(FUNCTION_WORDS, 0)
    words = _WORD.findall(text.casefold())
    for word in words:
        for language, function_words in FUNCTION_WORDS.items():
            if word in function_words:
                scores[language] += 1
    for language, verbs in OPENING_VERBS.items():
        if any(word in verbs for word in words[:2]):  # first, or second after an adverb ("Fully implement")
            scores[language] += _OPENING_VERB_WEIGHT
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= 2 and top >= 3 * second:
        return best
    return None


class _SeededLangDetect:
    """langdetect restricted to the supported languages, with a fixed seed (deterministic)."""

    def __init__(self, seed: int = 0) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self._factory = DetectorFactory()
        self._factory.load_json_profile(
            [(Path(PROFILES_DIRECTORY) / lang).read_text(encoding="utf-8") for lang in SUPPORTED_LANGUAGES]
        )
        self._factory.set_seed(seed)
        self._lock = threading.Lock()

    def detect(self, text: str) -> str:
        from langdetect.lang_detect_exception import LangDetectException

        with self._lock:  # the factory is not documented as thread-safe
            detector = self._factory.create()
        detector.append(text)
        try:
            return detector.detect()
        except LangDetectException:
            return UNDETERMINED


@lru_cache(maxsize=1)
def _langdetect() -> _SeededLangDetect:
    return _SeededLangDetect(seed=0)


def detect_language(text: str) -> str:
    """Return an ISO 639-1 code (``zh-cn``/``zh-tw`` for Chinese) or ``"und"``.

    A script check comes first, so any text mostly in Arabic letters is Arabic however short;
    Latin-script text is decided by frequent function words and an English or French opening verb
    (:mod:`nlp.language_words`) when they are clear, and by langdetect (seeded, restricted to the
    supported languages) otherwise.
    """
    counts = _script_counts(text)
    letters = sum(counts.values())
    if letters == 0:
        return UNDETERMINED
    script, count = max(counts.items(), key=lambda item: item[1])
    if counts.get("Arabic", 0) >= 0.3 * letters:
        return "ar"
    if script in _SCRIPT_OF_LANGUAGE and count >= 0.5 * letters:
        return _SCRIPT_OF_LANGUAGE[script]
    if script == "Kana" or (script == "Han" and counts.get("Kana")):
        return "ja"
    if script == "Han":
        return _langdetect().detect(text) if letters > 1 else "zh-cn"
    if script == "Latin":
        guess = _guess_latin_by_words(text)
        if guess:
            return guess
    return _langdetect().detect(text)


# --- sentence splitting -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences (Latin and Arabic punctuation, incl. ``؟``), trimmed, non-empty."""
    return [span.text.strip() for span in _sentencizer()(text).sents if span.text.strip()]
