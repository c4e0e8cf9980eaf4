"""Job locations read the way a person reads them: ``City, ST`` is a US city, ``Munich,
Bavaria`` is in Germany, ``Toronto`` alone is in Canada.

The knowledge is data (``common/resources/places.json``): countries with their names and
aliases by ISO 3166-1 code, regions (states, provinces, Länder...) by country, and the
best-known cities by country. Countries are stored as ISO codes when recognized; regions and
cities as the item wrote them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from common.domain.job import Location

_WORKPLACE = (
    "remote|remotely|work from home|wfh|home[- ]?office|telecommute|anywhere|hybrid|on-?site"
)
_REMOTE = re.compile(rf"\b({_WORKPLACE})\b", re.I)
_PARENS = re.compile(r"\s*\([^)]*\)")
_ZIP = re.compile(r"^([A-Za-z]{2,3})\s+[\dA-Z][\dA-Z -]{2,8}$")  # "TX 78701", "ON M5V 2T6"
#: places longer than this (never a real one) are read without being remembered
_CACHED_CHARS = 300
_AREA = re.compile(r"^(greater\s+)?(.+?)(\s+metropolitan)?(\s+(bay\s+)?area|\s+region)?$", re.I)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Places:
    """Lookups built from ``places.json`` (all keys case-folded)."""

    countries: dict[str, str]  # name, alias or code -> code
    names: dict[str, tuple[str, ...]]  # code -> names
    regions: dict[str, list[tuple[str, str]]]  # region name (or code) -> [(country, region)]
    region_names: dict[tuple[str, str], tuple[str, ...]]  # (country, region) -> names
    cities: dict[str, str]  # city -> country code


@cache
def places() -> Places:
    """The place data, loaded once."""
    raw = json.loads((resources.files("common.resources") / "places.json").read_text("utf-8"))
    countries: dict[str, str] = {}
    names: dict[str, tuple[str, ...]] = {}
    for code, aliases in raw["countries"].items():
        names[code] = tuple(aliases)
        for alias in (code, *aliases):
            countries.setdefault(_fold(alias), code)
    regions: dict[str, list[tuple[str, str]]] = {}
    region_names: dict[tuple[str, str], tuple[str, ...]] = {}
    coded = raw["coded_regions"]  # countries whose postings write region codes ("Austin, TX")
    for country in sorted(raw["regions"], key=lambda c: coded.index(c) if c in coded else 99):
        for key, aliases in raw["regions"][country].items():
            region_names[(country, key)] = tuple(aliases)
            spelled = [*aliases, key] if country in coded else aliases
            for alias in spelled:
                regions.setdefault(_fold(alias), []).append((country, key))
    cities = {_fold(city): code for code, listed in raw["cities"].items() for city in listed}
    return Places(countries, names, regions, region_names, cities)


def country_code(text: Any) -> str | None:
    """The ISO code of a country name, alias or code ("Germany", "USA", "de"); else None."""
    return places().countries.get(_fold(text)) if isinstance(text, str) and text else None


def regions_named(text: str) -> list[tuple[str, str]]:
    """``(country, region)`` pairs a region name (or a US/CA/AU code) may mean."""
    return places().regions.get(_fold(text), [])


def city_country(text: str) -> str | None:
    """The country of a well-known city ("Toronto", "Greater Munich Metropolitan Area")."""
    found = places().cities.get(_fold(text))
    if found is None and (match := _AREA.match(text.strip())):
        found = places().cities.get(_fold(match.group(2)))
    return found


def _region_in(text: str, country: str | None) -> tuple[str, str] | None:
    options = regions_named(text)
    if country:
        options = [o for o in options if o[0] == country]
    return options[0] if options else None


def _parts(text: str) -> list[str]:
    cleaned = _PARENS.sub("", text)
    parts = [p.strip() for p in cleaned.split(",")]
    parts = [_ZIP.sub(r"\1", p) for p in parts if p and not _REMOTE.fullmatch(p)]
    return [p for p in parts if not p.isdigit()]


def read_location(text: Any) -> Location:
    """``City, State, Country`` / ``City, ST`` / ``City, Country`` / ``City`` / ``Country``,
    with the country inferred from a region or a well-known city when the text omits it."""
    parts = _parts(text) if isinstance(text, str) else []
    if not parts:
        return Location()
    if len(parts) >= 3:
        city, state, last = parts[0], parts[-2], parts[-1]
        return Location(city=city, state=state, country=country_code(last) or last)
    if len(parts) == 2:
        return _city_and(parts[0], parts[1])
    only = parts[0]
    if code := country_code(only):
        return Location(country=code)
    if code := city_country(only):
        return Location(city=only, country=code)
    if region := _region_in(only, None):
        return Location(state=only, country=region[0])
    return Location(city=only)


def _city_and(city: str, other: str) -> Location:
    """``City, X`` where X is a region or a country."""
    home, code = city_country(city), country_code(other)
    region = _region_in(other, home) if home else None
    if home and region:  # "San Francisco, CA", "Munich, Bavaria"
        return Location(city=city, state=other, country=home)
    if home and code == home:  # "Berlin, DE", "Luxembourg, Luxembourg"
        return Location(city=city, country=code)
    if region := _region_in(other, None):  # "Springfield, IL", "London, ON"
        return Location(city=city, state=other, country=region[0])
    if code:
        return Location(city=city, country=code)
    if home:  # "Wiltz, Diekirch" with Wiltz known
        return Location(city=city, state=other, country=home)
    return Location(city=city, country=other)


def resolve(
    text: Any = None, *, city: Any = None, state: Any = None, country: Any = None
) -> Location:
    """One location from a location text and/or separate city, state and country fields.

    Separate fields win over the text, except a ``country`` that only repeats the text's
    region code (an actor that wrote ``country: "CA"`` for "San Francisco, CA")."""
    parts = (text if isinstance(text, str) else None, *(_text(v) for v in (city, state, country)))
    if sum(len(p or "") for p in parts) <= _CACHED_CHARS:  # one export repeats its places
        found = _resolved(*parts)
    else:
        found = _resolved.__wrapped__(*parts)
    return Location(city=found[0], state=found[1], country=found[2])


@lru_cache(maxsize=4096)
def _resolved(
    text: str | None, city_s: str, state_s: str, country_s: str
) -> tuple[str | None, str | None, str | None]:
    read = read_location(text)
    if country_s and read.state and _fold(country_s) == _fold(read.state) and read.country:
        country_s = ""
    city_v = city_s or read.city
    state_v = state_s or read.state
    country_v = (country_code(country_s) or country_s) if country_s else read.country
    if state_v and not country_v and not regions_named(state_v) and country_code(state_v):
        state_v, country_v = None, country_code(state_v)  # a country in the state column
    if not country_v:
        country_v = _infer_country(city_v, state_v)
    return city_v or None, state_v or None, country_v or None


def _infer_country(city: str | None, state: str | None) -> str | None:
    home = city_country(city) if city else None
    region = _region_in(state, home) if state else None
    return region[0] if region else home


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):  # schema.org {"@type": "Country", "name": "CZ"}
        return _text(value.get("name"))
    return ""


def matches(wanted: str, location: Location) -> bool:
    """Whether a filter entry names this location's country or region (any spelling):
    "Germany" matches ``country: DE``, "California" matches ``state: CA, country: US``."""
    code = country_code(wanted)
    if code and location.country and code == country_code(location.country):
        return True
    if location.state:
        country = country_code(location.country) if location.country else None
        theirs = _region_in(location.state, country)
        return theirs is not None and theirs in regions_named(wanted)
    return False
