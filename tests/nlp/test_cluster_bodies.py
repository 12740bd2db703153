from nlp.cluster_bodies import aggregate


def _bodies(lead, score, *supporting):
    return {"lead": {"id": lead, "score": score}, "supporting": [{"id": s, "score": score} for s in supporting]}


def test_the_cluster_lead_leads_the_most_members_and_supporting_bodies_are_named_by_most_of_them():
    found = aggregate(
        [_bodies("justice", 0.8, "interior"), _bodies("justice", 0.6, "health"), _bodies("health", 1.0, "interior")]
    )
    assert found["lead"]["id"] == "justice" and found["lead"]["reason"] == "lead for 2 of 3 members"
    assert found["lead"]["score"] == round(1.4 / 3, 4)
    # interior and health are each named by two members; interior's scores weigh more (1.8 against 1.6)
    assert [b["id"] for b in found["supporting"]] == ["interior", "health"]
    assert found["supporting"][0]["reason"] == "named by 2 of 3 members"


def test_a_body_named_by_half_of_the_members_or_fewer_does_not_support_the_cluster():
    found = aggregate([_bodies("justice", 0.5, "parliament"), _bodies("justice", 0.5), _bodies("justice", 0.5)])
    assert found["supporting"] == []


def test_a_body_supporting_every_member_does_not_lead_the_cluster_in_their_place():
    members = [_bodies("health", 0.2, "justice"), _bodies("education", 0.3, "justice")]
    for member in members:
        member["supporting"][0]["score"] = 0.9
    found = aggregate(members)
    assert found["lead"]["id"] == "education"  # leads as many members as health, with the larger score
    assert [b["id"] for b in found["supporting"]] == ["justice"]  # health: named by one member of two


def test_a_cluster_of_one_recommendation_has_its_bodies():
    member = _bodies("foreign_affairs", 0.5, "didh", "parliament")
    member["supporting"][0]["score"] = 0.9  # a supporting body may score above the lead
    found = aggregate([member])
    assert found["lead"]["id"] == "foreign_affairs"
    assert [b["id"] for b in found["supporting"]] == ["didh", "parliament"]


def test_members_without_bodies_are_ignored_and_none_when_nobody_is_named():
    assert aggregate([None, {"lead": None, "supporting": []}]) is None
    assert aggregate([None, _bodies("didh", 1.0)])["lead"]["score"] == 1.0
