import json

import numpy as np
import pytest

from nlp.lead_blend import LEXICAL, BlendedLeadModel
from nlp.lead_model import KernelLeadModel
from nlp.lexical_lead import VOCABULARY, LexicalLeadModel

TEXTS = {
    "justice": ["Amend the Penal Code", "Reform the Code of Criminal Procedure", "Modifier le Code pénal"],
    "health": ["Improve access to hospitals", "Train more nurses and doctors", "Améliorer l'accès aux hôpitaux"],
    "education": ["Build rural schools", "Reduce school dropout of girls", "تعزيز التعليم في المدارس"],
}


def decisions():
    texts = [text for body in TEXTS for text in TEXTS[body]] * 2
    leads = [body for body in TEXTS for _ in TEXTS[body]] * 2
    return texts, leads


@pytest.fixture(scope="module")
def lexical():
    texts, leads = decisions()
    return LexicalLeadModel.fit(texts, leads, c=10.0)


def test_the_words_of_a_text_in_any_learnt_language_point_to_its_body(lexical):
    queries = ["Amend the Penal Code again", "Construire des hôpitaux", "بناء المدارس"]
    probabilities = lexical.probabilities(queries)
    assert [lexical.body_ids[i] for i in probabilities.argmax(axis=1)] == ["justice", "health", "education"]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    assert lexical.probabilities([]).shape == (0, 3)


def test_a_saved_model_gives_the_same_probabilities_and_a_broken_one_is_named(lexical, tmp_path):
    lexical.save(tmp_path / "lexical")
    again = LexicalLeadModel.load(tmp_path / "lexical")
    queries = ["Train nurses", "Réformer le Code pénal", "words it never saw"]
    np.testing.assert_allclose(again.probabilities(queries), lexical.probabilities(queries), atol=1e-6)
    vocabularies = json.loads((tmp_path / "lexical" / VOCABULARY).read_text(encoding="utf-8"))
    vocabularies["words"] = vocabularies["words"][:-1]
    (tmp_path / "lexical" / VOCABULARY).write_text(json.dumps(vocabularies), encoding="utf-8")
    with pytest.raises(ValueError, match="lexical lead model .*lexical.*words: .* n-grams but"):
        LexicalLeadModel.load(tmp_path / "lexical")


def kernel_for(texts, leads, dim=24):
    rng = np.random.default_rng(0)
    centres = {body: rng.normal(size=dim) for body in TEXTS}
    vectors = np.array([centres[lead] + rng.normal(scale=0.3, size=dim) for lead in leads], dtype=np.float32)
    return KernelLeadModel.fit(vectors, leads, "tiny", c=4.0), centres


def test_the_blend_weighs_the_two_models_and_follows_a_directorys_order(lexical, tmp_path):
    texts, leads = decisions()
    kernel, centres = kernel_for(texts, leads)
    query = np.array([centres["health"]], dtype=np.float32)  # the embedding says health, the words justice
    words = ["Amend the Penal Code"]
    alone = BlendedLeadModel(kernel).probabilities(query, words)
    np.testing.assert_allclose(alone, kernel.probabilities(query))
    half = BlendedLeadModel(kernel, lexical, 0.5)
    lexical_in_kernel_order = lexical.probabilities(words)[:, [lexical.body_ids.index(b) for b in kernel.body_ids]]
    np.testing.assert_allclose(half.probabilities(query, words), 0.5 * alone + 0.5 * lexical_in_kernel_order)
    ids = ["other", *reversed(kernel.body_ids)]
    spread = half.for_bodies(ids, query, words)
    assert spread.shape == (1, 4) and spread[0, 0] == 0
    np.testing.assert_allclose(spread[:, 1:], half.probabilities(query, words)[:, ::-1], atol=1e-6)
    with pytest.raises(ValueError, match="not in the directory"):
        half.for_bodies(["justice", "health"], query, words)
    half.save(tmp_path / "v3")
    again = BlendedLeadModel.load(tmp_path / "v3")
    assert again.lexical_weight == 0.5 and again.lexical is not None
    np.testing.assert_allclose(again.probabilities(query, words), half.probabilities(query, words), atol=1e-5)
    kernel.save(tmp_path / "v2")  # a version without a lexical model is the kernel classifier alone
    assert BlendedLeadModel.load(tmp_path / "v2").lexical is None and not (tmp_path / "v2" / LEXICAL).exists()


def test_a_blend_that_does_not_fit_is_refused(lexical):
    texts, leads = decisions()
    kernel, _ = kernel_for(texts[:-2], leads[:-2])
    with pytest.raises(ValueError, match="needs a lexical model"):
        BlendedLeadModel(kernel, None, 0.3)
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        BlendedLeadModel(kernel, lexical, 1.5)
    two = [lead if lead != "education" else "health" for lead in leads]
    narrow, _ = kernel_for(texts, two)
    with pytest.raises(ValueError, match="bodies the kernel classifier has not: \\['education'\\]"):
        BlendedLeadModel(narrow, lexical, 0.3)
