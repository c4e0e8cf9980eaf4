"""Decoding untrusted JSON and YAML: deep nesting is one clear error, never a RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.adapters.dataset_file import iter_dataset_file
from common.domain.candidate import Profile
from common.errors import ConfigError, ValidationError
from common.jsonsafe import MAX_DEPTH, check_depth, load_yaml, loads
from common.settings import load_settings
from tests.helpers.hostile import nested_json

DEEP = [nested_json(1000), nested_json(100_000), nested_json(1000, '{"a":', "}")]


@pytest.mark.parametrize("text", DEEP, ids=["arrays", "many", "objects"])
def test_deep_json_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^body: nested deeper than 64 levels") as err:
        loads(text, "body")
    assert "\n" not in err.value.message and err.value.field == "body"


def test_depth_limit_is_exact_and_iterative() -> None:
    assert loads(nested_json(MAX_DEPTH), "x") is not None
    with pytest.raises(ValidationError):
        loads(nested_json(MAX_DEPTH + 1), "x")
    value: list = []
    for _ in range(50_000):  # built without the decoder: deeper than the recursion limit
        value = [value]
    with pytest.raises(ValidationError, match="nested deeper"):
        check_depth(value, "x")
    assert check_depth({"a": [1, {"b": "c"}]}, "x") == {"a": [1, {"b": "c"}]}


def test_bad_json_and_yaml_errors_are_one_line() -> None:
    with pytest.raises(ValidationError, match=r"^f: not valid JSON \(Expecting"):
        loads(b"{oops", "f")
    with pytest.raises(ValidationError, match="not UTF-8"):
        loads(b"\xff\xfe[", "f")
    with pytest.raises(ValidationError) as err:
        load_yaml("a: [1, 2\nb: {c: d\n", "f.yaml")
    assert "\n" not in err.value.message and "line" in err.value.message
    with pytest.raises(ValidationError, match="nested deeper"):
        load_yaml(nested_json(600), "f.yaml")


@pytest.mark.parametrize("layout", ["array", "jsonl"])
def test_dataset_reader_refuses_a_deep_item(tmp_path: Path, layout: str) -> None:
    deep = nested_json(5000)
    text = f'[{{"a": 1}}, {deep}]' if layout == "array" else f'{{"a": 1}}\n{deep}\n'
    path = tmp_path / "data.json"
    path.write_text(text)
    with pytest.raises(ValidationError, match="nested deeper than 64 levels"):
        list(iter_dataset_file(path))


def test_profile_and_settings_readers_refuse_deep_documents(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("basics: " + nested_json(2000))
    with pytest.raises(ValidationError, match="nested deeper"):
        Profile.load(profile)
    settings = tmp_path / "autoapply.yaml"
    settings.write_text("searches: " + nested_json(2000))
    with pytest.raises(ConfigError, match="nested deeper"):
        load_settings(settings, env={})
