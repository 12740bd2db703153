import numpy as np
import pytest

from nlp.embedding_text import embed_texts, embedding_text


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


class RecordingEmbedder:
    name, dim = "recording", 2

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen += texts
        return np.zeros((len(texts), self.dim), dtype=np.float32)


def test_embed_texts_gives_the_encoder_the_embedding_text_in_each_texts_language():
    embedder = RecordingEmbedder()
    vectors = embed_texts(embedder, ["Ratify CAT-OP", "Ratifier le Protocole facultatif à CAT"], ["en", "fr"])
    assert vectors.shape == (2, 2)
    assert embedder.seen == [
        embedding_text("Ratify CAT-OP", "en"),
        embedding_text("Ratifier le Protocole facultatif à CAT", "fr"),
    ]
    assert embedder.seen[0] == "Ratify Optional Protocol to the Convention against Torture"


def test_embed_texts_takes_one_language_for_all_and_refuses_a_language_list_of_another_length():
    embedder = RecordingEmbedder()
    embed_texts(embedder, ["Ratify CAT", "Ratify CRPD"], "en")
    assert embedder.seen == [embedding_text("Ratify CAT", "en"), embedding_text("Ratify CRPD", "en")]
    with pytest.raises(ValueError):
        embed_texts(embedder, ["Ratify CAT", "Ratify CRPD"], ["en"])
