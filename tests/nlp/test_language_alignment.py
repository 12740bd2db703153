import numpy as np
import pytest

from nlp.embedding import l2_normalize
from nlp.language_alignment import LanguageAlignment, procrustes
from nlp.tagging.issues import UprIssueTagger


def random_rotation(dim: int, seed: int) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(dim, dim)))
    return q.astype(np.float32)


def test_procrustes_finds_the_rotation_between_paired_vectors():
    english = l2_normalize(np.random.default_rng(0).normal(size=(200, 16)))
    rotation = random_rotation(16, 1)
    french = english @ rotation.T  # french @ rotation == english
    learnt = procrustes(french, english)
    np.testing.assert_allclose(learnt, rotation, atol=1e-4)
    np.testing.assert_allclose(learnt @ learnt.T, np.eye(16), atol=1e-4)


def test_only_mapped_languages_are_turned_and_cosines_within_a_language_are_kept():
    alignment = LanguageAlignment({"fr": random_rotation(8, 2)}, "model")
    vectors = l2_normalize(np.random.default_rng(3).normal(size=(4, 8)))
    languages = ["en", "fr", "fr", "ar"]
    out = alignment.to_english(vectors, languages)
    np.testing.assert_array_equal(out[[0, 3]], vectors[[0, 3]])
    assert not np.allclose(out[1], vectors[1])
    assert out[1] @ out[2] == pytest.approx(vectors[1] @ vectors[2], abs=1e-6)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-6)
    assert alignment.to_english(vectors, ["en"] * 4) is vectors  # nothing to turn: no copy
    assert alignment.to_english(vectors, None) is vectors  # no languages: read as English
    with pytest.raises(ValueError, match="3 languages for 4 vectors"):
        alignment.to_english(vectors, languages[:3])


def test_learn_refuses_unpaired_vectors_and_a_folder_round_trips(tmp_path):
    english = np.random.default_rng(4).normal(size=(20, 8))
    with pytest.raises(ValueError, match="fr: 19 translations for 20 English texts"):
        LanguageAlignment.learn(english, {"fr": english[:19]}, "model")
    alignment = LanguageAlignment.learn(english, {"fr": english @ random_rotation(8, 5)}, "model", sources=["x"])
    alignment.save(tmp_path / "v1")
    loaded = LanguageAlignment.load(tmp_path / "v1")
    assert loaded.embedder_name == "model" and loaded.dim == 8
    assert loaded.config["pairs"] == 20 and loaded.config["sources"] == ["x"]
    np.testing.assert_array_equal(loaded.maps["fr"], alignment.maps["fr"])


def test_a_broken_folder_is_refused_with_its_name(tmp_path):
    LanguageAlignment({"fr": np.eye(4), "ar": np.eye(4)}, "model").save(tmp_path / "v1")
    np.save(tmp_path / "v1" / "ar.npy", np.eye(3))
    with pytest.raises(ValueError, match=r"v1: the maps must be square and of one size \(ar.npy \(3, 3\), fr.npy"):
        LanguageAlignment.load(tmp_path / "v1")
    (tmp_path / "v1" / "fr.npy").unlink()
    with pytest.raises(ValueError, match="language alignment .*v1"):
        LanguageAlignment.load(tmp_path / "v1")


class FirstCoordinateHead:
    """Stands for the issue head: one label whose probability is the vector's first coordinate."""

    thresholds_ = np.array([0.5])

    def predict_proba(self, vectors):
        return np.asarray(vectors)[:, :1]


def test_the_issue_tagger_reads_french_vectors_through_the_alignment():
    swap = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)  # French's first axis is English's second
    tagger = UprIssueTagger(FirstCoordinateHead(), ["label"], LanguageAlignment({"fr": swap}, "model"))
    vectors = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    np.testing.assert_array_equal(tagger.probabilities(vectors, ["en", "fr"])[:, 0], [0.0, 1.0])
    np.testing.assert_array_equal(tagger.probabilities(vectors)[:, 0], [0.0, 0.0])
    assert UprIssueTagger(FirstCoordinateHead(), ["label"]).probabilities(vectors, ["fr", "fr"])[1, 0] == 0.0


class ConstantHead:
    """Stands for a head: the same probability for every row, with its own threshold."""

    def __init__(self, probability: float, threshold: float) -> None:
        self.probability, self.thresholds_ = probability, np.array([threshold], dtype=np.float32)

    def predict_proba(self, vectors):
        return np.full((len(vectors), 1), self.probability, dtype=np.float32)


class Label:
    code = "label"

    def name(self, language):
        return f"label ({language})"


def test_french_and_arabic_rows_are_read_by_their_own_head_with_its_thresholds():
    alignment = LanguageAlignment({"fr": np.eye(2), "ar": np.eye(2)}, "model")
    tagger = UprIssueTagger(ConstantHead(0.6, 0.7), [Label()], alignment, translated_head=ConstantHead(0.4, 0.3))
    vectors = np.zeros((4, 2), dtype=np.float32)
    languages = ["en", "fr", "ar", "es"]
    probabilities = tagger.probabilities(vectors, languages)
    np.testing.assert_allclose(probabilities[:, 0], [0.6, 0.4, 0.4, 0.6])
    tags = tagger.tags(probabilities, languages)
    # English and Spanish: 0.6 < 0.7; French and Arabic: 0.4 >= their head's 0.3
    assert [[t.reason for t in row] for row in tags] == [
        [],
        ["issue classifier: probability 0.40 ≥ tuned threshold 0.30"],
        ["issue classifier: probability 0.40 ≥ tuned threshold 0.30"],
        [],
    ]
    np.testing.assert_allclose(tagger.probabilities(vectors)[:, 0], 0.6)  # no languages: all read as English
    np.testing.assert_allclose(tagger.probabilities(vectors[:1], ["fr"])[:, 0], 0.4)
    with pytest.raises(ValueError, match="needs the language alignment"):
        UprIssueTagger(ConstantHead(0.6, 0.7), [Label()], None, translated_head=ConstantHead(0.4, 0.3))
