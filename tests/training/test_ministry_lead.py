import numpy as np
import pytest

from corpora.ministry_examples import ExampleDecision
from nlp.embedding import HashingEmbedder
from nlp.embedding_text import embed_texts
from nlp.lead_model import KernelLeadModel
from service.config import Settings
from training import ministry_lead


def test_a_fold_classifier_is_learnt_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    decisions = [ExampleDecision(row, "text", lead, (), "") for row, lead in enumerate(["a", "b", "c"] * 20)]
    first = ministry_lead.cached_fit(vectors, decisions, "tiny", 4.0)

    def refit(*args, **kwargs):
        raise AssertionError("learnt again")

    monkeypatch.setattr(KernelLeadModel, "fit", refit)
    again = ministry_lead.cached_fit(vectors, decisions, "tiny", 4.0)
    np.testing.assert_array_equal(again.probabilities(vectors), first.probabilities(vectors))
    relabelled = [ExampleDecision(d.row_id, d.text, "b", (), "") for d in decisions[:1]] + decisions[1:]
    with pytest.raises(AssertionError, match="learnt again"):  # another lead: another classifier
        ministry_lead.cached_fit(vectors, relabelled, "tiny", 4.0)
    with pytest.raises(AssertionError, match="learnt again"):  # another regularisation likewise
        ministry_lead.cached_fit(vectors, decisions, "tiny", 8.0)


def test_the_folds_split_the_examples_by_row_whatever_their_order():
    examples = [ExampleDecision(row, "text", "justice", (), "") for row in range(200)]
    folds = ministry_lead.example_folds(examples)
    assert set(folds) == set(range(ministry_lead.FOLDS))
    assert list(ministry_lead.example_folds(examples[::-1])) == list(folds[::-1])


def three_bodies(seed: int):
    """``(rng, centres, bodies, vectors, examples)``: 120 example decisions for three bodies, each text's
    vector near its body's centre."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 16)) * 3
    bodies = ["a", "b", "c"] * 40
    vectors = np.array([centres["abc".index(b)] + rng.normal(size=16) for b in bodies], dtype=np.float32)
    return (
        rng,
        centres,
        bodies,
        vectors,
        [ExampleDecision(row, "text", body, (), "") for row, body in enumerate(bodies)],
    )


def test_cross_validation_scores_each_example_by_a_model_learnt_without_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng, centres, bodies, vectors, examples = three_bodies(1)
    further = [ExampleDecision(1000 + row, "text", body, (), "") for row, body in enumerate(bodies)]
    scores = ministry_lead.cross_validated(examples, vectors, further, vectors + 0.1, "tiny", 4.0)[0.0]
    assert scores["lead_accuracy@1"] > 0.9 and scores["lead_accuracy@3"] == 1.0
    shuffled = [
        ExampleDecision(e.row_id, e.text, body, (), "")
        for e, body in zip(examples, rng.permutation(bodies), strict=True)
    ]
    assert ministry_lead.cross_validated(shuffled, vectors, [], vectors[:0], "tiny", 4.0)[0.0]["lead_accuracy@1"] < 0.6


def test_classifiers_learnt_in_parallel_are_those_learnt_one_after_the_other(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path / "parallel")
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(90, 16)).astype(np.float32)
    decisions = [
        ExampleDecision(row, f"reform the {lead} sector {row % 7}", lead, (), "")
        for row, lead in enumerate(["courts", "schools", "clinics"] * 30)
    ]
    fits = [(vectors[: 60 + 10 * k], decisions[: 60 + 10 * k], "tiny", 4.0) for k in range(3)]
    ministry_lead.fitted_in_parallel(fits, jobs=2, lexical=True)
    # each kept for the evaluation to read back: three kernel classifiers and three lexical models
    assert len(list((tmp_path / "parallel").iterdir())) == 6
    texts = [d.text for d in decisions]
    for arguments in fits:
        in_parallel = ministry_lead.blended(arguments, 0.5)
        monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path / "sequential")
        alone = ministry_lead.blended(arguments, 0.5)
        monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path / "parallel")
        assert in_parallel.config["decisions"] == len(arguments[1])
        np.testing.assert_allclose(
            in_parallel.probabilities(vectors, texts), alone.probabilities(vectors, texts), atol=1e-6
        )
    assert len(list((tmp_path / "parallel").iterdir())) == 6  # read back, not learnt again

    def never(*arguments, **options):
        raise AssertionError("a classifier in the cache was learnt or read again")

    monkeypatch.setattr(ministry_lead, "cached_fit", never)
    monkeypatch.setattr(ministry_lead, "cached_lexical_fit", never)
    ministry_lead.fitted_in_parallel(fits, jobs=2, lexical=True)  # all cached: no task, no process


def test_cross_validation_blends_in_the_lexical_model_by_its_weight(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng = np.random.default_rng(5)
    bodies = ["courts", "schools", "clinics"] * 40
    vectors = rng.normal(size=(120, 16)).astype(np.float32)  # the embeddings say nothing, the words all
    examples = [
        ExampleDecision(row, f"support the {body} of region {row % 9}", body, (), "") for row, body in enumerate(bodies)
    ]
    both = ministry_lead.cross_validated(examples, vectors, [], vectors[:0], "tiny", 4.0, lexical_weights=(0.0, 0.5))
    alone, blend = both[0.0], both[0.5]
    assert alone["lead_accuracy@1"] < 0.6 and blend["lead_accuracy@1"] == 1.0


class _Turn:
    """An alignment that marks the vectors it turned."""

    def to_english(self, vectors, languages):
        return vectors + 100.0


def test_each_decision_learnt_brings_its_french_and_arabic_translations(monkeypatch):
    pairs = [
        {"row_id": 1, "en": "Ratify", "fr": "Ratifier", "ar": "التصديق"},
        {"row_id": 1, "en": "Ratify", "fr": "Ratifier encore", "ar": "التصديق مجددا"},  # the first one is kept
        {"row_id": 3, "en": "Protect", "fr": "Protéger", "ar": "حماية"},
    ]
    monkeypatch.setattr(ministry_lead, "read_pairs", lambda files, sets, data_dir: (pairs, []))
    embedder = HashingEmbedder(dim=16)
    decisions = [ExampleDecision(row, f"text {row}", lead, (), "") for row, lead in ((1, "a"), (2, "b"), (3, "c"))]
    translations = ministry_lead.DecisionTranslations.read(decisions, Settings(), embedder, _Turn())
    assert sorted(translations.texts) == [1, 3]
    vectors, learnt = ministry_lead.with_translations(np.zeros((2, 16), dtype=np.float32), decisions[:2], translations)
    # row 2 has no translation and row 3 is not learnt here: only row 1 comes back, once per language
    assert [(d.row_id, d.lead, d.language, d.text) for d in learnt[2:]] == [
        (1, "a", "fr", "Ratifier"),
        (1, "a", "ar", "التصديق"),
    ]
    np.testing.assert_allclose(vectors[2], embed_texts(embedder, ["Ratifier"], "fr")[0] + 100.0, rtol=1e-6)
    assert vectors.shape == (4, 16)
    assert ministry_lead.with_translations(vectors[:2], decisions[:2], None)[1] == decisions[:2]


def test_the_folds_learn_the_translations_of_the_decisions_they_learn_and_no_other():
    examples = [ExampleDecision(row, "text", "a", (), "") for row in range(40)]
    texts = {row: {"fr": f"fr {row}", "ar": f"ar {row}"} for row in range(40)}
    vectors = {(row, language): np.full(4, row, dtype=np.float32) for row in range(40) for language in ("fr", "ar")}
    translations = ministry_lead.DecisionTranslations(texts, vectors)
    rows, fits = ministry_lead.fold_fits(
        examples, np.zeros((40, 4), dtype=np.float32), [], np.zeros((0, 4), dtype=np.float32), "tiny", 4.0, translations
    )
    for scored, (fold_vectors, decisions, _, _) in zip(rows, fits, strict=True):
        learnt = {d.row_id for d in decisions}
        assert learnt.isdisjoint(scored)
        assert sorted(d.row_id for d in decisions if d.language == "fr") == sorted(learnt)
        assert len(fold_vectors) == len(decisions) == 3 * len(learnt)


def test_translated_copies_of_the_decisions_make_another_cached_classifier(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    decisions = [ExampleDecision(row, "text", lead, (), "") for row, lead in enumerate(["a", "b", "c"] * 20)]
    ministry_lead.cached_fit(vectors, decisions, "tiny", 4.0)
    french = [ExampleDecision(d.row_id, "texte", d.lead, (), "", "fr") for d in decisions]
    ministry_lead.cached_fit(np.vstack([vectors, vectors]), decisions + french, "tiny", 4.0)
    assert len(list(tmp_path.iterdir())) == 2  # the translated copies make another classifier


def test_cross_validation_scores_the_translations_of_the_example_rows_by_their_fold_models(tmp_path, monkeypatch):
    monkeypatch.setattr(ministry_lead, "FOLD_CACHE", tmp_path)
    _, centres, bodies, vectors, examples = three_bodies(4)
    translated_rows = range(0, 120, 2)
    texts = {row: {"fr": "texte", "ar": "نص"} for row in translated_rows}
    # French reads as its English row, Arabic as the row of another body
    shifted = {"a": "b", "b": "c", "c": "a"}
    translated = ministry_lead.DecisionTranslations(
        texts,
        {
            **{(row, "fr"): vectors[row] for row in translated_rows},
            **{(row, "ar"): centres["abc".index(shifted[bodies[row]])] for row in translated_rows},
        },
    )
    scores = ministry_lead.cross_validated(examples, vectors, [], vectors[:0], "tiny", 4.0, None, translated)[0.0]
    assert scores["translated_rows"] == 60
    assert scores["fr"] == scores["en"] and scores["en"]["lead_accuracy@1"] > 0.9
    assert scores["ar"]["lead_accuracy@1"] < 0.2
