from nlp.wording import wording_key


def test_acronyms_articles_punctuation_and_case_do_not_change_the_wording():
    short = wording_key("Ratify the OP-CEDAW", "en")
    long = (
        "Ratify the Optional Protocol to the Convention on the Elimination of All Forms of "
        "Discrimination against Women."
    )
    assert short == wording_key(long, "en")
    assert wording_key("Ratifier l'OPCAT.", "fr") == wording_key(
        "ratifier le Protocole facultatif se rapportant à la Convention contre la torture", "fr"
    )


def test_other_words_are_another_wording():
    assert wording_key("Ratify the OP-CAT", "en") != wording_key("Consider ratifying the OP-CAT", "en")
    assert wording_key("Extend a standing invitation", "en") != wording_key("Extend standing invitations", "en")
    assert wording_key("Abolish the death penalty", "en") != wording_key("Abolish death penalties", "en")
