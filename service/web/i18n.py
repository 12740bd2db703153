"""The workspace's languages: message catalogs (``locales/<lang>.json``) and the reader's choice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import Request

LOCALES = Path(__file__).parent / "locales"
LANGUAGES: dict[str, str] = {"ar": "العربية", "fr": "Français", "en": "English"}
RIGHT_TO_LEFT = {"ar"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "tawsiya_lang"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of one language, by key."""
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Translator:
    """Messages of one language; ``t("key", n=3)`` formats the message with the arguments given.

    Example:
        >>> Translator("fr")("nav.search")
        'Recherche'
    """

    lang: str

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RIGHT_TO_LEFT else "ltr"

    def __call__(self, key: str, **values: object) -> str:
        message = catalog(self.lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
        return message.format(**values) if values else message


def chosen_language(request: Request) -> str:
    """The language from the cookie set by the switch, then the browser's preferences, then English.

    Never from the query: ``?lang=`` filters recommendations by their language on the search page.
    """
    if request.cookies.get(LANGUAGE_COOKIE) in LANGUAGES:
        return request.cookies[LANGUAGE_COOKIE]
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
