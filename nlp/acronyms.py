"""Expansion of the human-rights acronyms that recommendations use, before embedding.

Recommendations say "Ratify the OP-CAT"; their translations, and most other recommendations, spell
the instrument out. The multilingual encoder does not know what the acronyms stand for (it scores
"Ratify the OP-CAT" at 0.27 against the Arabic full name), so the text given to the encoder has
them written out in the text's own language. Display text is never changed.

Example:
    >>> expand_acronyms("Ratify the OP-CAT and the CRC", "en")
    'Ratify the Optional Protocol to the Convention against Torture and the Convention on the Rights of the Child'
"""

from __future__ import annotations

import re
from functools import lru_cache

_EN: dict[str, str] = {
    "OP-CAT": "Optional Protocol to the Convention against Torture",
    "CAT": "Convention against Torture",
    "OP-CEDAW": "Optional Protocol to the Convention on the Elimination of All Forms of Discrimination against Women",
    "CEDAW": "Convention on the Elimination of All Forms of Discrimination against Women",
    "ICERD": "International Convention on the Elimination of All Forms of Racial Discrimination",
    "CERD": "International Convention on the Elimination of All Forms of Racial Discrimination",
    "ICCPR-OP2": "Second Optional Protocol to the International Covenant on Civil and Political Rights",
    "ICCPR-OP1": "Optional Protocol to the International Covenant on Civil and Political Rights",
    "ICCPR": "International Covenant on Civil and Political Rights",
    "OP-ICESCR": "Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
    "ICESCR": "International Covenant on Economic, Social and Cultural Rights",
    "OP-CRPD": "Optional Protocol to the Convention on the Rights of Persons with Disabilities",
    "CRPD": "Convention on the Rights of Persons with Disabilities",
    "OP-CRC-SC": "Optional Protocol to the Convention on the Rights of the Child on the sale of children",
    "OP-CRC-AC": (
        "Optional Protocol to the Convention on the Rights of the Child "
        "on the involvement of children in armed conflict"
    ),
    "OP-CRC-IC": "Optional Protocol to the Convention on the Rights of the Child on a communications procedure",
    "OP-CRC": "Optional Protocol to the Convention on the Rights of the Child",
    "CRC": "Convention on the Rights of the Child",
    "ICRMW": (
        "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families"
    ),
    "ICPPED": "International Convention for the Protection of All Persons from Enforced Disappearance",
    "CPED": "International Convention for the Protection of All Persons from Enforced Disappearance",
    "CED": "International Convention for the Protection of All Persons from Enforced Disappearance",
    "NPM": "national preventive mechanism",
    "NHRI": "national human rights institution",
    "NHRIs": "national human rights institutions",
    "NMIRF": "national mechanism for implementation, reporting and follow-up",
    "UPR": "Universal Periodic Review",
    "OHCHR": "Office of the High Commissioner for Human Rights",
    "ILO": "International Labour Organization",
    "ICC": "International Criminal Court",
    "MDGs": "Millennium Development Goals",
    "MDG": "Millennium Development Goal",
    "SDGs": "Sustainable Development Goals",
    "SDG": "Sustainable Development Goal",
    "FGM/C": "female genital mutilation",
    "FGM": "female genital mutilation",
    "GBV": "gender-based violence",
    "IDPs": "internally displaced persons",
    "LGBTIQ": "lesbian, gay, bisexual, transgender, intersex and queer persons",
    "LGBTI": "lesbian, gay, bisexual, transgender and intersex persons",
    "LGBT": "lesbian, gay, bisexual and transgender persons",
    "SOGI": "sexual orientation and gender identity",
    "HRDs": "human rights defenders",
}

#: other spellings of the protocols' acronyms ("OPCAT", "ICCPR-OP 2", "CAT-OP", "CRC-OP-SC"...), each written
#: out as the acronym it stands for
_PROTOCOL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "OP-CAT": ("OPCAT", "CAT-OP"),
    "OP-CEDAW": ("CEDAW-OP", "OPCEDAW"),
    "ICCPR-OP1": (
        "ICCPR-OP 1",
        "ICCPR-OP-1",
        "ICCPR OP1",
        "ICCPR OP-1",
        "OP1-ICCPR",
        "OP-ICCPR 1",
        "OP-ICCPR",
        "OPICCPR",
    ),
    "ICCPR-OP2": ("OP2-ICCPR", "ICCPR-OP 2", "ICCPR-OP-2", "ICCPR OP2", "ICCPR OP-2", "OP-ICCPR 2", "OP2 ICCPR"),
    "OP-ICESCR": ("OP-CESCR", "ICESCR-OP", "OPICESCR"),
    "OP-CRPD": ("CRPD-OP", "OPCRPD"),
    "OP-CRC-SC": ("OPSC", "CRC-OP-SC", "CRC-SC-OP", "OPCRC-SC", "CRC-OPSC"),
    "OP-CRC-AC": ("OPAC", "CRC-OP-AC", "CRC-AC-OP", "OPCRC-AC", "CRC-OPAC"),
    "OP-CRC-IC": ("OPIC", "CRC-OP-IC", "OPCRC-IC", "CRC-OPIC"),
}
_EN.update({spelling: _EN[acronym] for acronym, spellings in _PROTOCOL_SPELLINGS.items() for spelling in spellings})

_FR: dict[str, str] = {
    "OPCAT": "Protocole facultatif se rapportant à la Convention contre la torture",
    "OP-CAT": "Protocole facultatif se rapportant à la Convention contre la torture",
    "CEDEF": "Convention sur l'élimination de toutes les formes de discrimination à l'égard des femmes",
    "CEDAW": "Convention sur l'élimination de toutes les formes de discrimination à l'égard des femmes",
    "PIDCP": "Pacte international relatif aux droits civils et politiques",
    "PIDESC": "Pacte international relatif aux droits économiques, sociaux et culturels",
    "CDE": "Convention relative aux droits de l'enfant",
    "CDPH": "Convention relative aux droits des personnes handicapées",
    "EPU": "Examen périodique universel",
    "INDH": "institution nationale des droits de l'homme",
    "MNP": "mécanisme national de prévention",
    "ODD": "objectifs de développement durable",
    "OMD": "objectifs du Millénaire pour le développement",
    "MGF": "mutilations génitales féminines",
    "OIT": "Organisation internationale du Travail",
    "CPI": "Cour pénale internationale",
    "HCDH": "Haut-Commissariat des Nations Unies aux droits de l'homme",
    "LGBTI": "personnes lesbiennes, gays, bisexuelles, transgenres et intersexes",
    "LGBT": "personnes lesbiennes, gays, bisexuelles et transgenres",
}

_LEXICONS = {"en": _EN, "fr": _FR}


@lru_cache(maxsize=4)
def _pattern(language: str) -> re.Pattern[str] | None:
    lexicon = _LEXICONS.get(language)
    if not lexicon:
        return None
    # longest first, so that OP-CAT wins over CAT; acronyms are matched case-sensitively as words
    alternatives = "|".join(re.escape(a) for a in sorted(lexicon, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])\(?(?:{alternatives})\)?(?![\w-])")


def expand_acronyms(text: str, language: str | None) -> str:
    """Write out known acronyms in the text's language; an acronym right after its own expansion goes."""
    pattern = _pattern(language or "en")
    if pattern is None or not pattern.search(text):
        return text
    lexicon = _LEXICONS[language or "en"]

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        acronym = token.strip("()")
        expansion = lexicon[acronym]
        if text[: match.start()].rstrip(" ,-").lower().endswith(expansion.lower()):
            return ""  # "the Convention against Torture (CAT)", or "... CAT" where an export dropped the brackets
        if token.startswith("(") and token.endswith(")"):
            return f"({expansion})"
        return expansion

    expanded = re.sub(r"\s+([.,;:])", r"\1", pattern.sub(replace, text))
    return re.sub(r"\s{2,}", " ", expanded).strip()
