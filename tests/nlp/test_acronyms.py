from nlp.acronyms import expand_acronyms


def test_instrument_acronyms_are_written_out_longest_first():
    assert (
        expand_acronyms("Ratify the OP-CAT", "en") == "Ratify the Optional Protocol to the Convention against Torture"
    )
    assert expand_acronyms("Ratify CAT", "en") == "Ratify Convention against Torture"


def test_a_bracketed_acronym_after_its_expansion_is_dropped():
    text = "Ratify the Optional Protocol to the Convention against Torture (OP-CAT)."
    assert expand_acronyms(text, "en") == "Ratify the Optional Protocol to the Convention against Torture."


def test_words_that_only_contain_an_acronym_are_left_alone():
    assert expand_acronyms("the cat and the CATalogue", "en") == "the cat and the CATalogue"
    assert expand_acronyms("CRC-related work", "en") == "CRC-related work"


def test_french_acronyms_use_french_names_and_arabic_is_untouched():
    assert "Pacte international relatif aux droits civils" in expand_acronyms("Ratifier le PIDCP", "fr")
    arabic = "التصديق على اتفاقية مناهضة التعذيب CAT"
    assert expand_acronyms(arabic, "ar") == arabic


def test_other_spellings_of_a_protocol_are_written_out_as_the_protocol():
    second = "Second Optional Protocol to the International Covenant on Civil and Political Rights"
    for spelling in ("ICCPR-OP 2", "ICCPR-OP-2", "ICCPR OP-2", "ICCPR-OP2"):
        assert expand_acronyms(f"Ratify {spelling} and CAT-OP", "en") == (
            f"Ratify {second} and Optional Protocol to the Convention against Torture"
        )
    assert expand_acronyms("Ratify OP-CESCR", "en") == expand_acronyms("Ratify OP-ICESCR", "en")
    assert expand_acronyms("Ratify CRC-OP-SC", "en") == expand_acronyms("Ratify OP-CRC-SC", "en")


def test_the_key_terms_of_another_spelling_name_the_protocol():
    from nlp.key_terms import key_terms

    assert key_terms("Abolish the death penalty and ratify ICCPR-OP 2", "en") == key_terms(
        "Abolish the death penalty and ratify the Second Optional Protocol to the ICCPR", "en"
    )


def test_an_acronym_right_after_its_expansion_goes_with_or_without_brackets():
    text = (
        "Remove its reservations to the Convention on the Elimination of All Forms of "
        "Discrimination against Women CEDAW"
    )
    assert expand_acronyms(text, "en") == text.removesuffix(" CEDAW")
    assert expand_acronyms("the Convention against Torture CAT and the CRC", "en") == (
        "the Convention against Torture and the Convention on the Rights of the Child"
    )


def test_the_protocol_on_children_in_armed_conflict_is_written_out_by_its_official_title():
    assert expand_acronyms("Ratify the OP-CRC-AC", "en") == (
        "Ratify the Optional Protocol to the Convention on the Rights of the Child "
        "on the involvement of children in armed conflict"
    )
