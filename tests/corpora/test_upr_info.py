from corpora.upr_info import is_test_state, load_issue_vocabulary, load_labelled


def test_issue_vocabulary_has_56_labels(data_dir):
    labels = load_issue_vocabulary(data_dir)
    assert len(labels) == 56 and labels[0] == "International instruments"


def test_labelled_rows_and_the_state_split(data_dir):
    rows = load_labelled(data_dir)
    assert len(rows) == 48_203
    test = [row for row in rows if row.test]
    assert len(test) == 9_460 and len({row.state for row in test}) == 32
    assert not {row.state for row in test} & {row.state for row in rows if not row.test}
    assert is_test_state("Trinidad and Tobago\n") and not is_test_state("Trinidad and Tobago")
