"""Whitespace cleaning and HTML to text, pinned by examples (for whoever makes them faster)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.normalize.text import canonical_url, clean_whitespace, html_to_text
from common.safetext import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        ("  a \t b  ", "a b"),
        ("\n\n a\n\n\n\nb \n\n", "a\n\nb"),
        ("a\n \t \nb", "a\n\nb"),
        ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),
        ("a\u00a0\u3000b", "a b"),
        ("a\n\x0c\n\nb", "a\n\nb"),
    ],
)
def test_clean_whitespace(raw: str, clean: str) -> None:
    assert clean_whitespace(raw) == clean


def test_html_to_text_paragraphs_items_and_spaces() -> None:
    markup = "<p>  Build   <b>things</b> </p>\n\n<ul><li>one</li>\n<li> two </li></ul><br>end&nbsp;"
    assert html_to_text(markup) == "Build things\n- one\n- two\n\nend"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.x.com/jobs/1/?trk=public&refId=a%3D&utm_source=li", "https://x.com/jobs/1"),
        ("https://x.com/j?b=2&trk=t&a=1#top", "https://x.com/j?a=1&b=2"),
        ("https://x.com/j?utm_a%0A=1", "https://x.com/j"),  # escaped: decoded, then matched
        ("https://x.com/j?q+x=1&trk", "https://x.com/j?q+x=1"),
        ("https://x.com/j?a=&trk=1", "https://x.com/j"),  # a pair without a value is dropped
        ("https://x.com/j?TRK=1", "https://x.com/j?TRK=1"),
        ("http://x.com", "https://x.com/"),
        ("x.com/j", None),
    ],
)
def test_canonical_url(url: str, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("tag", ["h1", "H2", "h3", "h4", "h5", "h6", "Section", "TR", "dIv"])
def test_block_tags_of_any_case_break_paragraphs(tag: str) -> None:
    assert html_to_text(f"a<{tag} class='x'>b</{tag}>c") == "a\n\nb\n\nc"


@pytest.mark.parametrize("tag", ["h7", "h", "hr", "h12", "pre", "span"])
def test_other_tags_are_dropped(tag: str) -> None:
    assert html_to_text(f"a<{tag}>b</{tag}>c") == "abc"


#: markup made of the pieces that matter to cleaning: tags, character references (numeric ones
#: can stand for what clean_text removes), control characters and odd whitespace
_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "<br>",
        "<b>",
        "</ul>",
        "<!-- c -->",
        "<script>x</script>",
        "&amp;",
        "&nbsp;",
        "&#13;",
        "&#x2028;",
        "&#0;",
        "&#1;",
        "&#x85;",
        "&#12;",
        "&",
        "#",
        "<",
        ">",
        "\n",
        "\t",
        " ",
        "\x01",
        "\r",
        "\x1b[31m",
        "\u2028",
        "\ud800",
        "\ufffe",
        "\xa0",
        "–",
        "a",
        "word",
    ]
)


@settings(max_examples=400)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_cleaned_markup_gives_the_same_text(raw: str) -> None:
    # make_job passes markup clean_text already cleaned: skipping the second pass changes nothing
    markup = clean_text(raw)
    assert html_to_text(markup, cleaned=True) == html_to_text(markup)


def test_a_numeric_reference_in_cleaned_markup_is_still_cleaned() -> None:
    assert html_to_text("<p>a&#13;b&#12;c&#x1b;d&#0;</p>", cleaned=True) == "a\nb\ncd\ufffd"


def _split_and_join_each_line(text: str) -> str:
    """The plain definition of clean_whitespace: every line split into words and joined."""
    lines = [" ".join(raw.split()) for raw in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).rstrip("\n")


def test_the_inline_spaces_are_all_whitespace_that_does_not_break_a_line() -> None:
    from common.normalize.text import _INLINE_SPACES

    inline = {
        c
        for c in map(chr, range(0x110000))
        if c.isspace() and c != " " and len(f"a{c}b".splitlines()) == 1
    }
    assert inline == set(_INLINE_SPACES)


_WHITESPACE = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\t", "\r\n", "\x1f", "\x1c", "\x0b", "\xa0", "\u2003", "\u3000"]
)
_WORDS = st.sampled_from(["a", "word", "é", "–", "\u2028", "\U0001f600", "\x85", "\u200b"])


@settings(max_examples=500)
@given(st.lists(st.one_of(_WHITESPACE, _WORDS, st.text(max_size=3)), max_size=30).map("".join))
def test_clean_whitespace_is_each_line_split_and_joined(text: str) -> None:
    assert clean_whitespace(text) == _split_and_join_each_line(text)


def test_the_unclean_characters_a_reference_can_stand_for() -> None:
    from html.entities import html5

    from common import safetext
    from common.normalize.text import _UNCLEAN_REFERENCED

    every = "".join(map(chr, range(0x110000)))
    changed = f"{safetext._BREAKS}|{safetext._DROPPED}|{safetext._SURROGATES}|\x1b"
    unclean = set(re.findall(changed, every))
    assert all(clean_text(c) != c for c in unclean)
    assert all(clean_text(c) == c for c in "\n\t a\xa0\u2003\ufffd\U0001f600")
    # a numeric reference stands for its code point, for "" or U+FFFD, or (below 0xA0) for
    # the character of a fixed table: these numbers cover every unclean result
    numbers = {ord(c) for c in unclean} | set(range(0xA0)) | {0x110000}
    referenced = set(html.unescape("".join(f"&#{n};&#x{n:x}" for n in numbers)))
    referenced |= set("".join(html5.values()))
    assert referenced & unclean == set(_UNCLEAN_REFERENCED)


@pytest.mark.parametrize("reference", ["&#13;", "&#xD", "&#12;", "&#x81;", "&#8232;", "&#x2029;"])
def test_a_reference_to_what_clean_text_changes_is_cleaned(reference: str) -> None:
    markup = f"<p>a{reference}b &amp; c</p>"
    assert (
        html_to_text(markup, cleaned=True)
        == html_to_text(markup)
        == clean_text(html_to_text(markup))
    )


def test_references_are_found_as_html_unescape_finds_them() -> None:
    from common.normalize.text import _REFERENCE

    assert _REFERENCE.pattern == html._charref.pattern  # type: ignore[attr-defined]


_REFERENCES = st.sampled_from(
    ["&amp;", "&amp", "&AMP;", "&apos;", "&#xe9;", "&#XE9", "&#233;", "&#0;", "&#13;", "&#x110000;",
     "&#xd800;", "&#128;", "&notin;", "&notit;", "&not", "&ampx;", "&;", "&#;", "&#x;", "& ",
     "&#99999999999999999999;", "&" + "a" * 40 + ";", "&nbsp;", "&NotNestedLessLess;", "&",
     ";", "#", "x", "é", " ", "<"]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.one_of(_REFERENCES, st.text(max_size=3)), max_size=20).map("".join))
def test_unescape_is_html_unescape(text: str) -> None:
    from common.normalize.text import unescape

    assert unescape(text) == html.unescape(text)
    assert unescape(text) == html.unescape(text)  # from what it remembers


_CASED = st.sampled_from(
    ["Σ", "ς", "İ", "Î", "ẞ", "ǅ", "Ω", "\u212a", "–", "é", "A", "a", " ", "\n"]
)


@settings(max_examples=500)
@given(st.lists(st.one_of(_CASED, st.text(max_size=4)), max_size=30).map("".join))
def test_lower_utf8_is_lower_then_encode(text: str) -> None:
    from common.normalize.text import lower_utf8

    try:
        expected = text.lower().encode()
    except UnicodeEncodeError:  # a lone surrogate
        with pytest.raises(UnicodeEncodeError):
            lower_utf8(text)
        return
    assert lower_utf8(text) == expected


def test_lower_utf8_on_every_character() -> None:
    from common.normalize.text import lower_utf8

    for code in (*range(0xD800), *range(0xE000, 0x110000)):
        char = chr(code)
        text = f"Ab{char}c{char}"
        assert lower_utf8(text) == text.lower().encode(), hex(code)
