"""Pay: salary text and schema.org amounts to interval / min / max / currency."""

from __future__ import annotations

import re
from typing import Any

from common.domain.job import Compensation, Interval

_CURRENCY_CODES = [
    "USD",
    "EUR",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "NZD",
    "PLN",
    "CZK",
    "SEK",
    "NOK",
    "DKK",
    "HUF",
    "RON",
    "INR",
    "JPY",
    "SGD",
    "HKD",
    "ZAR",
    "BRL",
    "MXN",
]
_CODE = re.compile(r"\b(" + "|".join(_CURRENCY_CODES) + r")\b")
_SYMBOLS = [  # longest first: "CA$" before "$"
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("NZ$", "NZD"),
    ("US$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₹", "INR"),
    ("¥", "JPY"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
    ("$", "USD"),
]
_INTERVALS: list[tuple[re.Pattern[str], Interval]] = [
    (re.compile(r"/\s*(hr|hour|h)\b|\b(an|per|a)\s+hour\b|\bhourly\b", re.I), "hourly"),
    (re.compile(r"/\s*(day|d)\b|\b(a|per)\s+day\b|\bdaily\b", re.I), "daily"),
    (re.compile(r"/\s*(wk|week)\b|\b(a|per)\s+week\b|\bweekly\b", re.I), "weekly"),
    (re.compile(r"/\s*(mo|month)\b|\b(a|per)\s+month\b|\bmonthly\b", re.I), "monthly"),
    (
        re.compile(
            r"/\s*(yr|year|annum)\b|\b(a|per)\s+(year|annum)\b|\b(yearly|annually|p\.?a)\b", re.I
        ),
        "yearly",
    ),
]
_UNITS: dict[str, Interval] = {
    "HOUR": "hourly",
    "DAY": "daily",
    "WEEK": "weekly",
    "MONTH": "monthly",
    "YEAR": "yearly",
    "HOURLY": "hourly",
    "DAILY": "daily",
    "WEEKLY": "weekly",
    "MONTHLY": "monthly",
    "YEARLY": "yearly",
    "ANNUAL": "yearly",
}
_NUMBER = re.compile(r"(\d[\d.,\s']*\d|\d)\s*([kK](?![^\W\d_]))?")


def _number(raw: str) -> float | None:
    text = raw.replace(" ", "").replace("'", "").replace("\u00a0", "")
    if "," in text and "." in text:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        groups = text.split(sep)
        thousand_like = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        decimal = None if thousand_like else sep
    else:
        decimal = None
    if decimal is None:
        digits = text.replace(",", "").replace(".", "")
    else:
        other = "," if decimal == "." else "."
        digits = text.replace(other, "").replace(decimal, ".")
    try:
        return float(digits)
    except ValueError:
        return None


def currency_of(text: str) -> str | None:
    """The ISO currency code written in ``text`` (a code or a symbol), if any."""
    match = _CODE.search(text.upper())
    if match:
        return match.group(0)
    for symbol, code in _SYMBOLS:
        if symbol in text:
            return code
    return None


def interval_of(text: str) -> Interval | None:
    """The pay interval a text names ("/yr", "an hour", "HOURLY", "per month"...)."""
    unit = _UNITS.get(text.strip().upper())
    if unit:
        return unit
    for pattern, interval in _INTERVALS:
        if pattern.search(text):
            return interval
    return None


def guess_interval(high: float) -> Interval | None:
    """An interval from the size of an amount when the text names none (small -> hourly)."""
    if high < 300:
        return "hourly"
    if high >= 10_000:
        return "yearly"
    return None


def parse_salary(value: Any) -> Compensation | None:
    """Pay from salary text ("€60,000.00/yr - €60,000.00/yr", "$17 - $19 an hour", "45k")
    or from a list of such texts (["$17.00", "$19.00"]). None when no amount is found."""
    if isinstance(value, list):
        value = " - ".join(str(v) for v in value if isinstance(v, str | int | float))
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    amounts: list[float] = []
    for match in _NUMBER.finditer(text):
        number = _number(match.group(1))
        if number is None:
            continue
        if match.group(2):
            number *= 1000
        amounts.append(number)
    amounts = [a for a in amounts if a > 0][:2]
    if not amounts:
        return None
    low, high = min(amounts), max(amounts)
    return Compensation(
        interval=interval_of(text) or guess_interval(high),
        min_amount=low,
        max_amount=high,
        currency=currency_of(text),
    )


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value == value and abs(value) < 1e12 else None
    if isinstance(value, str):
        comp = parse_salary(value)
        return comp.min_amount if comp else None
    return None


def from_amounts(
    low: Any, high: Any, currency: Any = None, unit: Any = None, text: Any = None
) -> Compensation | None:
    """Pay from separate fields; missing parts are taken from ``text`` when given."""
    parsed = parse_salary(text) if text else None
    lo, hi = _float(low), _float(high)
    if lo is None and hi is None:
        return parsed
    lo = lo if lo is not None else hi
    hi = hi if hi is not None else lo
    assert lo is not None and hi is not None
    lo, hi = min(lo, hi), max(lo, hi)
    interval = interval_of(unit) if isinstance(unit, str) else None
    code = currency.strip().upper()[:3] if isinstance(currency, str) else None
    code = code if code and code.isascii() and code.isalpha() else None
    return Compensation(
        interval=interval or (parsed.interval if parsed else None) or guess_interval(hi),
        min_amount=lo,
        max_amount=hi,
        currency=code or (parsed.currency if parsed else None),
    )


def from_schema_org(amount: Any) -> Compensation | None:
    """Pay from a schema.org ``MonetaryAmount`` (``value`` a number or ``QuantitativeValue``)."""
    if not isinstance(amount, dict):
        return parse_salary(amount)
    value = amount.get("value")
    if isinstance(value, dict):
        return from_amounts(
            value.get("minValue", value.get("value")),
            value.get("maxValue", value.get("value")),
            amount.get("currency"),
            value.get("unitText"),
        )
    return from_amounts(value, value, amount.get("currency"), amount.get("unitText"))
