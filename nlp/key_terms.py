"""The key terms of a recommendation, as codes that read alike in Arabic, French and English: what
it asks the state to do (ratify, accede, sign, establish, reinstate, amend, repeal ...), the
instruments and commitments it names (:func:`nlp.instruments.signature`) and its numbers.

A sentence encoder places "Ratify the 1954 Convention" and "Accede to the 1954 Convention", or
"Establish a moratorium" and "Reinstate a moratorium", almost at the same point, and a translation
of one of them may land nearer the other. Their key terms differ; search ranks, among near-equal
candidates, the one whose key terms are the query's first (:class:`nlp.search.Searcher`).

Phrases are matched on normalised text (:func:`nlp.text.normalize_for_matching`) as whole words;
``*`` ends a word that may take any ending, ``~`` stands for up to four words.

Example:
    >>> sorted(key_terms("Ratifier la Convention de 1954 relative au statut des apatrides", "fr"))
    ['#1954', 'RATIFY', 'STATELESS-1954']
    >>> sorted(key_terms("الانضمام إلى اتفاقية عام 1954 بشأن وضع الأشخاص عديمي الجنسية", "ar"))
    ['#1954', 'ACCEDE', 'STATELESS-1954']
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.instruments import CodePattern, CodePatterns, matching_text, signature_of, word_needle, word_pattern
from nlp.text import normalize_for_matching

#: action code -> phrases (any language) that ask for it
ACTIONS: dict[str, tuple[str, ...]] = {
    "RATIFY": ("ratif*", "التصديق", "تصديق*", "يصدق", "تصدق"),
    "ACCEDE": (
        "accede*",
        "acceding",
        "accession",
        "adhere*",
        "adhering",
        "adhérer",
        "adhère*",
        "adhésion",
        "الانضمام",
        "انضمام*",
        "تنضم",
        "ينضم",
        "انضمت",
    ),
    "SIGN": ("sign", "signing", "signer", "signature", "التوقيع", "توقيع*"),
    "CONSIDER": (
        "consider*",
        "reconsider*",
        "envisag*",
        "reconsidérer",
        "réexaminer",
        "examiner favorablement",
        "النظر",
        "ينظر",
        "تنظر",
    ),
    "RECONSIDER": ("reconsider*", "reconsidérer", "réexaminer", "إعادة النظر"),
    "STUDY": ("study", "studying", "explore", "exploring", "étudier", "étude", "explorer", "دراسة", "استكشاف"),
    "ESTABLISH": (
        "establish*",
        "set up",
        "setting up",
        "put in place",
        "putting in place",
        "create",
        "creating",
        "creation",
        "établir",
        "établissement",
        "créer",
        "création",
        "instaurer",
        "instauration",
        "instituer",
        "mettre en place",
        "mise en place",
        "إنشاء",
        "إقامة",
        "استحداث",
        "تأسيس",
        "إرساء",
        # a moratorium is established whatever the verb: "impose", "introduce", "declare" it
        "impose ~ moratorium",
        "introduce ~ moratorium",
        "declare ~ moratorium",
        "imposer ~ moratoire",
        "décréter ~ moratoire",
        "فرض ~ وقف اختياري",
        "إعلان ~ وقف اختياري",
    ),
    "REINSTATE": (
        "reinstat*",
        "re-establish*",
        "reestablish*",
        "restor*",
        "reintroduc*",
        "rétablir",
        "rétablissement",
        "réintroduire",
        "restaurer",
        "إعادة العمل",
    ),
    "ADOPT": (
        "adopt",
        "adopting",
        "adoption",
        "enact*",
        "passage",
        "إقرار",
        "adopter",
        "promulguer",
        "promulgation",
        "اعتماد",
        "سن قانون",
        "سن تشريع*",
    ),
    "AMEND": (
        "amend*",
        "modif*",
        "revise",
        "revising",
        "revision",
        "review its",
        "review the",
        "review all",
        "review existing",
        "reviewing",
        "amender",
        "amendement*",
        "réviser",
        "révision",
        "revoir",
        "تعديل*",
        "تنقيح",
        "مراجعة",
    ),
    "REPEAL": (
        "repeal*",
        "revok*",
        "revocation",
        "abolish*",
        "abolition",
        "rescind*",
        "abrogat*",
        "abroger",
        "abolir",
        "supprimer",
        "suppression",
        "إلغاء",
        "إلغائ*",
        "إبطال",
    ),
    "ENSURE": (
        "ensur*",
        "guarantee*",
        "veiller",
        "garantir",
        "assurer",
        "faire en sorte",
        "ضمان",
        "كفالة",
        "تضمن",
        "تكفل",
    ),
    "IMPLEMENT": (
        "implement*",
        "apply",
        "applying",
        "put into practice",
        "give effect",
        "mettre en œuvre",
        "mise en œuvre",
        "mises en œuvre",
        "mis en œuvre",
        "appliquer",
        "application",
        "donner effet",
        "تنفيذ",
        "تطبيق",
    ),
    "STRENGTHEN": (
        "strengthen*",
        "promot*",
        "reinforc*",
        "enhanc*",
        "step up",
        "redouble*",
        "intensif*",
        "renforcer",
        "promouvoir",
        "promotion",
        "renforcement",
        "intensifier",
        "redoubler",
        "تعزيز",
        "تكثيف",
        "تدعيم",
        "تقوية",
        "مضاعفة",
    ),
    "MEASURES": (
        "take ~ steps",
        "take ~ measures",
        "undertake ~ measures",
        "take ~ action",
        "introduce ~ measures",
        "undertake ~ steps",
        "adopt ~ measures",
        "prendre ~ mesures",
        "adopter ~ mesures",
        "prendre ~ dispositions",
        "اتخاذ ~ خطوات",
        "اتخاذ ~ الخطوات",
        "اتخاذ ~ تدابير",
        "اتخاذ ~ التدابير",
        "اتخاذ ~ إجراءات",
        "اتخاذ ~ الإجراءات",
        "اعتماد ~ التدابير",
        "اعتماد ~ تدابير",
    ),
    "INVITATION": ("invit*", "دعوة", "الدعوة"),
    "VISIT": ("visit*", "se rendre", "زيارة"),
    "RESPOND": ("respond*", "response", "répondre", "réponse", "الاستجابة", "الرد"),
    "MOVE-FORWARD": ("move forward", "moving forward", "faire avancer", "المضي قدما"),
    "PROCEED": ("proceed", "proceeding with", "proceeding to", "procéder", "المضي في"),
    "WORK-TOWARDS": (
        "work towards",
        "work toward",
        "working towards",
        "œuvrer",
        "s'employer à",
        "العمل على",
        "العمل من أجل",
    ),
    "SPEED-UP": (
        "speed up",
        "accelerat*",
        "expedit*",
        "swift*",
        "prompt*",
        "as soon as possible",
        "as early as possible",
        "at the earliest",
        "dès que possible",
        "le plus tôt possible",
        "au plus tôt",
        "early ratif*",
        "early accession",
        "في وقت مبكر",
        "accélérer",
        "rapidement",
        "rapide",
        "rapides",
        "سريع*",
        "السريع*",
        "sans délai",
        "dans les meilleurs délais",
        "الإسراع",
        "تسريع",
        "تعجيل",
        "على وجه السرعة",
        "في أقرب وقت",
    ),
    "COMPLETE": (
        "complete the",
        "complete its",
        "completing",
        "completion",
        "conclud*",
        "finali*",
        "achever",
        "mener à terme",
        "finaliser",
        "إتمام",
        "وضع الصيغة النهائية",
        "استكمال",
    ),
    "DECRIMINALIZE": ("decriminali*", "décriminalis*", "dépénalis*", "عدم تجريم", "رفع التجريم"),
    "ELIMINATE": ("eliminat*", "eradicat*", "élimin*", "éradiquer", "éradication", "القضاء على"),
    "WITHDRAW": ("withdraw*", "lift*", "retirer", "retrait", "lever", "levée", "سحب", "رفع التحفظ*", "رفع تحفظ*"),
}

# phrases whose words would read as an action they do not ask for: "review" asks to revise, except
# in the name of the review itself; تنفيذ is "implementing", except in "carrying out death sentences";
# ضمان and كفالة are "ensuring", except in "social security" and "the kafala system"; النظر is
# "considering", except in "regardless of"; applying the death penalty is no implementing
_NOT_ACTIONS = re.compile(
    "|".join(
        [r"universal periodic review(?: review)?", "examen périodique universel"]
        + [
            normalize_for_matching(phrase)
            for phrase in (
                "تنفيذ أحكام الإعدام",
                "تطبيق عقوبة الإعدام",
                "application de la peine de mort",
                "الضمان الاجتماعي",
                "نظام الكفالة",
                "بصرف النظر",
                "بغض النظر",
            )
        ]
    )
)
#: actions whose phrases hold another action's word: matched first, then taken out of the text the
#: others are read in: إلغاء تجريم is "decriminalising", not "repealing" (إلغاء); إعادة إنشاء is
#: "re-establishing", not "establishing" (إنشاء)
SHADOWING_ACTIONS: dict[str, tuple[str, ...]] = {
    "DECRIMINALIZE": ("إلغاء تجريم*", "إلغاء التجريم"),
    "REINSTATE": ("إعادة فرض", "إعادة إنشاء", "إعادة تطبيق", "إعادة إدخال", "إعادة إرساء"),
}
#: "re-establish", "re-consider": read as "reestablish", "reconsider" (and so not as "establish")
_HYPHENATED_RE = re.compile(r"(?<!\w)re-(?=[a-z])")
ACTION_CODES = frozenset(ACTIONS)
_NUMBER = re.compile(r"(?<![\w.,])\d{2,}(?![\w.,]\d)")


#: a pronoun attached to an Arabic masdar: تنفيذها "its implementation"; not the masculine ه, which
#: normalisation makes indistinguishable from ة (النظره is النظرة, "the view", الرده is الردة)
_PRONOUN = "(?:ها|هم|هما|هن|كم|نا)"
#: last letters written otherwise before an attached pronoun: ة as ت (مراجعتها), a hamza on its seat
#: (إنشائها, إنشاؤها)
_BEFORE_PRONOUN = {"ه": "ت", "ء": "[ئؤ]"}


def _takes_pronoun(phrase: str) -> bool:
    """Whether the phrase is one Arabic word, listed whole (no ``*``), which a pronoun may follow."""
    return len(phrase.split()) == 1 and "\u0600" <= phrase[0] <= "\u06ff" and not phrase.endswith("*")


def _with_pronoun(stem: str) -> str:
    """An Arabic word alone or with an attached pronoun, whose last letter may change before it."""
    forms = [re.escape(stem) + _PRONOUN + "?"]
    if stem[-1] in _BEFORE_PRONOUN:
        forms.append(re.escape(stem[:-1]) + _BEFORE_PRONOUN[stem[-1]] + _PRONOUN)
    return "(?:" + "|".join(forms) + ")"


def _word(word: str, pronoun: bool = False) -> str:
    """One word's pattern; an Arabic word given without its article matches with it too, and with
    ``pronoun`` (:func:`_takes_pronoun`) with an attached pronoun."""
    if word == "~":
        return r"(?:\S+\s+){0,4}?"
    stem = normalize_for_matching(word.removesuffix("*"))
    ending = r"\w*" if word.endswith("*") else ""
    if not "\u0600" <= stem[0] <= "\u06ff":
        return word_pattern(stem) + ending
    # the listed word decides: إلغاء is listed without its article although it reads الغاء once normalised
    if not word.startswith("ال"):
        letters = _with_pronoun(stem) if pronoun else None
        with_article = word_pattern("ال" + stem, letters=letters)
        return f"(?:{with_article}|{word_pattern(stem, article=False, letters=letters)}){ending}"
    return word_pattern(stem, letters=_with_pronoun(stem[2:]) if pronoun else None) + ending


def _phrase(phrase: str) -> str:
    """``a ~ b`` -> ``a\\s+(?:\\S+\\s+){0,4}?b``: the gap takes the space after it."""
    parts = [_word(word, pronoun=_takes_pronoun(phrase)) for word in phrase.split()]
    pattern = parts[0]
    for previous, part in zip(phrase.split(), parts[1:], strict=False):
        pattern += part if previous == "~" else r"\s+" + part
    return pattern


def _needle(phrase: str) -> str:
    """What every match of the phrase contains as it is (its first word's stem; see :func:`_word`;
    without the last letter where an attached pronoun may change it)."""
    first = phrase.split()[0]
    if first == "~":
        return ""
    stem = normalize_for_matching(first.removesuffix("*"))
    if _takes_pronoun(phrase) and stem[-1] in _BEFORE_PRONOUN:
        stem = stem[:-1]
    return word_needle(stem)


def _code_patterns(actions: dict[str, tuple[str, ...]]) -> list[CodePattern]:
    compiled = []
    for code, phrases in actions.items():
        alternatives = "|".join(_phrase(phrase) for phrase in phrases)
        needles = tuple(dict.fromkeys(_needle(phrase) for phrase in phrases))
        compiled.append((code, needles, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    return compiled


@lru_cache(maxsize=1)
def _action_patterns() -> CodePatterns:
    return CodePatterns(_code_patterns(ACTIONS))


@lru_cache(maxsize=1)
def _shadowing_patterns() -> CodePatterns:
    return CodePatterns(_code_patterns(SHADOWING_ACTIONS))


@lru_cache(maxsize=200_000)
def key_terms(text: str, language: str | None = None) -> frozenset[str]:
    """The action codes, instrument codes and numbers (``#1954``) ``text`` names."""
    normalised = matching_text(text, language)
    actions = _NOT_ACTIONS.sub(" ", normalised)
    if "re-" in actions:
        actions = _HYPHENATED_RE.sub("re", actions)
    codes, actions = _shadowing_patterns().taken_out(actions)
    codes |= _action_patterns().codes_found(actions)
    codes.update(f"#{number}" for number in _NUMBER.findall(normalised))
    return frozenset(codes | signature_of(normalised))


def _share_unshared(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a ^ b) / len(union) if union else 0.0


def key_term_mismatch(a: frozenset[str], b: frozenset[str]) -> float:
    """How far two texts' key terms differ, from 0 to 1: the share of their actions that only one of
    them names, or of their other terms (instruments, numbers) if that is larger. Another action is
    a full mismatch however many instruments both name ("Ratify the CAT" / "Accede to the CAT")."""
    actions_a, actions_b = a & ACTION_CODES, b & ACTION_CODES
    return max(_share_unshared(actions_a, actions_b), _share_unshared(a - actions_a, b - actions_b))
