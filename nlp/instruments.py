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
        "protocoles facultatifs",
        "البروتوكول الاختياري",
        "بروتوكول اختياري",
        "البروتوكولين الاختياريين",
        "البروتوكولات الاختيارية",
        # "its optional protocol(s)": the pronoun attached to the noun
        "بروتوكولها الاختياري",
        "بروتوكوله الاختياري",
        "بروتوكوليها الاختياريين",
        "بروتوكوليه الاختياريين",
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
        "rights of people with disabilities",
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
    "ROME": ("rome statute", "rome statue", "statut de rome", "نظام روما"),  # "Statue": a typo 27 dev-set rows share
    "APIC": (
        "privileges and immunities",
        "privilèges et immunités",
        "امتيازات وحصانات",
        "امتيازات المحكمة الجنائية الدولية",
    ),
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
    "GENOCIDE": ("genocide", "génocide", "الإبادة الجماعية"),
    "ISTANBUL": (
        "istanbul convention",
        "convention d'istanbul",
        "اتفاقية إسطنبول",
        "preventing and combating violence against women and domestic violence",
        "prévention et la lutte contre la violence à l'égard des femmes et la violence domestique",
        "منع ومكافحة العنف ضد المرأة والعنف المنزلي",
    ),
    "LANZAROTE": (
        "lanzarote",
        "protection of children against sexual exploitation and sexual abuse",
        "protection des enfants contre l'exploitation et les abus sexuels",
        "حماية الأطفال من الاستغلال الجنسي والاعتداء الجنسي",
    ),
    "HAGUE-ADOPTION": (
        "intercountry adoption",
        "inter-country adoption",
        "adoption internationale",
        "التبني على الصعيد الدولي",
        "التبني الدولي",
    ),
    # accepting a committee's competence for individual complaints (CERD art. 14, CAT art. 22, CED
    # art. 31) is a commitment of its own, apart from ratifying the convention
    "COMPLAINTS": (
        "individual communications",
        "individual complaints",
        "communications individuelles",
        "plaintes individuelles",
        "البلاغات الفردية",
        "الشكاوى الفردية",
        "competence of the committee",
        "compétence du comité",
        "اختصاص لجنة",
        "اختصاص اللجنة",
        "the declaration provided for",
        "declaration under article",
        "declaration regarding article",
        "declaration of article",
        "déclaration prévue",
        "الإعلان المنصوص عليه",
        "الإعلان المتعلق بالمادة",
    ),
    "COMMUTATION": (
        "commut",
        "commuer",
        "death sentences with",
        "death sentences into",
        "تخفيف أحكام الإعدام",
        "تخفيف جميع أحكام الإعدام",
        "تحويل أحكام الإعدام",
        "تحويل جميع أحكام الإعدام",
    ),
}

#: codes that a named code implies, so that a text naming less of an instrument's title still agrees
IMPLIES: dict[str, frozenset[str]] = {
    "OP2": frozenset({"OP"}),
    "NPM": frozenset({"OP", "CAT"}),
    "CRC-SALE": frozenset({"CRC"}),
    "ILO189": frozenset({"DOMESTIC-WORKERS"}),
}

#: codes that change the commitment when one text names them and the other does not (a protocol
#: instead of its convention, a moratorium instead of abolition, a mechanism instead of a
#: ratification); the other codes only name the instrument, and a text that leaves the instrument
#: unnamed ("the 1951 Refugee Convention", "in line with article 6") does not contradict one that
#: names it
MODIFIERS = frozenset(
    {
        "OP",
        "OP2",
        "MORATORIUM",
        "NPM",
        "COMMUNICATIONS",
        "STANDING-INVITATION",
        "CRC-SALE",
        "CRC-ARMED",
        "COMPLAINTS",
        "COMMUTATION",
    }
)

#: the article of a convention under which a state accepts its committee's individual complaints
_COMPLAINTS_ARTICLE = {
    "CERD": re.compile(r"(?:article|المادة)\s+14\b"),
    "CAT": re.compile(r"(?:article|المادة)\s+22\b"),
    "CED": re.compile(r"(?:articles?|المادتين|المادة)\s+31\b"),
}

# making a new law and applying one in force are different commitments ("Adopt a law on domestic
# violence" vs "Enforce the existing laws against domestic violence"); a text that says neither, or
# both, contradicts neither
_LAW = r"(?:law|laws|act|legislation|loi|lois|législation|تشريع|تشريعا|تشريعات|قانون|قانونا|قوانين)"
_LAW_CODES = {
    "LAW-NEW": re.compile(
        rf"\b(?:adopt|adopting|enact|enacting|introduce|pass|adopter|promulguer|سن|اعتماد|اصدار)\s+(?:\S+\s+){{0,3}}?{_LAW}\b"
    ),
    "LAW-APPLY": re.compile(
        rf"\benforc\w*\s+(?:\S+\s+){{0,3}}?{_LAW}\b"
        r"|\b(?:apply|implement|implementation of)\s+(?:\S+\s+){0,2}?(?:existing|current)\s+"
        rf"(?:\S+\s+){{0,2}}?{_LAW}\b"
        r"|faire appliquer|\b(?:appliquer|application)\s+(?:\S+\s+){0,3}?(?:loi|lois|législation)\s+"
        r"(?:existante|existantes|en vigueur)\b"
        r"|\bانفاذ\b|\bتطبيق\s+(?:القوانين|القانون|التشريعات)\s+(?:القائمه|النافذه|الساريه)"
    ),
}

_ILO_NUMBER = re.compile(r"(?:\bno\.?|\bn\.|\bn°|\bnº|رقم|\bc-?|\bconvention)\s*(\d{2,3})\b")
# ILO/OIT are written out before matching (nlp.acronyms), so the organisation is found by its name
_ILO_NAME = re.compile(
    r"\b(?:ilo|oit|international labou?r organi[sz]ation|organisation internationale du travail)\b|"
    + re.escape(normalize_for_matching("منظمة العمل الدولية"))
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


_ARABIC_PROCLITICS = "[وفبكل]?"


def word_pattern(word: str, article: bool | None = None, letters: str | None = None) -> str:
    """A phrase's first word; an Arabic one may carry a proclitic (و ف ب ك ل, لل for ال).

    ``article``: whether the word's leading ال is the article (by default, when it has one; a word
    whose normalised form only begins like it, إلغاء → الغاء, keeps those letters with ``False``).
    ``letters``: a pattern for the Arabic word after its article (default: those letters as they are).
    """
    if not ("\u0600" <= word[0] <= "\u06ff"):
        return re.escape(word)
    if word.startswith("ال") if article is None else article:
        return f"(?:{_ARABIC_PROCLITICS}ال|[وفب]?لل){letters or re.escape(word[2:])}"
    return f"{_ARABIC_PROCLITICS}{letters or re.escape(word)}"


def word_needle(word: str) -> str:
    """A part of ``word`` that every match of :func:`word_pattern` contains as it is: the word, an
    Arabic one without its article. A text without it cannot match, so its pattern is skipped."""
    return word[2:] if word.startswith("ال") else word


#: a code, the needles of its phrases (:func:`word_needle` of their first words) and its pattern
CodePattern = tuple[str, tuple[str, ...], re.Pattern[str]]


class CodePatterns:
    """Code patterns, each run only on a text that holds one of its needles: the needles are looked up
    once per text for all the patterns (many share one), not once per pattern."""

    def __init__(self, patterns: list[CodePattern]) -> None:
        self.patterns = patterns
        by_needle: dict[str, list[int]] = {}
        for position, (_, needles, _) in enumerate(patterns):
            for needle in needles:
                by_needle.setdefault(needle, []).append(position)
        self._by_needle = list(by_needle.items())

    def _candidates(self, text: str) -> list[int]:
        """The positions, in order, of the patterns with a needle in ``text``."""
        return sorted({position for needle, positions in self._by_needle if needle in text for position in positions})

    def codes_found(self, text: str) -> set[str]:
        """The codes whose pattern ``text`` matches."""
        return {self.patterns[i][0] for i in self._candidates(text) if self.patterns[i][2].search(text)}

    def taken_out(self, text: str) -> tuple[set[str], str]:
        """The codes whose pattern ``text`` matches, and ``text`` with their matches blanked, in pattern order."""
        codes = set()
        for position in self._candidates(text):
            code, _, pattern = self.patterns[position]
            text, found = pattern.subn(" ", text)
            if found:
                codes.add(code)
        return codes, text


def _phrase_pattern(words: list[str]) -> str:
    """Words separated by spaces, the first as :func:`word_pattern` reads it."""
    return r"\s+".join([word_pattern(words[0]), *(re.escape(word) for word in words[1:])])


@lru_cache(maxsize=1)
def _patterns() -> CodePatterns:
    compiled = []
    for code, phrases in MARKERS.items():
        words = [normalize_for_matching(phrase).split() for phrase in phrases]
        alternatives = "|".join(_phrase_pattern(phrase_words) for phrase_words in words)
        needles = tuple(dict.fromkeys(word_needle(phrase_words[0]) for phrase_words in words))
        compiled.append((code, needles, re.compile(rf"(?<!\w)(?:{alternatives})")))
    return CodePatterns(compiled)


def matching_text(text: str, language: str | None = None) -> str:
    """``text`` as the markers read it: acronyms written out, normalised for matching, Western digits."""
    language = language or detect_language(text)
    return normalize_for_matching(expand_acronyms(text, language)).translate(_DIGITS)


def signature(text: str, language: str | None = None) -> frozenset[str]:
    """The instrument and commitment codes ``text`` names (plus ILO convention numbers)."""
    return signature_of(matching_text(text, language))


def signature_of(normalised: str) -> frozenset[str]:
    """:func:`signature` of a text already read by :func:`matching_text`."""
    codes = _patterns().codes_found(normalised)
    if _ILO_NAME.search(normalised):
        codes.update(f"ILO{number}" for number in _ILO_NUMBER.findall(normalised))
    codes.update(code for code, pattern in _LAW_CODES.items() if pattern.search(normalised))
    if any(code in codes and pattern.search(normalised) for code, pattern in _COMPLAINTS_ARTICLE.items()):
        codes.add("COMPLAINTS")
    for code in list(codes):
        codes |= IMPLIES.get(code, frozenset())
    if {"OP", "CRC-ARMED"} <= codes:  # "the Optional Protocol on children in armed conflict"
        codes.add("CRC")
    return frozenset(codes)


def conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two signatures name different commitments.

    They do when neither contains the other, when the one that names more adds a :data:`MODIFIERS`
    code, or when the one that names less names a modifier without its instrument: ``{CAT}`` and
    ``{CAT, OP}`` conflict (CAT vs OP-CAT), ``{}`` and ``{MORATORIUM}`` conflict (abolition vs
    moratorium), ``{OP}`` and ``{OP, CAT}`` conflict ("the Optional Protocol", unnamed, vs OP-CAT),
    ``{}`` and ``{REFUGEES}`` do not ("the 1951 Refugee Convention" vs its full title).

    >>> conflict(signature("Ratify the CAT", "en"), signature("Ratify the OP-CAT", "en"))
    True
    >>> refugees = signature("Adhérer à la Convention relative au statut des réfugiés", "fr")
    >>> conflict(signature("Accede to the 1951 Refugee Convention", "en"), refugees)
    False
    """
    if a == b:
        return False
    if not (a <= b or b <= a):
        return True
    smaller = a if a <= b else b
    return bool((a ^ b) & MODIFIERS or smaller & MODIFIERS)
