from nlp.ministries import aggregate


def _bodies(lead, score, *supporting):
    return {"lead": {"id": lead, "score": score}, "supporting": [{"id": s, "score": score} for s in supporting]}


def test_the_cluster_lead_is_the_body_with_most_weight_and_supporting_reach_a_share_of_it():
    found = aggregate([_bodies("justice", 0.8, "interior"), _bodies("justice", 0.6), _bodies("health", 1.0, "justice")])
    assert found["lead"]["id"] == "justice" and found["lead"]["reason"] == "lead for 2 of 3 members"
    assert [b["id"] for b in found["supporting"]] == ["health"]  # interior (0.4) is under half of justice (1.9)


def test_members_without_bodies_are_ignored_and_none_when_nobody_is_named():
    assert aggregate([None, {"lead": None, "supporting": []}]) is None
    assert aggregate([None, _bodies("didh", 1.0)])["lead"]["score"] == 1.0
