"""``make eval``: the local pre-score against a TF-IDF baseline on the labelled postings.

Two labelled sets in ``eval/data/``: generated from templates (``eval/postings.py``, labels by
rule) and hand-written (``eval/handwritten.py``, labels by judgement), for the profile
``eval/profile.json``. Each item is normalized with the pipeline's own code and scored; the
figures go into ``docs/analysis.md`` between the ``eval:begin`` / ``eval:end`` markers.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from common.adapters.dataset_file import iter_dataset_file
from common.analysis.local_scorer import LocalScorer
from common.domain.candidate import Profile
from common.domain.preferences import Preferences
from common.normalize import Rejection, normalize
from eval.metrics import forward_share_at_recall, recall_and_share, roc_auc, tfidf_scores

HERE = Path(__file__).parent
DOC = HERE.parent / "docs" / "analysis.md"
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def profile_text(profile: Profile) -> str:
    """Everything the resume says, as one text (the baseline's query)."""
    parts = [profile.basics.label or "", profile.basics.summary or ""]
    for skill in profile.skills:
        parts += [skill.name, *skill.keywords]
    for work in profile.work:
        parts += [work.position or "", work.summary or "", *work.highlights]
    for edu in profile.education:
        parts += [edu.studyType or "", edu.area or ""]
    return "\n".join(parts)


SETS = {
    "generated": ("postings.jsonl", "labels.json"),
    "hand-written": ("handwritten.jsonl", "handwritten_labels.json"),
    "hand-written, held out": ("heldout.jsonl", "heldout_labels.json"),
}


def evaluate(name: str) -> dict[str, float]:
    """Local pre-score vs TF-IDF on one labelled set."""
    postings, label_file = SETS[name]
    profile = Profile.load(HERE / "profile.json")
    labels = json.loads((HERE / "data" / label_file).read_text())
    prefs = Preferences()
    scorer = LocalScorer()
    jobs, ys = [], []
    for item in iter_dataset_file(HERE / "data" / postings):
        job = normalize(item, NOW)
        if isinstance(job, Rejection):
            raise SystemExit(f"eval item {item.get('id')} rejected: {job.reason}")
        jobs.append(job)
        ys.append(labels[item["id"]]["good"])
    local = [scorer.analyze(j, profile, prefs).score for j in jobs]
    tfidf = tfidf_scores(profile_text(profile), [f"{j.title}\n{j.description}" for j in jobs])
    share_local, thr_local = forward_share_at_recall(local, ys)
    share_tfidf, _ = forward_share_at_recall(tfidf, ys)
    rec, share = recall_and_share(local, ys, prefs.scoring.llm_threshold)
    return {
        "postings": len(jobs),
        "good": sum(ys),
        "auc_local": roc_auc(local, ys),
        "auc_tfidf": roc_auc(tfidf, ys),
        "share_local": share_local,
        "threshold_local": thr_local,
        "share_tfidf": share_tfidf,
        "default_threshold": prefs.scoring.llm_threshold,
        "recall_default": rec,
        "share_default": share,
    }


def render(results: dict[str, dict[str, float]]) -> str:
    lines = [
        "<!-- eval:begin (written by `make eval`) -->",
        "| set | postings (good) | ROC-AUC local | ROC-AUC TF-IDF | forwarded for 95 % recall, "
        "local | same, TF-IDF | at llm_threshold: recall / forwarded |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['postings']} ({r['good']}) | {r['auc_local']:.3f} | "
            f"{r['auc_tfidf']:.3f} | {r['share_local']:.1%} (score >= {r['threshold_local']:.0f})"
            f" | {r['share_tfidf']:.1%} | {r['recall_default']:.1%} / {r['share_default']:.1%} |"
        )
    threshold = next(iter(results.values()))["default_threshold"]
    lines += ["", f"Default `scoring.llm_threshold`: {threshold}.", "<!-- eval:end -->"]
    return "\n".join(lines)


def main() -> int:
    results = {name: evaluate(name) for name in SETS}
    block = render(results)
    print(block)
    if DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start, end = text.find("<!-- eval:begin"), text.find("<!-- eval:end -->")
        if start >= 0 and end > start:
            text = text[:start] + block + text[end + len("<!-- eval:end -->") :]
            DOC.write_text(text, encoding="utf-8")
            print(f"written into {DOC}")
    return 0 if all(r["auc_local"] > r["auc_tfidf"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
