"""Key terms read alike in Arabic, French and English, and order near-equal search hits."""

import numpy as np
import pytest

from nlp.instruments import MARKERS, signature
from nlp.key_terms import ACTIONS, SHADOWING_ACTIONS, key_term_mismatch, key_terms
from nlp.search import QueryCues
from nlp.wording import wording_key

# one recommendation in three languages, and the action code all three must name
SAME_ACTION = [
    (
        "RATIFY",
        "Ratify the Convention on the Rights of Persons with Disabilities",
        "Ratifier la Convention relative aux droits des personnes handicapées",
        "التصديق على اتفاقية حقوق الأشخاص ذوي الإعاقة",
    ),
    (
        "ACCEDE",
        "Accede to the 1954 Convention relating to the Status of Stateless Persons",
        "Adhérer à la Convention de 1954 relative au statut des apatrides",
        "الانضمام إلى اتفاقية عام 1954 بشأن وضع الأشخاص عديمي الجنسية",
    ),
    (
        "ESTABLISH",
        "Establish a national human rights institution in line with the Paris Principles",
        "Mettre en place une institution nationale des droits de l'homme conforme aux Principes de Paris",
        "إنشاء مؤسسة وطنية لحقوق الإنسان وفقا لمبادئ باريس",
    ),
    (
        "REINSTATE",
        "Reinstate the moratorium on executions",
        "Rétablir le moratoire sur les exécutions",
        "إعادة فرض الوقف الاختياري لتنفيذ أحكام الإعدام",
    ),
    (
        "AMEND",
        "Amend the Penal Code to criminalize marital rape",
        "Modifier le Code pénal afin d'ériger en infraction le viol conjugal",
        "تعديل قانون العقوبات لتجريم الاغتصاب الزوجي",
    ),
    (
        "REPEAL",
        "Abolish the death penalty",
        "Abolir la peine de mort",
        "إلغاء عقوبة الإعدام",
    ),
    (
        "STRENGTHEN",
        "Strengthen the independence of the judiciary",
        "Renforcer l'indépendance du pouvoir judiciaire",
        "تعزيز استقلال القضاء",
    ),
    (
        "WITHDRAW",
        "Withdraw its reservations to the Convention",
        "Retirer ses réserves à la Convention",
        "سحب تحفظاتها على الاتفاقية",
    ),
    (
        "WORK-TOWARDS",
        "Work towards the ratification of the Convention on the Rights of Persons with Disabilities",
        "Œuvrer à la ratification de la Convention relative aux droits des personnes handicapées",
        "العمل على التصديق على اتفاقية حقوق الأشخاص ذوي الإعاقة",
    ),
    (
        "SPEED-UP",
        "Speed up the ratification of the Optional Protocol to the Convention against Torture",
        "Accélérer la ratification du Protocole facultatif se rapportant à la Convention contre la torture",
        "الإسراع في التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب",
    ),
    (
        "DECRIMINALIZE",
        "Decriminalize defamation",
        "Dépénaliser la diffamation",
        "إلغاء تجريم التشهير",
    ),
    (
        "ESTABLISH",
        "Impose a moratorium on executions",
        "Instaurer un moratoire sur les exécutions",
        "إرساء وقف اختياري لتنفيذ أحكام الإعدام",
    ),
]


@pytest.mark.parametrize(("code", "en", "fr", "ar"), SAME_ACTION, ids=[row[0] for row in SAME_ACTION])
def test_an_action_has_one_code_in_three_languages(code, en, fr, ar):
    terms = [key_terms(en, "en"), key_terms(fr, "fr"), key_terms(ar, "ar")]
    assert all(code in t for t in terms), terms
    assert terms[0] == terms[1] == terms[2]


def test_every_action_code_is_reachable_in_each_language():
    for code, phrases in ACTIONS.items():
        arabic = [p for p in phrases if "\u0600" <= p[0] <= "\u06ff"]
        latin = [p for p in phrases if p not in arabic]
        assert arabic and latin, code
        assert code in key_terms(arabic[0].replace("~ ", "").replace("*", ""), "ar"), code


def test_every_phrase_names_its_code_alone_and_an_arabic_one_after_a_proclitic():
    # the patterns are skipped for texts without their needles: no phrase may lose its code by it
    for code, phrases in [*ACTIONS.items(), *SHADOWING_ACTIONS.items()]:
        for phrase in phrases:
            text = " ".join(word.removesuffix("*") for word in phrase.split() if word != "~")
            arabic = "\u0600" <= phrase[0] <= "\u06ff"
            # with a proclitic, with لل for ال ("to the ..."), and with the article a listed word lacks
            # (إلغاء, which reads الغاء once normalised, in الإلغاء and بالإلغاء)
            with_article = ["لل" + text[2:]] if text.startswith("ال") else ["ال" + text, "بال" + text]
            arabic_forms = (text, "و" + text, *with_article)
            for form in arabic_forms if arabic else (text, f"Please {text} now"):
                assert code in key_terms(form, "ar" if arabic else "en"), (code, form)
    for code, phrases in MARKERS.items():
        for phrase in phrases:
            assert code in signature(phrase, "ar" if "\u0600" <= phrase[0] <= "\u06ff" else "en"), (code, phrase)


def test_words_are_whole_and_the_review_s_own_name_is_no_request_to_revise():
    assert "SIGN" not in key_terms("Take significant steps", "en")
    assert "SIGN" not in key_terms("Train health workers to identify signs of abuse", "en")
    assert "PROCEED" not in key_terms("Guarantee a defence in eviction proceedings", "en")
    assert "IMPLEMENT" not in key_terms("Envisager un moratoire sur l'application de la peine de mort", "fr")


def test_an_arabic_word_listed_without_its_article_matches_with_it():
    assert "IMPLEMENT" in key_terms("ضمان التنفيذ الفعال لخطة العمل", "ar")
    assert "IMPLEMENT" in key_terms("تخصيص الموارد اللازمة للتنفيذ", "ar")
    assert "VISIT" in key_terms("النظر بصورة إيجابية في طلب الزيارة", "ar")
    assert "AMEND" not in key_terms("Implement the universal periodic review recommendations", "en")
    assert "AMEND" not in key_terms("Integrate a gender perspective into the follow-up to the UPR review", "en")
    assert "AMEND" in key_terms("Review the Penal Code", "en")
    assert "PROCEED" in key_terms("المضي في التصديق على الاتفاقية", "ar")
    assert "PROCEED" not in key_terms("المضي قدما في التصديق على الاتفاقية", "ar")  # "move forward"
    assert "IMPLEMENT" not in key_terms("وقف تنفيذ أحكام الإعدام", "ar")


def test_an_arabic_action_takes_an_attached_pronoun_but_ta_marbuta_is_no_pronoun():
    assert "IMPLEMENT" in key_terms("صياغة تشريعات وسنها وتنفيذها", "ar")  # "... and implementing it"
    assert "STRENGTHEN" in key_terms("حماية الحقوق وتعزيزها", "ar")
    assert "AMEND" in key_terms("مراجعتها", "ar")  # ة written ت before the pronoun
    assert "ESTABLISH" in key_terms("إنشاؤها", "ar")  # the hamza on its seat
    assert "CONSIDER" not in key_terms("مكافحة النظرة النمطية", "ar")  # النظرة, "the view", is no النظر + ه
    assert "IMPLEMENT" not in key_terms("السلطة التنفيذية", "ar")


def test_numbers_count_in_any_digits():
    assert "#189" in key_terms("التصديق على الاتفاقية رقم ١٨٩", "ar")
    assert "#189" in key_terms("Ratify ILO Convention No. 189", "en")


def test_mismatch_is_the_larger_unshared_share_of_actions_or_of_the_other_terms():
    assert key_term_mismatch(frozenset(), frozenset()) == 0.0
    assert key_term_mismatch(frozenset({"RATIFY", "CAT"}), frozenset({"RATIFY", "CAT"})) == 0.0
    # another action is a full mismatch, however many instruments both name
    assert key_term_mismatch(frozenset({"RATIFY", "CAT", "OP"}), frozenset({"ACCEDE", "CAT", "OP"})) == 1.0
    assert key_term_mismatch(frozenset({"RATIFY", "CAT"}), frozenset({"RATIFY", "CAT", "OP"})) == pytest.approx(1 / 2)
    assert key_term_mismatch(frozenset({"RATIFY", "#1954"}), frozenset({"RATIFY", "SPEED-UP", "#1954"})) == 0.5


def test_among_near_equal_hits_the_one_with_the_query_s_key_terms_comes_first(near_equal_search):
    texts = ["Accede to the Convention against Torture", "Ratify the Convention against Torture"]
    searcher, query = near_equal_search(texts)
    assert searcher.search_vectors(query, k=2)[0][0].record["id"] == "r0"
    cues = QueryCues.of("Ratifier la Convention contre la torture", "fr")
    assert searcher.search_vectors(query, k=2, cues=[cues])[0][0].record["id"] == "r1"
    keywords = QueryCues.of("torture", "en")  # a query that names no key term asks for none
    assert searcher.search_vectors(query, k=2, cues=[keywords])[0][0].record["id"] == "r0"
    searcher.key_term_penalty = 0.0
    assert searcher.search_vectors(query, k=2, cues=[cues])[0][0].record["id"] == "r0"


def test_a_score_lowered_by_the_cues_is_held_to_the_minimum_score(near_equal_search):
    texts = ["Accede to the Convention against Torture", "Ratify the Convention against Torture"]
    searcher, query = near_equal_search(texts)
    cues = QueryCues.of("Ratifier la Convention contre la torture", "fr")
    hits = searcher.search_vectors(query, k=2, cues=[cues], min_score=0.99)[0]
    assert [hit.record["id"] for hit in hits] == ["r1"]  # r0's cosine passes, its score less the penalty not
    assert all(hit.score >= 0.99 for hit in hits)


def test_candidates_left_unread_could_not_have_entered_the_first_k(near_equal_search):
    """Rescoring stops early; the first k wordings must be those a full rescoring (cues and centrality)
    gives."""
    searcher, _ = near_equal_search(["unused"])
    actions = ["Ratify", "Accede to", "Sign", "Consider ratifying", "Continue to implement", "Withdraw reservations to"]
    instruments = ["the CAT", "the OP-CAT", "the CRPD", "ILO Convention No. 189", "the CED"]
    texts = [f"{a} {i}" for a in actions for i in instruments]
    records = {pk: {"text": text, "language": "en", "id": f"r{pk}"} for pk, text in enumerate(texts)}
    wordings = {pk: wording_key(record["text"], "en") for pk, record in records.items()}
    rng = np.random.default_rng(7)
    for query in ("Ratifier la Convention contre la torture", "Envisager de signer la CED", "Retirer ses réserves"):
        cues = QueryCues.of(query, "fr")
        scores = np.sort(rng.uniform(0.6, 0.7, len(texts)))[::-1]
        hits = [(int(pk), float(s)) for pk, s in zip(rng.permutation(len(texts)), scores, strict=True)]
        hub = rng.uniform(0.0, 0.02, len(hits))  # the centrality penalties, lowering scores like the cues
        searcher._hub_penalties = lambda _hits, hub=hub: hub
        full = sorted(
            (
                (pk, s - (float(hub[n]) + searcher._cue_penalty(cues, records[pk]["text"], "en")))
                for n, (pk, s) in enumerate(hits)
            ),
            key=lambda h: -h[1],
        )
        for k in (1, 3, 5):
            assert searcher._by_cues(hits, records, wordings, cues, k)[:k] == full[:k]


def test_a_hyphenated_re_reads_as_one_word():
    assert key_terms("Re-establish a moratorium on the death penalty", "en") == key_terms(
        "Rétablir un moratoire sur la peine de mort", "fr"
    )
    assert "RECONSIDER" in key_terms("Re-consider the ratification of the Convention", "en")
    # and re-establishing in Arabic is no establishing
    assert key_terms("إعادة إنشاء الوقف الاختياري لعقوبة الإعدام", "ar") == {"REINSTATE", "MORATORIUM"}


def test_decriminalising_is_no_repealing():
    assert "REPEAL" not in key_terms("إلغاء تجريم العلاقات بالتراضي بين البالغين من نفس الجنس", "ar")
    assert "REPEAL" in key_terms("إلغاء القوانين التي تجرم العلاقات بالتراضي", "ar")


def test_ilo_conventions_by_number_and_optional_protocols_with_a_pronoun():
    for text in ("Consider ratifying the ILO Convention 169", "Consider ratifying ILO Convention N. 169"):
        assert "ILO169" in signature(text, "en"), text
    assert "OP" in signature("التصديق على اتفاقية مناهضة التعذيب وبروتوكولها الاختياري", "ar")
    assert "CRPD" in signature("Ratify the Convention on the Rights of People with Disabilities", "en")
