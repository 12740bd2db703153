import numpy as np
import pytest

from nlp.hubness import candidate_centrality, hub_penalties
from nlp.pipeline import Pipeline
from nlp.records import Recommendation, SourceRow
from nlp.search import QueryCues, Searcher


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


#: a query, a generic text a hair nearer it that sits among three close variants, and a more specific
#: text (the query's original) away from those variants
VECTORS = {
    "generic": unit(0.95, 0.312, 0.0),
    "specific": unit(0.94, -0.341, 0.0),
    "variant one": unit(0.85, 0.52, 0.05),
    "variant two": unit(0.85, 0.52, -0.05),
    "variant three": unit(0.85, 0.5, 0.0),
}
QUERY = unit(1.0, 0.0, 0.0)


def test_a_candidate_close_to_all_the_others_is_the_most_central():
    names = list(VECTORS)
    centrality = candidate_centrality(np.stack([VECTORS[n] for n in names]), among=5, neighbours=3)
    assert names[int(np.argmax(centrality[:2]))] == "generic"
    assert centrality[names.index("specific")] == centrality.min()


def test_copies_count_as_one_neighbour_and_never_as_their_own():
    vectors = np.stack([unit(1, 0, 0), unit(1, 0, 0), unit(0, 1, 0)])
    assert candidate_centrality(vectors, among=3, neighbours=2) == pytest.approx([0.0, 0.0, 0.0])
    near = np.stack([unit(1, 0, 0), unit(1, 0, 0), unit(1, 1, 0), unit(1, 1, 0)])
    assert candidate_centrality(near, among=3, neighbours=2) == pytest.approx([0.7071] * 4, abs=1e-4)
    assert np.isnan(candidate_centrality(near[:2], among=3, neighbours=2)).all()  # nothing but copies


def test_a_wording_repeated_by_many_states_makes_no_hub_of_the_next_one():
    """Sixty copies of one text fill the first candidates: the neighbours are still taken among distinct
    texts, so the next wording loses its centrality's excess over the least central text, not its
    cosine to the copies."""
    copies = np.repeat(unit(1, 0, 0)[None, :], 60, axis=0)
    twins = np.stack([unit(0.94, 0.341, 0.0), unit(0.9, -0.3, 0.3), unit(0.5, 0.8, 0.3)])
    vectors = np.concatenate([copies, twins])
    centrality = candidate_centrality(vectors, among=50, neighbours=5)
    penalties = hub_penalties(vectors, weight=0.1, among=50, neighbours=5)
    assert penalties[60] == pytest.approx(0.1 * (centrality[60] - centrality[62])) and penalties[60] < 0.05
    assert penalties[62] == 0.0  # the least central
    assert not hub_penalties(copies, weight=0.1, among=50, neighbours=5).any()  # nothing but copies


class _FixedEmbedder:
    name, dim = "fixed-3", 3

    def embed(self, texts):
        return np.stack([VECTORS.get(t, QUERY) for t in texts]).astype(np.float32)


def test_the_generic_near_twin_gives_way_to_the_specific_one(tmp_path):
    pipeline = Pipeline.open(tmp_path, _FixedEmbedder())
    try:
        rows = [SourceRow(i + 1, Recommendation(text=t, id=t, language="en")) for i, t in enumerate(VECTORS)]
        pipeline.import_rows(rows, "test", "jsonl")
        searcher = Searcher(pipeline.store, pipeline.index, pipeline.embedder)
        by_cosine = searcher.search_vectors(QUERY[None, :], k=2)[0]
        assert [hit.record["id"] for hit in by_cosine] == ["generic", "specific"]
        ranked = searcher.search_vectors(QUERY[None, :], k=2, cues=[QueryCues()])[0]
        assert [hit.record["id"] for hit in ranked] == ["specific", "generic"]
        assert ranked[0].score == pytest.approx(float(QUERY @ VECTORS["specific"]), abs=1e-6)  # least central
        searcher.hub_penalty = 0.0
        assert searcher.search_vectors(QUERY[None, :], k=1, cues=[QueryCues()])[0][0].record["id"] == "generic"
    finally:
        pipeline.close()
