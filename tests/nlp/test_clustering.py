import pytest

from corpora.recommendation_files import read_recommendations
from nlp.clustering import ClusterManager, ClusterNotFoundError
from nlp.dedup import DuplicateClusterer
from nlp.store.cluster_repository import GLOBAL_SCOPE
from tests.conftest import write_csv

ROWS = [
    ("a1", "Abolish the death penalty", "Chad"),
    ("a2", "Abolish the death penalty.", "Chad"),
    ("a3", "Abolish the death penalty for all crimes", "Chad"),
    ("b1", "Establish a moratorium on executions with a view to abolition", "Chad"),
    ("b2", "Establish a moratorium on executions with a view to its abolition", "Chad"),
    ("c1", "Protect journalists and human rights defenders from harassment", "Chad"),
    ("d1", "Abolish the death penalty", "Mali"),
]


@pytest.fixture
def manager(pipeline, tmp_path):
    rows = [{"id": i, "text": t, "state_under_review": s} for i, t, s in ROWS]
    path = write_csv(tmp_path / "recs.csv", rows)
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    built = ClusterManager(pipeline.store, pipeline.embedder.name, DuplicateClusterer(threshold=0.6))
    built.recluster_all()
    return built


def groups(manager, scope="Chad"):
    return sorted(sorted(member["id"] for member in view.members) for view in manager.clusters(scope, min_size=1))


def test_clusters_are_per_state_and_exact_duplicates_share_one(manager):
    assert ["a1", "a2"] in [g[:2] for g in groups(manager)]
    assert ["d1"] in groups(manager, "Mali")
    assert all("d1" not in g for g in groups(manager))
    view = manager.clusters("Chad")[0]
    assert view.size >= 2 and 0 < view.cohesion <= 1 and view.representative["id"] in {m["id"] for m in view.members}


def test_reclustering_unchanged_data_keeps_every_id(manager):
    before = {v.cluster_id: sorted(m["id"] for m in v.members) for v in manager.clusters("Chad", min_size=1)}
    manager.recluster("Chad")
    after = {v.cluster_id: sorted(m["id"] for m in v.members) for v in manager.clusters("Chad", min_size=1)}
    assert before == after


def test_a_new_recommendation_joins_an_existing_cluster_which_keeps_its_id(manager, pipeline, tmp_path):
    old = manager.cluster_of("Chad", "a1")
    path = write_csv(
        tmp_path / "new.csv",
        [{"id": "a4", "text": "Abolish the death penalty", "state_under_review": "Chad", "mechanism": "CCPR"}],
    )
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    manager.recluster_states(["Chad"])
    new = manager.cluster_of("Chad", "a4")
    assert new.cluster_id == old.cluster_id and new.size == old.size + 1


def test_confirm_merge_and_move_out_persist_across_reclustering(manager, pipeline):
    death = manager.cluster_of("Chad", "a1")
    moratorium = manager.cluster_of("Chad", "b1")
    assert death.cluster_id != moratorium.cluster_id

    merged = manager.merge(death.cluster_id, moratorium.cluster_id)
    assert merged.cluster_id == death.cluster_id and merged.confirmed
    assert {"a1", "b1", "b2"} <= {m["id"] for m in merged.members}

    moved = manager.move_out(merged.cluster_id, "b2")
    assert "b2" not in {m["id"] for m in manager.cluster(merged.cluster_id).members}
    assert moved.cluster_id != merged.cluster_id

    manager.recluster_all()  # decisions are re-applied, not lost
    again = manager.cluster(merged.cluster_id)
    assert {"a1", "b1"} <= {m["id"] for m in again.members} and "b2" not in {m["id"] for m in again.members}

    reopened = ClusterManager(pipeline.store, pipeline.embedder.name, DuplicateClusterer(threshold=0.95))
    reopened.recluster("Chad")  # another threshold: the decisions still hold
    kept = reopened.cluster(merged.cluster_id)
    assert {"a1", "b1"} <= {m["id"] for m in kept.members} and kept.confirmed


def test_confirm_marks_the_cluster_and_unknown_ids_raise(manager):
    view = manager.cluster_of("Chad", "a1")
    assert manager.confirm(view.cluster_id).confirmed
    with pytest.raises(ClusterNotFoundError):
        manager.cluster("c-nope")
    with pytest.raises(ValueError, match="not a member"):
        manager.move_out(view.cluster_id, "d1")


def test_global_scope_spans_states(manager):
    manager.recluster(GLOBAL_SCOPE)
    everywhere = manager.cluster_of(GLOBAL_SCOPE, "d1")
    assert {"a1", "a2", "d1"} <= {m["id"] for m in everywhere.members}


def test_representative_prefers_the_requested_language(pipeline, tmp_path):
    rows = [
        {"id": "e1", "text": "Abolish the death penalty", "state_under_review": "Chad"},
        {"id": "e2", "text": "Abolish the death penalty!", "state_under_review": "Chad", "language": "fr"},
    ]
    path = write_csv(tmp_path / "l.csv", rows)
    pipeline.import_rows(read_recommendations(path), str(path), "csv")
    manager = ClusterManager(pipeline.store, pipeline.embedder.name, DuplicateClusterer(threshold=0.6))
    manager.recluster("Chad")
    assert manager.clusters("Chad", language="fr")[0].representative["id"] == "e2"


def test_a_page_over_several_states_is_the_slice_of_all_their_clusters_largest_first(manager):
    everything = [view for scope in ("Chad", "Mali") for view in manager.clusters(scope, min_size=1)]
    everything.sort(key=lambda view: (-view.size, view.cluster_id))
    total, first = manager.page(["Chad", "Mali"], min_size=1, start=0, count=2)
    _, rest = manager.page(["Chad", "Mali"], min_size=1, start=2, count=100)
    assert total == len(everything) >= 3
    assert [v.cluster_id for v in first + rest] == [v.cluster_id for v in everything]
    assert [v.size for v in first + rest] == [v.size for v in everything]
    assert manager.page(["Chad"], min_size=1, start=total, count=5) == (len(manager.clusters("Chad", min_size=1)), [])
