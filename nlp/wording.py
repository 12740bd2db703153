"""The wording key: equal keys mean the same words, whatever the spelling of acronyms, the optional
tail of a treaty title (:mod:`nlp.embedding_text`), articles, punctuation, case or Arabic letter variants.

"Ratify the OP-CEDAW" and "Ratify the Optional Protocol to the Convention on the Elimination of All
Forms of Discrimination against Women." are one wording, and so are "Ratify the CAT" and "Ratify the
Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment";
"Consider ratifying ..." is another (a weaker commitment), and so are a singular and a plural.
Search shows one hit per wording.

Example:
    >>> wording_key("Ratify the OP-CAT.", "en")
    'ratify optional protocol to convention against torture'
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.embedding_text import embedding_text
from nlp.text import normalize_for_matching

_ARTICLES = {
    "en": re.compile(r"(?<!\w)(?:the|a|an)(?!\w)"),
    "fr": re.compile(r"(?<!\w)(?:le|la|les|un|une)(?!\w)|(?<!\w)l['’]"),
}
_PUNCTUATION = re.compile(r"[^\w\s']+|(?<!\w)'|'(?!\w)")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def wording_key(text: str, language: str | None) -> str:
    key = normalize_for_matching(embedding_text(text, language))
    key = _PUNCTUATION.sub(" ", key)
    articles = _ARTICLES.get(language or "")
    if articles is not None:
        key = articles.sub(" ", key)
    return _SPACES.sub(" ", key).strip()


def any_language_wording_key(text: str) -> str:
    """The wording key without knowing the text's language: the articles of every language dropped."""
    key = wording_key(text, None)
    for articles in _ARTICLES.values():
        key = articles.sub(" ", key)
    return _SPACES.sub(" ", key).strip()
