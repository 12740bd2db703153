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


def test_keywords_need_phrases_in_all_three_languages():
    data = valid()
    data["labels"][0]["keywords"] = {"en": ["law"], "fr": ["loi"]}
    with pytest.raises(TaxonomyError, match=r"label 'a': field 'keywords' has no phrases in ar"):
        parse_taxonomy(data, "t.yaml")
    data["labels"][0]["keywords"] = {"en": ["law"], "fr": ["loi"], "ar": ["قانون"], "es": ["ley"]}
    with pytest.raises(TaxonomyError, match="unknown languages"):
        parse_taxonomy(data, "t.yaml")
    data["labels"][0]["keywords"] = {"en": ["law"], "fr": ["loi"], "ar": ["قانون"]}
    data["keyword_exclude"] = ["rule of law"]
    taxonomy = parse_taxonomy(data, "t.yaml")
    assert taxonomy.keyword_rules() == {"a": {"en": ("law",), "fr": ("loi",), "ar": ("قانون",)}}
    assert taxonomy.keyword_exclude == ("rule of law",)


def test_shipped_theme_keywords_are_trilingual_and_known_codes():
    themes = load_all()["uhri_themes"]
    rules = themes.keyword_rules()
    assert "constitutional-legislative-framework" in rules
    for code, by_language in rules.items():
        assert code in themes.codes() and set(by_language) == {"ar", "fr", "en"}


def test_instrument_rules_load_with_phrases_in_three_languages_and_valid_targets(data_dir, tmp_path):
    from corpora.crosswalks import instruments_to_sdg_targets

    _, targets = sdg_taxonomies(data_dir)
    valid_targets = set(targets.codes())
    instruments = instruments_to_sdg_targets(valid_targets)
    by_code = {i.code: i for i in instruments}
    assert by_code["child-marriage"].sdg_targets[0] == "5.3" and by_code["cat"].match["fr"]
    (tmp_path / "themes_to_sdg.yaml").write_text(
        "instruments:\n  - instrument: x\n    sdg_targets: ['99.9']\n    match: {en: [x], fr: [x], ar: [x]}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError, match=r"instrument #1 \('x'\): unknown or no SDG targets \['99.9'\]"):
        instruments_to_sdg_targets(valid_targets, tmp_path)
    (tmp_path / "themes_to_sdg.yaml").write_text(
        "instruments:\n  - instrument: x\n    sdg_targets: ['5.3']\n    match: {en: [x], fr: [x]}\n", encoding="utf-8"
    )
    with pytest.raises(TaxonomyError, match="field 'match' has no phrases in ar"):
        instruments_to_sdg_targets(valid_targets, tmp_path)


def test_sdg_indicators_belong_to_their_goal(data_dir):
    from corpora.taxonomies import sdg_indicators

    indicators = sdg_indicators(data_dir)
    assert len(indicators) >= 230 and indicators["16.9.1"].group == "16"
