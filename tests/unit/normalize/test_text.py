"""Whitespace cleaning: the regex version does what the line-by-line definition says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from common.normalize.text import clean_whitespace, html_to_text


def _by_lines(text: str) -> str:
    """The definition: each line's words joined by one space, at most one blank line between
    lines, none at either end."""
    out: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\n \n",
        "\r\n",
        "\r",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1f",
        "\x85",
        "\u2028",
        "\u2029",
        "\u00a0",
        "\u3000",
        "a",
        "bc",
        "- x",
        "\ufffd",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=60))
def test_clean_whitespace_matches_the_line_by_line_definition(text: str) -> None:
    assert clean_whitespace(text) == _by_lines(text)


def test_html_to_text_paragraphs_items_and_spaces() -> None:
    markup = "<p>  Build   <b>things</b> </p>\n\n<ul><li>one</li>\n<li> two </li></ul><br>end&nbsp;"
    assert html_to_text(markup) == "Build things\n- one\n- two\n\nend"
