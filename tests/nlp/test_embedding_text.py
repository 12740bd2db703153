import pytest

from nlp.embedding_text import embedding_text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Ratify the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
            "en",
            "Ratify the Convention against Torture",
        ),
        (
            "Ratify the CAT and other cruel, inhumane and degrading treatment and its Optional Protocol",
            "en",
            "Ratify the Convention against Torture and its Optional Protocol",
        ),
        (
            "Ratifier la Convention contre la torture et autres peines ou traitements cruels, inhumains ou "
            "dégradants et son Protocole facultatif",
            "fr",
            "Ratifier la Convention contre la torture et son Protocole facultatif",
        ),
        (
            "التصديق على اتفاقية مناهضة التعذيب وغيره من ضروب المعاملة أو العقوبة القاسية أو اللاإنسانية أو المهينة",
            "ar",
            "التصديق على اتفاقية مناهضة التعذيب",
        ),
        (
            "Ratify the Second Optional Protocol to the ICCPR, aiming at the abolition of the death penalty",
            "en",
            "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights",
        ),
        (
            "Ratifier le deuxième Protocole facultatif se rapportant au Pacte international relatif aux droits "
            "civils et politiques, visant à abolir la peine de mort",
            "fr",
            "Ratifier le deuxième Protocole facultatif se rapportant au Pacte international relatif aux droits "
            "civils et politiques",
        ),
        (
            "التصديق على البروتوكول الاختياري الثاني الملحق بالعهد الدولي الخاص بالحقوق المدنية والسياسية، "
            "الهادف إلى العمل على إلغاء عقوبة الإعدام",
            "ar",
            "التصديق على البروتوكول الاختياري الثاني الملحق بالعهد الدولي الخاص بالحقوق المدنية والسياسية",
        ),
    ],
)
def test_the_optional_tails_of_treaty_titles_are_dropped(text, language, expected):
    assert embedding_text(text, language) == expected


def test_the_rest_of_the_text_is_kept():
    text = "Abolish the death penalty and protect victims of torture and other cruel treatment in detention"
    assert embedding_text(text, "en") == text


def test_an_acronym_after_a_full_title_goes_with_the_tail():
    text = "Ratify the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (CAT)"
    assert embedding_text(text, "en") == embedding_text("Ratify the Convention against Torture", "en")


def test_a_title_in_capitals_loses_its_tail_too():
    text = "RATIFY THE CONVENTION AGAINST TORTURE AND OTHER CRUEL, INHUMAN OR DEGRADING TREATMENT OR PUNISHMENT"
    assert embedding_text(text, "en") == "RATIFY THE CONVENTION AGAINST TORTURE"
