from nlp.wording import any_language_wording_key, wording_key


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


def test_the_key_for_any_language_drops_every_language_s_articles():
    assert any_language_wording_key("Abolish the death penalty.") == any_language_wording_key("abolish death penalty")
    assert any_language_wording_key("Abolir la peine de mort") == any_language_wording_key("abolir peine de mort")
    assert any_language_wording_key("إلغاء عقوبة الإعدام") == any_language_wording_key("الغاء عقوبة الاعدام.")
    assert any_language_wording_key("Ratify the OP-CAT") != any_language_wording_key("Consider ratifying the OP-CAT")


def test_a_treaty_title_with_or_without_its_optional_tail_is_one_wording():
    short = wording_key("Intensify its efforts to ratify the Convention against Torture", "en")
    full = (
        "Intensify its efforts to ratify the Convention against Torture "
        "and other Cruel, Inhuman or Degrading Treatment or Punishment"
    )
    assert short == wording_key(full, "en") == wording_key("Intensify its efforts to ratify the CAT", "en")
    assert short != wording_key("Intensify its efforts to ratify the Optional Protocol to the CAT", "en")
