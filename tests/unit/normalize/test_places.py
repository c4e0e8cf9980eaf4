"""Locations read as a person reads them, with the country inferred from a region or city."""

from __future__ import annotations

import pytest

from common.domain.job import Location
from common.normalize.places import country_code, matches, read_location, resolve


@pytest.mark.parametrize(
    ("text", "city", "state", "country"),
    [
        ("San Francisco, CA", "San Francisco", "CA", "US"),  # CA: California, not Canada
        ("Wilmington, DE", "Wilmington", "DE", "US"),  # DE after an unknown city: Delaware
        ("Berlin, DE", "Berlin", None, "DE"),  # ... after Berlin: Germany
        ("Toronto, ON", "Toronto", "ON", "CA"),
        ("London, ON", "London", "ON", "CA"),
        ("London", "London", None, "GB"),
        ("Munich, Bavaria", "Munich", "Bavaria", "DE"),
        ("Austin, TX 78701", "Austin", "TX", "US"),
        ("Berlin (Hybrid)", "Berlin", None, "DE"),
        ("Remote, Germany", None, None, "DE"),
        ("Greater Munich Metropolitan Area", "Greater Munich Metropolitan Area", None, "DE"),
        ("Wiltz, Diekirch, Luxembourg", "Wiltz", "Diekirch", "LU"),
        ("Halle, Flemish Region, Belgium", "Halle", "Flemish Region", "BE"),
        ("Belgium", None, None, "BE"),
        ("California", None, "California", "US"),
        ("Smallville", "Smallville", None, None),  # unknown: kept as written, no guess
        ("Springfield, Utopia", "Springfield", None, "Utopia"),
        ("", None, None, None),
    ],
)
def test_read_location(text: str, city: str | None, state: str | None, country: str | None) -> None:
    assert read_location(text) == Location(city=city, state=state, country=country)


def test_separate_fields_and_a_drifted_country() -> None:
    # blackfalcondata writes the US state code as the country
    assert resolve("Indianapolis, IN", country="IN") == Location(
        city="Indianapolis", state="IN", country="US"
    )
    assert resolve(None, city="Berlin", state="Berlin") == Location(
        city="Berlin", state="Berlin", country="DE"
    )
    assert resolve(None, city="Charleroi", state="Walloon Region").country == "BE"
    assert resolve(None, city="", state="Belgium") == Location(country="BE")  # a country column
    assert resolve("London", country="CA") == Location(city="London", country="CA")  # stated wins
    assert resolve(None, country={"@type": "Country", "name": "CZ"}) == Location(country="CZ")


def test_country_names() -> None:
    assert [country_code(t) for t in ("Germany", "deutschland", "USA", "u.s.", "DE", "Narnia")] == [
        "DE",
        "DE",
        "US",
        "US",
        "DE",
        None,
    ]


def test_matches_by_country_and_region() -> None:
    austin = Location(city="Austin", state="TX", country="US")
    assert matches("United States", austin) and matches("Texas", austin)
    assert not matches("Canada", austin) and not matches("Austin", austin)  # cities: by text
