import warnings

import numpy as np
import pytest
from sklearn.svm import SVC

from nlp.lead_model import KernelLeadModel


def decisions(n=240, bodies=4, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(bodies, 24))
    leads = rng.integers(0, bodies, n)
    vectors = centres[leads] + rng.normal(scale=1.2, size=(n, 24))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), np.array([f"body{b}" for b in leads])


@pytest.fixture(scope="module")
def fitted():
    vectors, leads = decisions()
    return KernelLeadModel.fit(vectors[:200], leads[:200], "tiny", c=4.0), vectors[200:], (vectors[:200], leads[:200])


def test_the_arrays_give_scikit_learns_decisions_and_probabilities(fitted):
    model, queries, (vectors, leads) = fitted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        svc = SVC(C=4.0, gamma="scale", probability=True, random_state=0, decision_function_shape="ovo")
        svc.fit(vectors, leads)
    svc.support_vectors_[:] = svc.support_vectors_.astype(np.float16)  # the vectors as the arrays keep them
    assert model.body_ids == list(svc.classes_)
    np.testing.assert_allclose(model.pairwise_decisions(queries), svc.decision_function(queries), atol=1e-5)
    # the exact minimiser of the coupling objective, libsvm stops its iteration a little before it
    probabilities = model.probabilities(queries)
    np.testing.assert_allclose(probabilities, svc.predict_proba(queries), atol=5e-3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-9)
    assert (probabilities.argmax(axis=1) == svc.predict_proba(queries).argmax(axis=1)).all()


def test_with_two_bodies_too():
    vectors, leads = decisions(bodies=2, seed=1)
    model = KernelLeadModel.fit(vectors[:200], leads[:200], "tiny")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        svc = SVC(C=4.0, gamma="scale", probability=True, random_state=0).fit(vectors[:200], leads[:200])
    np.testing.assert_allclose(
        model.pairwise_decisions(vectors[200:])[:, 0], -svc.decision_function(vectors[200:]), atol=1e-3
    )
    np.testing.assert_allclose(model.probabilities(vectors[200:]), svc.predict_proba(vectors[200:]), atol=5e-3)


def test_saved_and_loaded_the_model_gives_the_same_probabilities(fitted, tmp_path):
    model, queries, _ = fitted
    model.save(tmp_path / "v1")
    loaded = KernelLeadModel.load(tmp_path / "v1")
    assert (loaded.embedder_name, loaded.dim, loaded.config["decisions"]) == ("tiny", 24, 200)
    np.testing.assert_array_equal(loaded.probabilities(queries), model.probabilities(queries))


def test_a_broken_folder_is_named(fitted, tmp_path):
    model, _, _ = fitted
    with pytest.raises(ValueError, match="lead model .*v9"):
        KernelLeadModel.load(tmp_path / "v9")
    model.save(tmp_path / "v1")
    with np.load(tmp_path / "v1" / "head.npz") as arrays:
        kept = {name: arrays[name] for name in arrays.files if name != "prob_a"}
    np.savez(tmp_path / "v1" / "head.npz", **kept)
    with pytest.raises(ValueError, match="lead model .*v1.*prob_a"):
        KernelLeadModel.load(tmp_path / "v1")


def test_an_empty_batch_and_one_text_are_answered(fitted):
    model, queries, _ = fitted
    assert model.probabilities(queries[:0]).shape == (0, len(model.body_ids))
    np.testing.assert_allclose(model.probabilities(queries[:1]), model.probabilities(queries)[:1], atol=1e-6)
