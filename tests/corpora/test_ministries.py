import copy

import pytest
import yaml

from corpora.ministries import DIRECTORY_DIR, DirectoryError, load_directory, parse_directory

BODY = {
    "id": "justice",
    "kind": "ministry",
    "names": {"en": "Ministry of Justice", "fr": "Ministère de la Justice", "ar": "وزارة العدل"},
    "mandate": {"en": "Criminal law", "fr": "Droit pénal", "ar": "القانون الجنائي"},
    "rules": {
        "upr_issues": ["Justice"],
        "sdg_targets": ["16.3"],
        "themes": ["prohibition-of-torture"],
        "keywords": {"en": ["Penal Code"], "fr": ["Code pénal"], "ar": ["القانون الجنائي"]},
    },
}


def directory(**changes):
    body = copy.deepcopy(BODY)
    body.update(changes)
    return {"country": "xx", "names": {"en": "X", "fr": "X", "ar": "س"}, "bodies": [body]}


def parse(data):
    return parse_directory(
        data, "xx.yaml", upr_issues={"Justice"}, themes={"prohibition-of-torture"}, sdg_targets={"16.3"}
    )


def test_a_valid_directory_parses():
    parsed = parse(directory())
    assert parsed.country == "XX" and parsed["justice"].sdg_targets == ("16.3",)


def test_missing_language_unknown_target_theme_and_duplicate_id_are_named():
    with pytest.raises(DirectoryError, match=r"body 'justice': field 'mandate' has no text in ar"):
        parse(directory(mandate={"en": "a", "fr": "b"}))
    bad_rules = copy.deepcopy(BODY["rules"]) | {"sdg_targets": ["16.99"]}
    with pytest.raises(DirectoryError, match=r"field 'rules.sdg_targets' names unknown values \['16.99'\]"):
        parse(directory(rules=bad_rules))
    with pytest.raises(DirectoryError, match=r"rules.themes' names unknown values \['no-theme'\]"):
        parse(directory(rules=copy.deepcopy(BODY["rules"]) | {"themes": ["no-theme"]}))
    twice = directory()
    twice["bodies"].append(copy.deepcopy(BODY))
    with pytest.raises(DirectoryError, match="body 'justice': duplicate id"):
        parse(twice)
    with pytest.raises(DirectoryError, match="field 'kind'"):
        parse(directory(kind="ngo"))


def test_shipped_directories_validate_against_the_taxonomies(data_dir):
    from corpora.ministries import rule_vocabularies
    from corpora.upr_info import load_issue_vocabulary

    known = rule_vocabularies(data_dir)
    assert known["upr_issues"] == set(load_issue_vocabulary(data_dir)) and len(known["sdg_targets"]) == 169
    morocco, tunisia = load_directory("ma", **known), load_directory("tn", **known)
    assert len(morocco) >= 25 and "didh" in morocco.ids()
    assert tunisia.country == "TN" and len(tunisia) >= 10
    assert yaml.safe_load((DIRECTORY_DIR / "ma.yaml").read_text(encoding="utf-8"))["country"] == "MA"


def test_the_mapper_works_unchanged_for_a_second_country(data_dir):
    import numpy as np

    from corpora.taxonomies import load_taxonomy
    from nlp.embedding import HashingEmbedder
    from nlp.ministries import MinistryMapper

    embedder = HashingEmbedder(dim=64)
    issues = [label.names["en"] for label in load_taxonomy("upr_issues")]
    for country in ("ma", "tn"):
        mapper = MinistryMapper(load_directory(country), embedder, issues)
        text = "Amend the Penal Code to criminalize torture"
        vectors = embedder.embed([text])
        probabilities = np.zeros((1, len(issues)), dtype=np.float32)
        (assignment,) = mapper.assign(vectors, [text], probabilities, [{}])
        assert assignment.lead.id in mapper.ids and len(assignment.supporting) <= 3
        chosen = mapper.ids[-1]
        mapper.remember(vectors, [chosen], [[]])  # a coordinator's decision is used at once
        (again,) = mapper.assign(vectors, [text], probabilities, [{}])
        before = next(s.score for s in assignment.ranking if s.id == chosen)
        after = next(s for s in again.ranking if s.id == chosen)
        assert after.score > before and "past decision" in after.reason


def test_a_configured_directory_of_ones_own_is_checked_against_the_vocabularies(tmp_path, data_dir):
    from service.config import Settings
    from service.factory import load_configured_directory

    path = tmp_path / "xx.yaml"
    path.write_text(yaml.safe_dump(directory(), allow_unicode=True), encoding="utf-8")
    settings = Settings(data_dir=data_dir, ministry_directory=str(path))
    assert load_configured_directory(settings).ids() == ["justice"]
    typo = directory(rules={**BODY["rules"], "themes": ["prohibition-of-tortue"]})
    path.write_text(yaml.safe_dump(typo, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"xx.yaml, body 'justice': field 'rules.themes' names unknown"):
        load_configured_directory(settings)
