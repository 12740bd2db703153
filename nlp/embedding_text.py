"""The text the sentence encoder is given for a recommendation or a query.

Two changes to the text as written, so that the encoder compares what a recommendation asks rather
than how it spells the treaties it names (display text is never changed):

- acronyms are written out in the text's language (:func:`nlp.acronyms.expand_acronyms`);
- the optional tails of two treaty titles are dropped: "the Convention against Torture [and Other
  Cruel, Inhuman or Degrading Treatment or Punishment]" and "the Second Optional Protocol to the
  International Covenant on Civil and Political Rights[, aiming at the abolition of the death
  penalty]", in English, French and Arabic. Recommendations name them with or without the tail
  (654 and 236 of the 50,835 dev-set texts have it), translations nearly always with it, and a
  tail of a dozen words outweighs the action in the sentence vector.

Example:
    >>> embedding_text("Ratify CAT-OP", "en")
    'Ratify Optional Protocol to the Convention against Torture'
    >>> embedding_text("Ratifier la Convention contre la torture et autres peines ou traitements "
    ...                "cruels, inhumains ou dégradants", "fr")
    'Ratifier la Convention contre la torture'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from nlp.acronyms import expand_acronyms
from nlp.embedding import Embedder

_TITLE_TAILS = re.compile(
    "|".join(
        (
            r"(against torture)\s*,?\s+and\s+(?:all\s+)?other\s+(?:forms\s+of\s+)?cruel\s*,?\s+inhumane?\s+"
            r"(?:and|or)\s+degrading\s+treatment(?:\s+(?:and|or)\s+punishment)?",
            r"(contre la torture)\s+et\s+autres\s+peines\s+ou\s+traitements\s+cruels\s*,?\s+inhumains\s+ou\s+"
            r"dégradants",
            r"(مناهضة التعذيب)\s+وغيره\s+من\s+ضروب\s+المعاملة\s+أو\s+العقوبة\s+القاسية\s+أو\s+اللا\s?[إا]نسانية\s+"
            r"أو\s+المهينة",
            r"(civil and political rights)\s*,?\s+(?:aiming|aimed|which\s+aims)\s+at\s+(?:the\s+)?abol\w+\s+"
            r"(?:of\s+)?the\s+death\s+penalty",
            r"(droits civils et politiques)\s*,?\s+visant\s+à\s+abolir\s+la\s+peine\s+de\s+mort",
            r"(المدنية والسياسية)\s*،?\s+(?:الهادف|والهادف|الرامي)\s+إلى\s+(?:العمل\s+على\s+)?إلغاء\s+عقوبة\s+"
            r"الإعدام",
        )
    ),
    re.IGNORECASE,
)


#: pieces of text every tail's title head contains, lower-cased (torture, politic(al|ques) and their
#: Arabic), checked before the pattern runs: most texts name neither treaty
_NEEDLES = ("ortur", "olitic", "olitiq", "تعذيب", "سياسية")


def embedding_text(text: str, language: str | None) -> str:
    """``text`` as the encoder reads it: acronyms written out, the optional tails of treaty titles dropped."""
    # before the acronyms are written out, so that "... or Punishment (CAT)" loses its acronym as
    # "the Convention against Torture (CAT)" does, and after, for tails behind an acronym ("CAT and other ...")
    return _without_tails(expand_acronyms(_without_tails(text), language))


def embed_texts(embedder: Embedder, texts: Sequence[str], languages: str | Sequence[str | None] | None) -> np.ndarray:
    """The vectors of ``texts`` as the encoder reads them (:func:`embedding_text`); ``languages`` is one
    code for all the texts or one per text. Every place that embeds a recommendation or a query goes
    through here, so that none of them gives the encoder another text."""
    if languages is None or isinstance(languages, str):
        languages = [languages] * len(texts)
    return embedder.embed([embedding_text(text, language) for text, language in zip(texts, languages, strict=True)])


def _without_tails(text: str) -> str:
    lowered = text.lower()  # the pattern ignores case, so its needles must too
    if not any(needle in lowered for needle in _NEEDLES):
        return text
    # each alternative captures the title's head (one group), which stays
    return _TITLE_TAILS.sub(lambda match: match.group(match.lastindex), text)
