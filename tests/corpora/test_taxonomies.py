import pytest
import yaml

from corpora.taxonomies import (
    TAXONOMY_DIR,
    TaxonomyError,
    check_crosswalk,
    load_all,
    load_taxonomy,
    parse_taxonomy,
    sdg_taxonomies,
)


def test_shipped_taxonomies_load_with_three_languages_and_valid_crosswalks():
    taxonomies = load_all()
    assert len(taxonomies["upr_issues"]) == 56
    assert len(taxonomies["uhri_themes"]) >= 60 and len(taxonomies["affected_persons"]) >= 25
    for taxonomy in taxonomies.values():
        for label in taxonomy:
            assert all(label.names[lang] and label.description[lang] for lang in ("ar", "fr", "en"))


def test_upr_issue_names_match_the_training_labels(data_dir):
    from corpora.upr_info import load_issue_vocabulary

    assert [label.names["en"] for label in load_taxonomy("upr_issues")] == load_issue_vocabulary(data_dir)


def test_sdg_taxonomies_have_17_goals_and_169_targets(data_dir):
    goals, targets = sdg_taxonomies(data_dir)
    assert len(goals) == 17 and len(targets) == 169 and targets["16.9"].group == "16"


def valid():
    return {
        "taxonomy": "t",
        "labels": [
            {"code": "a", "names": {"ar": "أ", "fr": "a", "en": "a"}, "description": {"ar": "أ", "fr": "a", "en": "a"}},
        ],
    }


def test_missing_language_is_named():
    data = valid()
    del data["labels"][0]["names"]["ar"]
    with pytest.raises(TaxonomyError, match=r"label 'a': field 'names' has no text in ar"):
        parse_taxonomy(data, "t.yaml")


def test_duplicate_code_and_missing_code_are_named():
    data = valid()
    data["labels"].append(dict(data["labels"][0]))
    with pytest.raises(TaxonomyError, match="label 'a': duplicate code"):
        parse_taxonomy(data, "t.yaml")
    with pytest.raises(TaxonomyError, match="label #1: field 'code' is missing"):
        parse_taxonomy({"labels": [{"names": {}}]}, "t.yaml")


def test_unknown_crosswalk_code_is_named(tmp_path):
    source = valid()
    source["labels"][0]["uhri_themes"] = ["no-such-theme"]
    with pytest.raises(TaxonomyError, match=r"field 'uhri_themes' names unknown .* \['no-such-theme'\]"):
        check_crosswalk(parse_taxonomy(source, "s.yaml"), "uhri_themes", load_taxonomy("uhri_themes"))


def test_unreadable_file_is_a_taxonomy_error(tmp_path):
    (tmp_path / "broken.yaml").write_text("labels: [unclosed", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="broken.yaml"):
        load_taxonomy("broken", tmp_path)
    assert yaml.safe_load((TAXONOMY_DIR / "uhri_themes.yaml").read_text(encoding="utf-8"))["labels"]
