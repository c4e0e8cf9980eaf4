"""Property: any JSON object given to the normalizers yields a Job or a Rejection."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from common.domain.job import Job
from common.normalize import Rejection, normalize
from common.normalize.registry import SCHEMAS, identify
from common.safetext import is_clean
from tests.helpers.hostile import POISON

FINISHED = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "",
            "Today",
            "3 days ago",
            "€60,000.00/yr",
            "https://x.example/a?b=1",
            "<p>a</p>",
            "2026-11-01",
            "$17.00",
            "Remote",
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
#: every key any normalizer reads, so the property reaches deep into each one
KNOWN_KEYS = sorted(
    {k for s in SCHEMAS for k in s.evidence}
    | {
        "id",
        "salary",
        "salaryInfo",
        "location",
        "descriptionHtml",
        "descriptionText",
        "description",
        "applyUrl",
        "publishedAt",
        "postedAt",
        "postedAtTimestamp",
        "emails",
        "isRemote",
        "datePublished",
        "jobLocation",
        "jobDetails",
        "datePosted",
        "applyLink",
        "jobHighlights",
        "metadata",
        "extras",
        "workplaceTypes",
        "workRemoteAllowed",
        "country",
        "scrapedAt",
        "jobType",
        "contractType",
        "workType",
        "employmentType",
        "city",
        "state",
        "countryCode",
        "linkedinJobId",
        "salaryMin",
        "salaryMax",
        "extractedEmails",
    }
)


def _check(item: dict, actor: str | None = None) -> None:
    result = normalize(item, FINISHED, actor)
    assert isinstance(result, Job | Rejection)
    if isinstance(result, Job):
        assert result.title and result.company
        Job.from_doc(result.to_doc())  # what is stored can be read back
        found = identify(item, actor)  # duplicates are found by this id, before normalizing
        assert not isinstance(found, Rejection) and found.id == result.id


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=20), json_values, max_size=8))
def test_any_object(item: dict) -> None:
    _check(item)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SCHEMAS), st.dictionaries(st.sampled_from(KNOWN_KEYS), json_values, max_size=10)
)
def test_objects_in_each_shape(schema, extra: dict) -> None:  # type: ignore[no-untyped-def]
    item = {**{k: "x" for k in schema.evidence}, **extra}
    _check(item)
    _check(item, schema.actors[0])


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_value(value: object) -> None:
    assert isinstance(normalize(value, FINISHED), Job | Rejection)


#: text with anything in it: lone surrogates, NUL, escapes, every control character
hostile_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30) | (
    st.sampled_from(POISON).map(lambda p: f"Nordlicht {p} GmbH")
)
hostile_values = st.recursive(
    scalars | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=10,
)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SCHEMAS),
    st.dictionaries(st.sampled_from(KNOWN_KEYS), hostile_values, max_size=10),
    st.dictionaries(st.sampled_from(KNOWN_KEYS), hostile_text, max_size=6),
)
def test_hostile_text_is_cleaned_never_stored_raw(schema, extra: dict, texts: dict) -> None:  # type: ignore[no-untyped-def]
    """Every string of a normalized job is clean UTF-8, XML-safe text; titles are one line."""
    item = {**{k: f"x {k}" for k in schema.evidence}, **extra, **texts}
    result = normalize(item, FINISHED, schema.actors[0])
    assert isinstance(result, Job | Rejection)
    if isinstance(result, Rejection):
        return
    doc = result.to_doc()
    for text in _strings(doc):
        assert is_clean(text), text
    json.dumps(doc, ensure_ascii=False).encode("utf-8")
    for field in (
        result.title,
        result.company,
        *filter(None, result.location.model_dump().values()),
    ):
        assert "\n" not in field and field == field.strip()
