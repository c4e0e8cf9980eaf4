"""The lists of phrase patterns as one alternation."""

import re

import pytest

from common.i18n.phrases import alternation, phrases, supported

TEXTS = [
    "Please forward this to hr@example.com.",
    "Nice to have: Kafka. Bonus if you know dbt, a plus: Rust.",
    "Le candidat idéal: un atout si vous connaissez Kafka; veuillez envoyer votre CV.",
    "Kenntnisse in Airflow sind von Vorteil. Bitte senden Sie Ihre Unterlagen.",
    "Se valorará experiencia en BigQuery. Por favor, envíe su CV.",
    "cc: someone\nsend it now\nclickbait, login, sign in, bonuses",
    "An xbonus and abonus: no boundary; an earlier ignore all, then bcc.",
]


def plain(items: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in items), re.I | re.M)


@pytest.mark.parametrize("code", supported())
@pytest.mark.parametrize("key", ["instructions", "nice_to_have", "degree_words", "objective"])
def test_alternation_matches_as_the_plain_one_does(code: str, key: str) -> None:
    items = phrases(code).data["text"].get(key, [])
    fast = re.compile(alternation(items), re.I | re.M)
    for text in TEXTS:
        for start in range(len(text)):
            a, b = plain(items).search(text, start), fast.search(text, start)
            assert (a and (a.span(), a.group(0))) == (b and (b.span(), b.group(0)))


def test_boundary_is_shared_by_consecutive_items_only() -> None:
    assert alternation([r"\ba", r"\bb", "c", r"\bd"]) == r"\b(?:(?:a)|(?:b))|(?:c)|\b(?:(?:d))"


def test_an_item_with_a_top_level_branch_keeps_its_own_boundary() -> None:
    # "\bx|y": the boundary belongs to "x" only; "(x|y)" and "[|]" are not top-level branches
    assert alternation([r"\bx|y", r"\b(x|y)", r"\b[|]"]) == r"(?:\bx|y)|\b(?:(?:(x|y))|(?:[|]))"
    assert re.search(alternation([r"\bx|y"]), "zy")
