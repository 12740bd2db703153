from corpora.sdg import load_sdg
from nlp.text import normalize_for_matching


def test_sdg_loads_goals_targets_and_indicators_in_three_languages(data_dir):
    entries = load_sdg(data_dir)
    by_code = {(e.level, e.code): e for e in entries}
    assert sum(e.level == "goal" for e in entries) == 17
    assert sum(e.level == "target" for e in entries) == 169
    torture = by_code[("target", "16.a")]
    assert torture.goal == 16 and "terrorism" in torture.text["en"]
    assert "terrorisme" in torture.text["fr"]
    assert "الإرهاب" in torture.text["ar"]
    assert "\u0640" not in normalize_for_matching(torture.text["ar"])
