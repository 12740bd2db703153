import numpy as np

from nlp.embedding import CachedEmbedder, Embedder, HashingEmbedder, MemoryVectorCache, l2_normalize


class CountingEmbedder:
    name = "counting"
    dim = 8

    def __init__(self):
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return HashingEmbedder(dim=8).embed(texts)


def test_hashing_embedder_is_deterministic_and_normalised():
    embedder = HashingEmbedder(dim=32)
    first = embedder.embed(["Abolish the death penalty", "إلغاء عقوبة الإعدام"])
    second = HashingEmbedder(dim=32).embed(["Abolish the death penalty", "إلغاء عقوبة الإعدام"])
    assert first.dtype == np.float32 and first.shape == (2, 32)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, second)
    assert isinstance(embedder, Embedder)


def test_hashing_embedder_puts_similar_wordings_closer():
    a, b, c = HashingEmbedder(dim=256).embed(
        ["Abolish the death penalty", "Abolish the death penalty fully", "Protect journalists from attacks"]
    )
    assert a @ b > a @ c


def test_cached_embedder_never_embeds_a_text_twice():
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, MemoryVectorCache())
    first = cached.embed(["a b c", "d e f", "a b c"])
    second = cached.embed(["d e f", "g h i"])
    assert inner.calls == [["a b c", "d e f"], ["g h i"]]
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[1], second[0])


def test_memory_cache_is_bounded():
    cache = MemoryVectorCache(max_items=2)
    cache.put_many({"a": np.ones(2), "b": np.ones(2), "c": np.ones(2)})
    assert set(cache.get_many(["a", "b", "c"])) == {"b", "c"}


def test_l2_normalize_leaves_zero_rows_zero():
    out = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])
