import numpy as np

from evaluation.mapping_bench import LeadProbabilitiesOnce


class CountingModel:
    body_ids = ["a", "b"]

    def __init__(self) -> None:
        self.calls = 0

    def check_bodies(self, ids) -> None:
        pass

    def for_bodies(self, ids, embeddings, texts):
        self.calls += 1
        return np.tile(np.arange(len(ids), dtype=np.float32), (len(texts), 1)) + embeddings[:, :1]


def test_a_batch_is_computed_once_and_each_caller_gets_its_own_copy():
    model = CountingModel()
    once = LeadProbabilitiesOnce(model)
    vectors = np.array([[0.5, 0.0], [0.25, 1.0]], dtype=np.float32)
    first = once.for_bodies(["a", "b"], vectors, ["x", "y"])
    first[0, 0] = 99.0
    again = once.for_bodies(["a", "b"], vectors.copy(), ["x", "y"])
    assert model.calls == 1
    np.testing.assert_array_equal(again, model.for_bodies(["a", "b"], vectors, ["x", "y"]))
    assert once.body_ids == ["a", "b"]  # the rest is the model's


def test_another_batch_texts_or_vectors_are_computed_again():
    model = CountingModel()
    once = LeadProbabilitiesOnce(model)
    vectors = np.array([[0.5, 0.0]], dtype=np.float32)
    once.for_bodies(["a", "b"], vectors, ["x"])
    once.for_bodies(["a", "b"], vectors, ["z"])
    changed = once.for_bodies(["a", "b"], vectors + 1.0, ["x"])
    assert model.calls == 3
    assert changed[0, 0] == 1.5


class CourtsToJustice:  # a fold's lead classifier: justice leads what names courts
    def check_bodies(self, ids) -> None:
        pass

    def for_bodies(self, ids, embeddings, texts):
        return np.array([[float(("courts" in text) == (body == "justice")) for body in ids] for text in texts])


def test_the_weight_grid_counts_the_leads_the_mapper_proposes_in_each_fold():
    from types import SimpleNamespace

    from corpora.ministries import parse_directory
    from evaluation.mapping_bench import lead_hits_by_weights
    from nlp.decision_memory import LeadClassifier
    from nlp.embedding import HashingEmbedder
    from nlp.ministries import MapperWeights, MinistryMapper

    def body(body_id, keywords):
        names = {"en": body_id, "fr": body_id, "ar": "هيئة"}
        return {
            "id": body_id,
            "kind": "ministry",
            "names": names,
            "mandate": names,
            "rules": {"keywords": {"en": keywords}},
        }

    directory = parse_directory(
        {
            "country": "xx",
            "names": {"en": "X", "fr": "X", "ar": "س"},
            "bodies": [body("prison", ["prison"]), body("justice", ["court"])],
        },
        "xx.yaml",
    )
    embedder = HashingEmbedder(dim=64)
    # the keyword names prison first, the fold's classifier justice: the weights decide
    texts = ["Reform the prison courts", "Reform the prison courts now", "Reform prison courts", "Train judges", "Free"]
    leads = ["justice", "justice", "justice", "justice", "prison"]
    vectors, probabilities = embedder.embed(texts), np.zeros((len(texts), 1), dtype=np.float32)
    tags = [{}] * len(texts)
    bench = SimpleNamespace(directory=directory, embedder=embedder, issue_labels=["Labour"])
    folds = []
    for rows in (np.array([0, 1, 2]), np.array([3, 4])):
        known = np.setdiff1d(np.arange(len(texts)), rows)
        memory = MinistryMapper.example_memory(directory, vectors[known], [leads[i] for i in known], [[]] * len(known))
        folds.append((rows, memory, LeadClassifier(), CourtsToJustice()))
    candidates = [
        MapperWeights(keywords=k, examples=e, keyword_distance=d)
        for k in (0.5, 4.0)
        for e in (0.0, 8.0)
        for d in (0.25, 0.75)
    ]
    examples = [SimpleNamespace(lead=lead) for lead in leads]
    hits = lead_hits_by_weights(bench, folds, candidates, vectors, texts, probabilities, tags, examples)
    assert hits.shape == (len(candidates), len(folds))
    for weights, per_fold in zip(candidates, hits, strict=True):
        for (rows, memory, classifier, model), n in zip(folds, per_fold, strict=True):
            mapper = MinistryMapper(directory, embedder, ["Labour"], weights, memory, model)
            mapper.lead_classifier_ = classifier
            found = mapper.assign(vectors[rows], [texts[i] for i in rows], probabilities[rows], [tags[i] for i in rows])
            assert n == sum(a.lead.id == leads[i] for a, i in zip(found, rows, strict=True))
    assert len(set(hits.sum(axis=1))) > 1  # the weights move the leads here


def test_nested_leads_score_each_fold_with_the_weights_the_other_folds_choose():
    from evaluation.mapping_bench import nested_lead_hits

    # candidates x folds: candidate 0 is best on folds 1 and 2, candidate 1 on fold 0
    hits = np.array([[1, 5, 5], [6, 2, 2], [6, 2, 3]])
    # fold 0: the others (1, 2) prefer candidate 0 (10 against 4 and 5) -> 1; fold 1: the others (0, 2) prefer
    # candidate 2 (9 against 6 and 8) -> 2; fold 2: the others (0, 1) prefer candidate 1, the first of 1 and 2
    # (8 each) -> 2
    assert nested_lead_hits(hits) == 1 + 2 + 2
    assert nested_lead_hits(hits) < hits.sum(axis=1).max()
