"""Salary text and schema.org amounts to interval / min / max / currency."""

from __future__ import annotations

import pytest

from common.normalize.salary import from_amounts, from_schema_org, parse_salary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€60,000.00/yr - €60,000.00/yr", ("yearly", 60000, 60000, "EUR")),
        (["$17.00", "$19.00"], ("hourly", 17, 19, "USD")),
        ("$17.00/hr - $19.00/hr", ("hourly", 17, 19, "USD")),
        ("$18 - $21 an hour", ("hourly", 18, 21, "USD")),
        ("$70,000 - $85,000 a year", ("yearly", 70000, 85000, "USD")),
        ("45k-55k GBP", ("yearly", 45000, 55000, "GBP")),
        ("€4.500 - €5.500 per month", ("monthly", 4500, 5500, "EUR")),
        ("€55.000 - €65.000 pro Jahr", ("yearly", 55000, 65000, "EUR")),
        ("CA$80,000 a year", ("yearly", 80000, 80000, "CAD")),
        ("NOK 650,000.00 - NOK 800,000.00", ("yearly", 650000, 800000, "NOK")),
        ("$24.50–$30.00 an hour", ("hourly", 24.5, 30, "USD")),
        ("From £250 a day", ("daily", 250, 250, "GBP")),
        ("1 200 - 1 500 € / week", ("weekly", 1200, 1500, "EUR")),
    ],
)
def test_salary_text(text: object, expected: tuple) -> None:
    comp = parse_salary(text)
    assert comp is not None
    assert (comp.interval, comp.min_amount, comp.max_amount, comp.currency) == expected


@pytest.mark.parametrize("text", ["", "Competitive", None, [], {"a": 1}, "  ", True])
def test_no_amount_is_none(text: object) -> None:
    assert parse_salary(text) is None


def test_schema_org_monetary_amount() -> None:
    comp = from_schema_org(
        {
            "@type": "MonetaryAmount",
            "currency": "CZK",
            "value": {"minValue": 70000, "maxValue": 95000, "unitText": "MONTH"},
        }
    )
    assert comp is not None
    assert (comp.interval, comp.min_amount, comp.max_amount, comp.currency) == (
        "monthly",
        70000,
        95000,
        "CZK",
    )
    single = from_schema_org({"currency": "USD", "value": 30, "unitText": "HOUR"})
    assert single is not None and (single.min_amount, single.interval) == (30, "hourly")


def test_amount_fields_fall_back_to_text() -> None:
    comp = from_amounts(None, None, "EUR", "YEARLY", text="€55.000 - €65.000")
    assert comp is not None and (comp.min_amount, comp.max_amount) == (55000, 65000)
    swapped = from_amounts(62, 45, "usd", "HOURLY")
    assert swapped is not None
    assert (swapped.min_amount, swapped.max_amount, swapped.currency) == (45, 62, "USD")
