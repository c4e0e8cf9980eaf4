"""Decoding Pub/Sub CloudEvents and the id lists they carry."""

from __future__ import annotations

import base64
import json

import pytest

from common.errors import ValidationError
from common.events import decode_pubsub, require_ids


def _data(payload: object) -> dict:
    raw = base64.b64encode(json.dumps(payload).encode()).decode()
    return {"message": {"data": raw, "messageId": "m-1", "attributes": {"a": "1"}}}


def test_decode() -> None:
    delivery = decode_pubsub(_data({"job_ids": ["a"]}), "ce-1")
    assert delivery.message == {"job_ids": ["a"]}
    assert delivery.event_id == "m-1" and delivery.attributes == {"a": "1"}


@pytest.mark.parametrize(
    "data",
    [None, {}, {"message": "x"}, {"message": {"data": "!!!"}}, _data([1, 2])],
)
def test_decode_rejects_bad_shapes(data: object) -> None:
    with pytest.raises(ValidationError):
        decode_pubsub(data, "ce-1")


def test_require_ids() -> None:
    assert require_ids({"job_ids": ["a", "b"]}, "job_ids") == ["a", "b"]
    assert require_ids({"job_id": "a"}, "job_ids") == ["a"]
    for bad in ({}, {"job_ids": []}, {"job_ids": "a"}, {"job_ids": [1]}, {"job_ids": [""]}):
        with pytest.raises(ValidationError, match="job_ids"):
            require_ids(bad, "job_ids")


def test_decode_refuses_deep_or_odd_messages_with_a_clear_error() -> None:
    import base64

    deep = base64.b64encode(b"[" * 5000 + b"]" * 5000).decode()
    with pytest.raises(ValidationError, match=r"message\.data: nested deeper than 64"):
        decode_pubsub({"message": {"data": deep}}, "ce-1")
    for attributes in (["a"], "a=1", 5):
        with pytest.raises(ValidationError, match="attributes"):
            decode_pubsub({"message": {"data": "", "attributes": attributes}}, "ce-1")
    with pytest.raises(ValidationError, match="base64"):
        decode_pubsub({"message": {"data": 5}}, "ce-1")
