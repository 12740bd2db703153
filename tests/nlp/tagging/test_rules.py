import numpy as np
import pytest

from nlp.tagging.rules import PhraseRules

RULES = PhraseRules(
    {
        "cat": {
            "en": ["Convention against Torture", "CAT"],
            "fr": ["Convention contre la torture"],
            "ar": ["اتفاقية مناهضة التعذيب"],
        },
        "op-cat": {
            "en": ["Optional Protocol to the Convention against Torture"],
            "fr": ["Protocole facultatif se rapportant à la Convention contre la torture"],
            "ar": ["البروتوكول الاختياري لاتفاقية مناهضة التعذيب"],
        },
        "law": {"en": ["law", "legislation"], "fr": ["loi", "législation"], "ar": ["قانون", "تشريع"]},
    },
    exclude=["law enforcement", "rule of law", "إنفاذ القانون"],
)


def codes(text: str) -> list[str]:
    return [code for code, _ in RULES.find(text)]


def test_the_longest_overlapping_phrase_wins_and_separate_mentions_each_count():
    assert codes("Ratify the Optional Protocol to the Convention against Torture") == ["op-cat"]
    assert codes("Ratify the OP to the CAT and then the Convention against Torture") == ["cat"]
    assert codes("Ratify the Optional Protocol to the Convention against Torture and the CAT") == ["op-cat", "cat"]


def test_acronyms_are_case_sensitive_whole_words_and_phrases_are_not():
    assert codes("Train the cat") == [] and codes("CATERING") == []
    assert codes("CONVENTION AGAINST  torture") == ["cat"]


@pytest.mark.parametrize(
    "text",
    [
        "Amend the Penal Code and adopt a law on domestic violence",
        "Modifier le code pénal et adopter une loi sur la violence domestique",
        "تعديل قانون العقوبات واعتماد قانون بشأن العنف المنزلي",
        "وبالقانون",  # an Arabic clitic attaches to the word
        "ولتشريعاتها",
    ],
)
def test_keywords_match_in_english_french_and_arabic(text):
    assert codes(text) == ["law"]


def test_excluded_phrases_are_blanked_out_first():
    assert codes("Train law enforcement officials and uphold the rule of law") == []
    assert codes("تدريب الموظفين المكلفين بإنفاذ القانون") == []
    assert codes("Train law enforcement officials on the new law") == ["law"]
    assert codes("Lawyers and outlaws") == [], "whole words only in English and French"


def test_arabic_diacritics_and_tatweel_do_not_hide_a_phrase():
    assert codes("اتفاقيـــة مُناهَضة التعذيب") == ["cat"]


def test_an_arabic_phrase_with_the_article_is_found_after_the_preposition_fused_with_it():
    # "the Second Optional Protocol to the CAT" with لاتفاقية, and ل + البروتوكول written للبروتوكول
    assert codes("الانضمام إلى البروتوكول الاختياري لاتفاقية مناهضة التعذيب") == ["op-cat"]
    assert codes("الامتثال للبروتوكول الاختياري لاتفاقية مناهضة التعذيب") == ["op-cat"]


def test_no_rules_find_nothing():
    assert PhraseRules({}).find("anything") == []


def test_crosswalk_tagger_reports_the_phrase_as_the_reason():
    from corpora.taxonomies import Label
    from nlp.tagging.crosswalk import Calibration, CrosswalkTagger

    labels = [Label("law", {"en": "Law"}, {"en": "Laws"}), Label("cat", {"en": "CAT"}, {"en": "CAT"})]
    tagger = CrosswalkTagger(labels, [[]], ["none"], None, Calibration(min_score=0.5), RULES)
    tags = tagger.tags(np.zeros((1, 1)), np.zeros((1, 4)), ["en"], texts=["Repeal the law"])[0]
    assert [(t.code, t.reason) for t in tags] == [("law", "names 'law'")]
    assert tagger.tags(np.zeros((1, 1)), np.zeros((1, 4)), ["en"])[0] == [], "no texts: no rules"
