"""Money amounts as reports print them → US dollars."""

from __future__ import annotations

import pytest

from extract.text.amounts import find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US$1.8 million", 1_800_000),
        ("US$150,000", 150_000),
        ("US\\$8M", 8_000_000),  # Markdown-escaped dollar in text renditions
        ("US\\$8 million", 8_000_000),
        ("US$ 8M budget", 8_000_000),
        ("8 million", 8_000_000),
        ("$4,248,584", 4_248_584),
        ("US$4,248,584", 4_248_584),
        ("US$ 77,967,000", 77_967_000),
        ("USD 2.5 million", 2_500_000),
        ("2.5 million US dollars", 2_500_000),
        ("2.5 million USD", 2_500_000),
        ("US$2.5m", 2_500_000),
        ("US$1.2 billion", 1_200_000_000),
        ("$1.2bn", 1_200_000_000),
        ("$750k", 750_000),
        ("$750 thousand", 750_000),
        ("US$1.62 million in 2020", 1_620_000),
        ("around US$150,000 annually", 150_000),
        ("$5.955 million", 5_955_000),
        ("4\u00a0248\u00a0584 USD", 4_248_584),  # no-break spaces as thousands separators
    ],
)
def test_parse_amount_normalises_to_us_dollars(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", [None, "", "n/a", "in 2020", "2016–2020", "EUR 5 million", "€5M", "KZT 300 million"])
def test_no_dollar_amount(text):
    assert parse_amount(text) is None


def test_bare_magnitudes_need_a_budget_context():
    assert find_amounts("a population of 18.2 million people") == []
    assert [a.value for a in find_amounts("a population of 18.2 million people", require_currency=False)] == [
        18_200_000
    ]
    assert find_amounts("8 million") == []


def test_every_amount_in_order_with_its_position():
    text = "UN Women's share: US$2,541,617 Total programme: US$4,248,584"
    amounts = find_amounts(text)
    assert [a.value for a in amounts] == [2_541_617, 4_248_584]
    assert [text[a.start : a.end] for a in amounts] == ["US$2,541,617", "US$4,248,584"]


def test_years_next_to_amounts_are_not_amounts():
    amounts = find_amounts(
        "decreased since 2016, from US$1.93 million to US$1.62 million in 2020", require_currency=False
    )
    assert [a.value for a in amounts] == [1_930_000, 1_620_000]


@pytest.mark.parametrize(
    ("text", "tolerance"),
    [
        ("US$4.4 million", 50_000),  # stated to a tenth of a million
        ("US$1.93 million", 5_000),
        ("US$8M", 500_000),
        ("US$4,248,584", 0.5),
    ],
)
def test_tolerance_is_half_the_last_stated_unit(text, tolerance):
    assert find_amounts(text)[0].tolerance == tolerance
