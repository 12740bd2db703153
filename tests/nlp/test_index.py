import numpy as np
import pytest

from nlp.index import IndexFileError, VectorIndex


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def index():
    built = VectorIndex(dim=3, model_name="test")
    built.add([10, 20, 30], np.stack([unit(1, 0, 0), unit(1, 1, 0), unit(0, 0, 1)]))
    return built


def test_search_returns_external_ids_best_first(index):
    hits = index.search(unit(1, 0, 0), k=3)
    assert [i for i, _ in hits] == [10, 20, 30]
    assert hits[0][1] == pytest.approx(1.0)


def test_search_applies_threshold_and_allowed_ids(index):
    assert [i for i, _ in index.search(unit(1, 0, 0), k=3, min_score=0.5)] == [10, 20]
    assert [i for i, _ in index.search(unit(1, 0, 0), k=3, allowed_ids=[20, 30])] == [20, 30]
    assert index.search(unit(1, 0, 0), k=3, allowed_ids=[]) == []


def test_add_replaces_an_existing_id_and_remove_drops_it(index):
    index.add([10], unit(0, 0, 1)[None, :])
    assert len(index) == 3
    assert index.search(unit(0, 0, 1), k=1)[0][0] in (10, 30)
    assert index.remove([10, 999]) == 1
    assert sorted(index.ids().tolist()) == [20, 30]


def test_vectors_are_read_back_by_id_with_zeros_for_an_id_no_longer_there(index):
    assert np.allclose(index.vectors([30, 10]), np.stack([unit(0, 0, 1), unit(1, 0, 0)]))
    index.remove([20])
    read = index.vectors([10, 20])
    assert np.allclose(read[0], unit(1, 0, 0)) and not read[1].any()


def test_rejects_wrong_dimension_and_duplicate_ids(index):
    with pytest.raises(ValueError, match="dimension"):
        index.add([1], np.ones((1, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="duplicate"):
        index.add([1, 1], np.ones((2, 3), dtype=np.float32))


def test_save_and_load_round_trip(tmp_path, index):
    path = tmp_path / "idx" / "test.faiss"
    index.save(path)
    loaded = VectorIndex.load(path, dim=3, model_name="test")
    assert sorted(loaded.ids().tolist()) == [10, 20, 30]
    assert loaded.search(unit(0, 0, 1), k=1)[0][0] == 30
    assert not list(path.parent.glob("*.tmp"))  # atomic write leaves no temporary file


def test_load_refuses_corrupt_truncated_or_foreign_files(tmp_path, index):
    path = tmp_path / "test.faiss"
    index.save(path)
    with pytest.raises(IndexFileError, match="built with"):
        VectorIndex.load(path, model_name="another-model")
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(IndexFileError):
        VectorIndex.load(path)
    with pytest.raises(IndexFileError):
        VectorIndex.load(tmp_path / "missing.faiss")


@pytest.mark.parametrize("share", [0.05, 0.5, 0.95])
def test_filtered_search_matches_brute_force_for_narrow_and_broad_filters(share):
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(400, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1000, 1400)
    built = VectorIndex(dim=16)
    built.add(ids, vectors)
    allowed = rng.choice(ids, size=int(400 * share), replace=False)
    query = vectors[3]
    hits = built.search(query, k=10, allowed_ids=allowed)
    mask = np.isin(ids, allowed)
    order = np.argsort(-(vectors[mask] @ query))[:10]
    assert [i for i, _ in hits] == ids[mask][order].tolist()


def test_batches_of_queries_answer_as_one_by_one_after_adds_and_removes():
    import numpy as np

    from nlp.index import VectorIndex

    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((300, 16)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(dim=16)
    index.add(list(range(1000, 1300)), vectors)
    index.remove([1005, 1100])
    index.add([1005], -vectors[7:8])  # re-added under its id with another vector
    queries = vectors[:12] + 0.01
    together = index.search_many(queries, k=7)
    alone = [index.search(query, k=7) for query in queries]
    assert [[i for i, _ in hits] for hits in together] == [[i for i, _ in hits] for hits in alone]
    assert np.allclose([[s for _, s in hits] for hits in together], [[s for _, s in hits] for hits in alone], atol=1e-5)
    assert all(1100 not in [i for i, _ in hits] for hits in together)


def test_a_large_index_answers_single_queries_exactly_through_the_8bit_first_pass():
    rng = np.random.default_rng(11)
    vectors = rng.standard_normal((25_000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(dim=32)
    index.add(np.arange(24_000), vectors[:24_000])
    queries = vectors[rng.choice(24_000, 20)] + rng.normal(scale=0.05, size=(20, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    index.search(queries[0], k=10)  # the 8-bit codes are built here...
    index.add(np.arange(24_000, 25_000), vectors[24_000:])  # ...and extended by a later add
    index.remove([int(np.argmax(vectors[:24_000] @ queries[1]))])  # and rebuilt after a removal
    stored = index.ids()
    matrix = vectors[stored]
    for query in queries:
        hits = index.search(query, k=10)
        exact = np.argsort(-(matrix @ query))[:10]
        assert [i for i, _ in hits] == stored[exact].tolist()
        assert np.allclose([s for _, s in hits], (matrix @ query)[exact], atol=1e-5)


def test_searches_share_the_index_and_a_writer_waits_for_them():
    import threading

    from nlp.locks import ReadWriteLock

    lock, events = ReadWriteLock(), []
    reading = threading.Event()

    def writer():
        reading.wait()
        with lock.writing():
            events.append("write")

    thread = threading.Thread(target=writer)
    thread.start()
    with lock.reading(), lock.reading():  # two readers at once do not block each other
        reading.set()
        thread.join(timeout=0.2)
        events.append("read")
    thread.join(timeout=5)
    assert events == ["read", "write"]
