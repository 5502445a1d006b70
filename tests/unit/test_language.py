"""A document's language from the function words of its text: a code where the text says, None where it does not."""

from __future__ import annotations

import pytest

from extract.text.language import detect_language

# (a paragraph written for this test, the language it is in; None: too little or too mixed to tell)
TEXTS = [
    (
        "The evaluation assessed the relevance and the effectiveness of the office. It was conducted by a team of "
        "three evaluators, and the findings were shared with the partners of the programme in the country.",
        "en",
    ),
    (
        "La evaluación analizó la pertinencia y la eficacia de la oficina. Fue realizada por un equipo de tres "
        "personas, y los hallazgos se compartieron con los socios del programa en el país y con las autoridades.",
        "es",
    ),
    (
        "L'évaluation a examiné la pertinence et l'efficacité du bureau. Elle a été réalisée par une équipe de trois "
        "personnes, et les constats ont été partagés avec les partenaires du programme dans le pays et avec les "
        "autorités qui sont responsables des politiques pour les femmes.",
        "fr",
    ),
    ("Country Portfolio Evaluation Kazakhstan 2021", None),
    ("Table 3: Projects 2019 2020 2021 US$ 1.8 million", None),
    (
        "The office and the partners of the programme. La oficina y los socios del programa. Le bureau et les "
        "partenaires du programme.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "language"), TEXTS, ids=[text[:30] for text, _ in TEXTS])
def test_the_language_is_the_one_whose_function_words_the_text_uses(text, language):
    assert detect_language(text) == language
