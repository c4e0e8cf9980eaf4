"""Remote detection from short fields, pinned against its plain definition."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.normalize.fields import _REMOTE, _REMOTE_WORDS, detect_remote, text


def _any_field_mentions_remote(*texts: object) -> bool:
    """The plain definition: some field, cleaned, matches the pattern."""
    return any(_REMOTE.search(text(t)) for t in texts)


@pytest.mark.parametrize(
    ("fields", "remote"),
    [
        (("Berlin, Germany", "Engineer"), None),
        (("Remote", "Engineer"), True),
        (("Berlin", "Engineer (WFH)"), True),
        (("Berlin", "Home-Office Engineer"), True),
        (("Berlin", "Engineer", "REMOTELY"), True),
        (("Berlin", "Remoteness engineer"), None),  # not a whole word
        (("Berlin remote", "x"), True),
        (("Berlin\nremote", "x"), True),
        (("Berlin", None, 42, ["remote"]), None),  # only strings and numbers are fields
    ],
)
def test_remote_from_short_fields(fields: tuple[object, ...], remote: bool | None) -> None:
    assert detect_remote(*fields) is remote


def test_a_flag_and_the_description() -> None:
    assert detect_remote("Remote", flag=False) is False
    assert detect_remote("Berlin", description="We are Fully Remote.") is True
    assert detect_remote("Berlin", description="Remote interviews") is None


def test_the_words_looked_for_first_are_in_every_match() -> None:
    # each letter of the pattern's words matches, ignoring case, only characters that
    # lower-case to it, but "i" (U+0130, U+0131), which only "office" has, after "home"
    letters = set("".join(_REMOTE_WORDS)) | set("workfromoffice")
    every = "".join(map(chr, range(0x110000)))
    odd = {
        (letter, c)
        for letter in letters
        for c in re.findall(letter, every, re.I)
        if c.lower() != letter
    }
    assert {letter for letter, _ in odd} <= {"i"}
    assert all("i" not in w for w in _REMOTE_WORDS)


_PIECES = st.sampled_from(
    ["remote", "Remotely", "REMOTE", "wfh", "home office", "Home-office", "homeoffice",
     "work from home", "telecommute", "anywhere", "\u212aremote", "rem\u0130te", "r\xe9mote",
     "HOME", "\u0130", "\u212a", "\u017f", " ", "\n", "-", "x", "é", "\x00", "\r", "\u2028"]
)  # fmt: skip
_FIELD = st.one_of(
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=6).map("".join),
    st.none(),
    st.integers(),
)


@settings(max_examples=500)
@given(st.lists(_FIELD, max_size=4))
def test_one_search_over_the_fields_is_a_search_of_each(fields: list[object]) -> None:
    expected = True if _any_field_mentions_remote(*fields) else None
    assert detect_remote(*fields) is expected
