import numpy as np

from nlp.dedup import DuplicateClusterer, _mismatch_matrix


def unit(*rows):
    vectors = np.array(rows, dtype="float32")
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_texts_identical_after_normalisation_share_a_cluster_however_far_their_vectors():
    vectors = unit([1, 0], [0, 1], [-1, 0])
    labels = DuplicateClusterer(threshold=0.99).fit(vectors, keys=["a", "a", "b"]).labels_
    assert labels[0] == labels[1] != labels[2]


def test_complete_linkage_does_not_chain_paraphrases():
    # a ~ b and b ~ c at cos 0.87, a vs c at 0.5: one chain, two commitments
    vectors = unit([1, 0], [np.cos(np.pi / 6), np.sin(np.pi / 6)], [np.cos(np.pi / 3), np.sin(np.pi / 3)])
    assert len(set(DuplicateClusterer(0.8, "single").fit(vectors).labels_)) == 1
    assert len(set(DuplicateClusterer(0.8, "complete").fit(vectors).labels_)) == 2


def test_conflicting_signatures_stay_apart_and_a_signature_that_names_less_does_not():
    vectors = unit([1, 0], [0.98, 0.2], [0.97, 0.25])
    cat, op_cat, unnamed = frozenset({"CAT"}), frozenset({"CAT", "OP"}), frozenset()
    clusterer = DuplicateClusterer(0.9, "complete", mismatch_penalty=0.3)
    assert len(set(clusterer.fit(vectors, signatures=[cat, op_cat, op_cat]).labels_)) == 2
    assert len(set(clusterer.fit(vectors, signatures=[cat, cat, unnamed]).labels_)) == 1


def test_cross_language_bonus_joins_a_translation_just_under_the_threshold():
    vectors = unit([1, 0], [0.8, 0.6])  # cos 0.8
    clusterer = DuplicateClusterer(0.85, "complete", cross_language_bonus=0.1)
    assert len(set(clusterer.fit(vectors, languages=["en", "en"]).labels_)) == 2
    assert len(set(clusterer.fit(vectors, languages=["en", "ar"]).labels_)) == 1


def test_signatures_that_are_not_sets_are_compared_for_equality():
    matrix = _mismatch_matrix(["CAT", "CAT OP", "CAT"])
    assert matrix[0, 1] == 1.0 and matrix[0, 2] == 0.0
    matrix = _mismatch_matrix([frozenset(), frozenset({"REFUGEES"}), frozenset({"MORATORIUM"})])
    assert matrix[0, 1] == 0.0 and matrix[0, 2] == 1.0 and matrix[1, 2] == 1.0


def test_decisions_are_applied_after_clustering():
    vectors = unit([1, 0], [0.99, 0.1], [0, 1])
    labels = DuplicateClusterer(0.9).fit(vectors, must_link=[[0, 2]], cannot_link=[(1, [0])]).labels_
    assert labels[0] == labels[2] != labels[1]
