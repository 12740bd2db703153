"""Which human-rights instruments and key commitments a recommendation names, in Arabic, French or English.

Near-miss recommendations look alike to a sentence encoder: "ratify the CAT" and "ratify the
OP-CAT", the two Optional Protocols to the CRC, "abolish the death penalty" and "establish a
moratorium on executions". The *signature* of a text, the set of instrument and commitment codes
it names, tells them apart; duplicate clustering lowers the similarity of two texts whose
signatures differ.

Example:
    >>> sorted(signature("Ratify the Optional Protocol to the Convention against Torture"))
    ['CAT', 'OP']
    >>> sorted(signature("التصديق على اتفاقية مناهضة التعذيب"))
    ['CAT']
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.acronyms import expand_acronyms
from nlp.text import detect_language, normalize_for_matching

#: code -> phrases (any language) that name it; matched on normalised text as whole phrases.
MARKERS: dict[str, tuple[str, ...]] = {
    "OP": (
        "optional protocol",
        "protocol to the convention",
        "protocole facultatif",
        "البروتوكول الاختياري",
        "بروتوكول اختياري",
        "البروتوكولين الاختياريين",
    ),
    "OP2": ("second optional protocol", "deuxième protocole facultatif", "البروتوكول الاختياري الثاني"),
    "CAT": (
        "convention against torture",
        "convention contre la torture",
        "اتفاقية مناهضة التعذيب",
        "committee against torture",
        "comité contre la torture",
        "لجنة مناهضة التعذيب",
    ),
    "CRC": (
        "convention on the rights of the child",
        "convention relative aux droits de l'enfant",
        "اتفاقية حقوق الطفل",
    ),
    "CRC-SALE": ("sale of children", "vente d'enfants", "بيع الأطفال"),
    "CRC-ARMED": (
        "armed conflict",
        "conflits armés",
        "conflit armé",
        "المنازعات المسلحة",
        "النزاعات المسلحة",
        "النزاع المسلح",
    ),
    "COMMUNICATIONS": ("communications procedure", "présentation de communications", "تقديم البلاغات"),
    "CEDAW": (
        "discrimination against women",
        "discrimination à l'égard des femmes",
        "التمييز ضد المرأة",
    ),
    "CERD": ("racial discrimination", "discrimination raciale", "التمييز العنصري"),
    "ICCPR": ("civil and political rights", "droits civils et politiques", "الحقوق المدنية والسياسية"),
    "ICESCR": (
        "economic, social and cultural rights",
        "droits économiques, sociaux et culturels",
        "الحقوق الاقتصادية والاجتماعية والثقافية",
    ),
    "CRPD": (
        "rights of persons with disabilities",
        "droits des personnes handicapées",
        "حقوق الأشخاص ذوي الإعاقة",
    ),
    "ICRMW": ("migrant workers", "travailleurs migrants", "العمال المهاجرين"),
    "DOMESTIC-WORKERS": (
        "domestic workers",
        "travailleurs domestiques",
        "travailleuses et travailleurs domestiques",
        "العمال المنزليين",
        "العمال المنزليون",
        "عمال المنازل",
    ),
    "CED": ("enforced disappearance", "disparitions forcées", "disparition forcée", "الاختفاء القسري"),
    "ROME": ("rome statute", "statut de rome", "نظام روما"),
    "APIC": ("privileges and immunities", "privilèges et immunités", "امتيازات"),
    "STATELESS-1954": ("status of stateless persons", "statut des apatrides", "وضع الأشخاص عديمي الجنسية"),
    "STATELESS-1961": ("reduction of statelessness", "réduction des cas d'apatridie", "خفض حالات انعدام الجنسية"),
    "REFUGEES": ("status of refugees", "statut des réfugiés", "وضع اللاجئين"),
    "MORATORIUM": ("moratorium", "moratoire", "وقف اختياري", "الوقف الاختياري"),
    "STANDING-INVITATION": (
        "standing invitation",
        "open invitation",
        "invitation permanente",
        "invitation ouverte",
        "دعوة دائمة",
        "دعوة مفتوحة",
    ),
    "NPM": (
        "national preventive mechanism",
        "mécanisme national de prévention",
        "الآلية الوقائية الوطنية",
        "آلية وقائية وطنية",
    ),
    "PARIS-PRINCIPLES": ("paris principles", "principes de paris", "مبادئ باريس"),
    "FGM": (
        "genital mutilation",
        "mutilations génitales",
        "مشوهة الأعضاء التناسلية",
        "تشويه الأعضاء التناسلية",
        "ختان الإناث",
    ),
    "DEFAMATION": ("defamation", "diffamation", "التشهير", "القذف"),
}

_ILO_NUMBER = re.compile(r"(?:no\.?|n°|nº|رقم)\s*(\d{2,3})\b")
_ILO_ARABIC = normalize_for_matching("منظمة العمل الدولية")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


_ARABIC_PROCLITICS = "[وفبكل]?"


def _phrase_pattern(words: list[str]) -> str:
    """Words separated by spaces; an Arabic first word may carry a proclitic (و ف ب ك ل, لل for ال)."""
    first, rest = words[0], [re.escape(word) for word in words[1:]]
    if "\u0600" <= first[0] <= "\u06ff":
        if first.startswith("ال"):
            head = f"(?:{_ARABIC_PROCLITICS}ال|[وفب]?لل){re.escape(first[2:])}"
        else:
            head = f"{_ARABIC_PROCLITICS}{re.escape(first)}"
    else:
        head = re.escape(first)
    return r"\s+".join([head, *rest])


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for code, phrases in MARKERS.items():
        alternatives = "|".join(_phrase_pattern(normalize_for_matching(phrase).split()) for phrase in phrases)
        compiled.append((code, re.compile(rf"(?<!\w)(?:{alternatives})")))
    return compiled


def signature(text: str, language: str | None = None) -> frozenset[str]:
    """The instrument and commitment codes ``text`` names (plus ILO convention numbers)."""
    language = language or detect_language(text)
    normalised = normalize_for_matching(expand_acronyms(text, language)).translate(_DIGITS)
    codes = {code for code, pattern in _patterns() if pattern.search(normalised)}
    if re.search(r"\b(?:ilo|oit)\b", normalised) or _ILO_ARABIC in normalised:
        codes.update(f"ILO{number}" for number in _ILO_NUMBER.findall(normalised))
    return frozenset(codes)
