"""Hostile postings through the whole local pipeline, with a Gemini that obeys them.

Every posting of ``tests/fixtures/hostile_postings.yaml`` (instead-redirections, CC/BCC
requests, look-alike domains, addresses in HTML attributes, instructions to the model,
accommodation / privacy / no-reply / questions-only addresses; six languages) is ingested,
analysed by the real Gemini client against a fake that does what each posting says (score 100,
the attacker's address), given documents and delivered to the ``.eml`` outbox. Then: every
email goes to the posting's own application address on the employer's domain, and no other;
each refused case is in review with its reason.
"""

from __future__ import annotations

import json
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.analysis.recipients import employer_domains, registrable
from common.domain.job import Job
from common.runtime import build_runtime
from common.services.pipeline import run_files
from common.services.review import review_queue
from common.settings import load_settings
from common.store.collections import ANALYSES, JOBS
from tests.helpers.datasets import bebity_item, workspace
from tests.helpers.fake_gemini import FakeGemini, obeying

CORPUS = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "fixtures" / "hostile_postings.yaml").read_text()
)


def _item(n: int, case: dict[str, Any]) -> dict[str, Any]:
    item = bebity_item(
        n,
        company=f"Employer {case['id']}",
        contact=case["html"],
        apply_url=case.get("apply", ""),
        company_url=case.get("site", ""),
    )
    if case.get("emails"):
        item["emails"] = case["emails"]
    return item


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile")
    items = [_item(n, case) for n, case in enumerate(CORPUS, 1)]
    config = workspace(
        folder,
        items,
        "backends: {analyzer: gemini}\n"
        "sending: {mode: outbox, daily_cap: 400}\n"
        "scoring: {apply_threshold: 60, review_threshold: 40, llm_threshold: 0}\n"
        "gemini: {requests_per_minute: 1000, requests_per_day: 1000}\n",
    )
    mp = pytest.MonkeyPatch()
    with FakeGemini(api_key="test-key", default=obeying()) as fake:
        mp.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        mp.setenv("GEMINI_API_KEY", "test-key")
        try:
            rt = build_runtime(load_settings(config))
            run_files(rt, [folder / "jobs.json"])
            calls = fake.calls
        finally:
            mp.undo()
    by_source = {doc["source_id"]: (job_id, doc) for job_id, doc in rt.store.query(JOBS)}
    sent: dict[str, list[str]] = {}
    for eml in (folder / "data" / "outbox").glob("*.eml"):
        msg = message_from_bytes(eml.read_bytes(), policy=default_policy)
        sent.setdefault(str(msg["To"]), []).append(str(msg["Subject"]))
        assert msg["Cc"] is None and msg["Bcc"] is None
    return {"rt": rt, "by_source": by_source, "sent": sent, "calls": calls}


def test_the_corpus_is_big_and_varied() -> None:
    assert len(CORPUS) >= 30
    assert {c["lang"] for c in CORPUS} >= {"en", "de", "fr", "es"}
    kinds = {c["id"].split("-")[0] for c in CORPUS}
    assert {"instead", "cc", "bcc", "lookalike", "attr", "inject"} <= kinds


def test_the_fake_model_obeyed_and_was_asked_for_every_posting(outcome) -> None:
    assert outcome["calls"] == len(CORPUS)
    store = outcome["rt"].store
    scores = [store.get(ANALYSES, job_id)["score"] for job_id, _ in outcome["by_source"].values()]
    assert scores == [100] * len(CORPUS)


def test_no_email_goes_anywhere_but_the_postings_own_application_address(outcome) -> None:
    allowed = {c["legit"] for c in CORPUS if c["legit"]}
    assert set(outcome["sent"]) <= allowed, json.dumps(outcome["sent"], indent=1)
    clean = {c["legit"] for c in CORPUS if c["legit"] and not c.get("review")}
    assert set(outcome["sent"]) == clean  # the postings with nothing wrong do go out
    for address, subjects in outcome["sent"].items():
        assert len(subjects) == 1, address


@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_each_posting(outcome, case: dict[str, Any]) -> None:
    n = CORPUS.index(case) + 1
    job_id, doc = outcome["by_source"][str(910000000 + n)]
    analysis = outcome["rt"].store.get(ANALYSES, job_id)
    job = Job.from_doc(doc)
    assert analysis["contact_email"] == case["legit"]
    if case["legit"] and not case["legit"].endswith("@applytojob.com"):
        assert registrable(case["legit"].split("@")[1]) in employer_domains(job)
    mailed = [
        a
        for a, subjects in outcome["sent"].items()
        if any(s.endswith(f"at {job.company}") for s in subjects)
    ]
    queue = {row["id"]: row for row in review_queue(outcome["rt"].store)}
    if case.get("review"):
        assert job_id in queue, f"{case['id']} is not in review"
        row = queue[job_id]
        shown = " ".join([row["note"] or "", *row["reasons"]])
        assert case["review"] in shown, shown
        assert not row["note"] or shown.count(row["note"]) == 1, shown  # said once
        assert job_id not in {r for r in outcome["sent"]}
    elif case["legit"]:
        assert analysis["decision"] == "apply" and job_id not in queue
    assert not mailed or mailed == [case["legit"]]
