"""The eval's own labelled sets are data files that load, and the generated one is
reproducible from its templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.labelled import load_set
from eval.run_eval import OWN
from eval.synthetic import generate

DATA = Path(__file__).resolve().parents[2] / "eval" / "data"
PROFILE = DATA.parent / "profile.json"


@pytest.mark.parametrize("name", sorted(OWN))
def test_every_own_set_loads_with_a_label_per_posting(name: str) -> None:
    postings, labels = OWN[name]
    data = load_set(name, DATA / postings, DATA / labels, PROFILE)
    assert len(data.jobs) == len(json.loads((DATA / labels).read_text())) > 0
    assert 0 < sum(data.labels) < len(data.labels)


def test_generated_set_is_what_the_templates_give() -> None:
    rows = generate(seed=7, n=300)
    lines = (DATA / "postings.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [item for item, _, _ in rows]
    labels = json.loads((DATA / "labels.json").read_text())
    assert {item["id"]: label for item, label, _ in rows} == {
        k: v["good"] for k, v in labels.items()
    }
