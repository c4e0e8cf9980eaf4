"""The documents' skill scanner: canonical keys, spellings, positions, odd case folding."""

from __future__ import annotations

from common.documents.skill_scan import SkillScanner


def test_mentions_give_the_canonical_key_spelling_and_position() -> None:
    scanner = SkillScanner([("Requests", "requests")])
    text = "Python/Node, postgres and Go; requests are welcome, Requests too"
    found = [(m.key, m.surface, m.start) for m in scanner.mentions(text)]
    assert ("python", "Python", 0) in found
    assert ("postgresql", "postgres", text.index("postgres")) in found
    assert ("go", "Go", text.index("Go")) in found
    assert ("requests", "Requests", text.rindex("Requests")) in found
    assert not any(m.start == text.index("requests") for m in scanner.mentions(text))
    starts = [m.start for m in scanner.mentions(text)]
    assert starts == sorted(starts)


def test_a_character_that_only_case_folds_to_an_alias_is_no_mention_and_no_crash() -> None:
    scanner = SkillScanner()
    # re's IGNORECASE matches "ſ" (long s) for "s", but "ſql".lower() is not "sql"
    text = "ſql, then SQL"
    assert [(m.key, m.surface) for m in scanner.mentions(text)] == [("sql", "SQL")]
    assert scanner.keys(text) == {"sql"}


def test_aliases_grouped_by_first_letter_match_as_the_plain_alternation() -> None:
    """The longest alias wins, an alias followed by a word character gives way to a shorter
    one, and a non-ASCII first letter (grouping off) still matches."""
    import re

    from common.documents.skill_scan import _by_head

    aliases = ["spark streaming", "spark", "sql", "scala", "c++", "c#", "c", "éclair", "ſx"]
    aliases.sort(key=len, reverse=True)
    ascii_only = [a for a in aliases if a[0].isascii()]
    text = "Spark Streaming, sparks, Spark, C++ and C# or C; SQLite, sql, Scala, éclair, ſx"
    for group in (aliases, ascii_only):
        plain = re.compile(
            rf"(?<![\w+#&/.-])(?:{'|'.join(map(re.escape, group))})(?![\w+#&])", re.I
        )
        grouped = re.compile(rf"(?<![\w+#&/.-])(?:{_by_head(group, re.I)})(?![\w+#&])", re.I)
        spans = [(m.start(), m.group(0)) for m in plain.finditer(text)]
        assert [(m.start(), m.group(0)) for m in grouped.finditer(text)] == spans
        assert (0, "Spark Streaming") in spans and (text.index("C++"), "C++") in spans
    assert "(?:" in _by_head(ascii_only, re.I)  # grouped without the non-ASCII aliases
    assert _by_head(aliases, re.I) == "|".join(map(re.escape, aliases))
