"""Untrusted text made safe: control characters, escapes and lone surrogates go, text stays."""

from __future__ import annotations

import re
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.safetext import clean_text, is_clean, one_line
from tests.helpers.hostile import POISON

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@pytest.mark.parametrize("poison", POISON)
def test_each_poison_goes_and_the_text_stays(poison: str) -> None:
    cleaned = clean_text(f"Nordlicht {poison}GmbH")
    assert cleaned.startswith("Nordlicht ") and cleaned.endswith("GmbH")
    assert is_clean(cleaned) and "\x1b" not in cleaned
    cleaned.encode("utf-8")  # no lone surrogate left


def test_line_breaks_and_tabs_are_kept_as_newlines() -> None:
    assert clean_text("a\r\nb\rc\x0bd\x0ce\u2028f\tg") == "a\nb\nc\nd\ne\nf\tg"
    assert one_line(" Senior\n  Engineer\t(m/w/d)\x00 ") == "Senior Engineer (m/w/d)"
    assert clean_text("title \ud800 end") == "title \ufffd end"
    assert clean_text("red \x1b[31mtext\x1b[0m and \x1b]8;;http://x\x07link") == "red text and link"


def test_clean_text_is_unchanged_and_fast_path_returns_it() -> None:
    text = "Müller & Söhne — Python/Go, 60.000 €\nRemote\tBerlin"
    assert clean_text(text) is text


@given(ANY_TEXT)
def test_anything_becomes_clean_utf8_xml_text(text: str) -> None:
    cleaned = clean_text(text)
    assert is_clean(cleaned)
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")
    assert "\n" not in one_line(text) and one_line(text) == one_line(cleaned)
    ElementTree.fromstring(f"<t>{escape(cleaned)}</t>".encode())  # valid XML 1.0 text


@given(ANY_TEXT)
def test_the_fast_check_agrees_with_the_cleaning(text: str) -> None:
    from common.safetext import _BREAKS, _DROPPED, _ESCAPES, _SURROGATES

    slow = text
    for pattern, by in ((_ESCAPES, ""), (_BREAKS, "\n"), (_DROPPED, ""), (_SURROGATES, "")):
        slow = re.sub(pattern, by, slow)
    assert is_clean(text) == (slow == text)


def test_the_fast_check_agrees_on_code_points() -> None:
    """Controls, separators, surrogates, non-characters, format and unassigned ones."""
    from common.safetext import _BREAKS, _DROPPED, _ESCAPES, _SURROGATES

    for code in [*range(0x3100), *range(0xD700, 0x10000), 0x1F600, 0xE0001, 0x10FFFF]:
        text = f"a{chr(code)}é"
        slow = text
        for pattern, by in ((_ESCAPES, ""), (_BREAKS, "\n"), (_DROPPED, ""), (_SURROGATES, "")):
            slow = re.sub(pattern, by, slow)
        assert is_clean(text) == (slow == text), hex(code)
