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
