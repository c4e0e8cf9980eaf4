"""``make eval``: match quality on real labelled postings, beside a TF-IDF baseline.

Headline: the real dev set (``../shared/eval/fit_dev``, read when present, never copied).
The shipped ranker was fitted on that set, so its figures there are in-sample; the honest
ones are *out of fold*: 5-fold cross-validation (postings with the same text in one fold),
the weights refitted without the fold they score, every posting scored through the real
:class:`LocalScorer` exactly as ``autoapply score`` does. Also reported: the default local
decision, what reaches Gemini with the default budget, the candidate's own model after 100
labels, and the speed of local scoring. Secondary: the project's own sets in ``eval/data/``
(shipped model, zero-shot). The block goes into ``docs/analysis.md`` between the
``eval:begin`` / ``eval:end`` markers.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

from common.analysis.local_scorer import LocalScorer
from common.analysis.ranker import load_model
from common.domain.preferences import Preferences
from common.services.ranking import build_feedback
from common.settings import Gemini
from eval.fit_ranker import fit_logistic
from eval.labelled import (
    DEV,
    NOW,
    Labelled,
    feature_matrix,
    grouped_folds,
    load_dev,
    load_set,
    roc_auc_np,
    scores,
)
from eval.metrics import forward_share_at_recall, tfidf_scores

HERE = Path(__file__).parent
DOC = HERE.parent / "docs" / "analysis.md"
OWN = {
    "own: generated": ("postings.jsonl", "labels.json"),
    "own: hand-written": ("handwritten.jsonl", "handwritten_labels.json"),
    "own: hand-written, held out": ("heldout.jsonl", "heldout_labels.json"),
    "own: mixed sectors (India-like)": ("mixed.jsonl", "mixed_labels.json"),
}
MIXED = "own: mixed sectors (India-like)"
REPS = 5


def profile_text(labelled: Labelled) -> str:
    """Everything the resume says (the baseline's query)."""
    from common.analysis.candidate import profile_text as text

    return text(labelled.profile)


def _fold_scorer(x: np.ndarray, y: np.ndarray, train: np.ndarray) -> LocalScorer:
    mean, scale = x[train].mean(0), x[train].std(0) + 1e-9
    w, b = fit_logistic((x[train] - mean) / scale, y[train])
    model = dataclasses.replace(
        load_model(),
        mean=tuple(mean),
        scale=tuple(scale),
        weights=tuple(w),
        bias=b,
    )
    return LocalScorer(model=model)


def out_of_fold(dev: Labelled) -> list[np.ndarray]:
    """Scores of every posting by a model fitted without its fold, one array per repetition."""
    x, y, groups = feature_matrix(dev)
    out = []
    for rep in range(REPS):
        pred = np.zeros(len(y))
        for train, test in grouped_folds(groups, 5, rep):
            scorer = _fold_scorer(x, y, train)
            all_scores = scores(dev, scorer=scorer)
            pred[test] = np.array(all_scores)[test]
        out.append(pred)
    return out


def forwarded(score: np.ndarray, prefs: Preferences, limits: Gemini) -> np.ndarray:
    """Which postings Gemini sees in a day: ranked at least ``llm_threshold``, best first,
    within the daily budget."""
    ranked = np.argsort(-score, kind="stable")
    worth = [i for i in ranked if score[i] >= prefs.scoring.llm_threshold]
    sent = np.zeros(len(score), bool)
    sent[worth[: limits.requests_per_day]] = True
    return sent


def decision_figures(score: np.ndarray, y: np.ndarray, prefs: Preferences, limits: Gemini):
    """Skips of the default decision, and what reaches Gemini with the default budget."""
    skip = score < prefs.scoring.review_threshold
    sent = forwarded(score, prefs, limits)
    return {
        "good_skipped": skip[y == 1].mean(),
        "poor_skipped": skip[y == 0].mean(),
        "gemini_good": sent[y == 1].mean(),
        "gemini_share": sent.mean(),
    }


def feedback_figure(dev: Labelled, n: int = 100, reps: int = 10) -> tuple[float, float]:
    """ROC-AUC on the other postings with ``n`` labelled as feedback, without and with the
    candidate's model; the zero-shot weights fitted on the other half of the set (grouped),
    so neither the feedback nor the scored postings were seen by the fit."""
    x, y, groups = feature_matrix(dev)
    prefs = Preferences()
    base, mine = [], []
    for rep in range(reps):
        folds = grouped_folds(groups, 2, rep)
        fit_half, use_half = folds[0][1], folds[1][1]
        scorer = _fold_scorer(x, y, fit_half)
        for job in dev.jobs:
            scorer.observe(job, dev.profile, prefs.targets, NOW.date())
        order = np.random.default_rng(100 + rep).permutation(use_half)
        known, other = order[:n], order[n:]
        zero = np.array([scorer.rank(dev.jobs[i], dev.profile, prefs).score for i in other])
        scorer.feedback = build_feedback(
            scorer, [dev.jobs[i] for i in known], [bool(y[i]) for i in known], dev.profile, prefs
        )
        logits = np.array([scorer.rank(dev.jobs[i], dev.profile, prefs).logit for i in other])
        base.append(roc_auc_np(zero.astype(float), y[other]))
        mine.append(roc_auc_np(logits, y[other]))
    return float(np.mean(base)), float(np.mean(mine))


def speed(dev: Labelled, rounds: int = 3) -> float:
    """Postings per CPU second of local scoring (read, features, rank, analysis)."""
    prefs = Preferences()
    best = 0.0
    for _ in range(rounds):
        scorer = LocalScorer()
        start = time.process_time()
        for job in dev.jobs:
            scorer.observe(job, dev.profile, prefs.targets, NOW.date())
        for job in dev.jobs:
            scorer.analyze(job, dev.profile, prefs)
        best = max(best, len(dev.jobs) / (time.process_time() - start))
    return best


def real_block() -> list[str]:
    dev = load_dev()
    y = np.array(dev.labels)
    prefs, limits = Preferences(), Gemini()
    shipped = np.array(scores(dev), float)
    tfidf = np.array(
        tfidf_scores(profile_text(dev), [f"{j.title}\n{j.description}" for j in dev.jobs])
    )
    oof = out_of_fold(dev)
    auc_oof = [roc_auc_np(p, y) for p in oof]
    fwd_oof = [forward_share_at_recall(p.tolist(), y.tolist())[0] for p in oof]
    dec = [decision_figures(p, y, prefs, limits) for p in oof]
    mean = {k: float(np.mean([d[k] for d in dec])) for k in dec[0]}
    fb_base, fb_mine = feedback_figure(dev)
    rate = speed(dev)
    pct = lambda v: f"{100 * v:.1f}%"  # noqa: E731
    return [
        f"**Real postings** ({len(y)} US tech postings, {int(y.sum())} fits, one engineer's "
        "labels; `../shared/eval/fit_dev`):",
        "",
        "| measure | ranker, out of fold | ranker as shipped (in-sample) | TF-IDF | goal |",
        "|---|---|---|---|---|",
        f"| zero-shot ROC-AUC | {np.mean(auc_oof):.3f} (sd {np.std(auc_oof):.3f}) | "
        f"{roc_auc_np(shipped, y):.3f} | {roc_auc_np(tfidf, y):.3f} | >= 0.85 |",
        f"| forwarded to keep 95 % of good fits | {pct(np.mean(fwd_oof))} | "
        f"{pct(forward_share_at_recall(shipped.tolist(), y.tolist())[0])} | "
        f"{pct(forward_share_at_recall(tfidf.tolist(), y.tolist())[0])} | <= 50 % |",
        f"| default decision (skip under {prefs.scoring.review_threshold}): good fits skipped "
        f"/ poor fits skipped | {pct(mean['good_skipped'])} / {pct(mean['poor_skipped'])} | "
        f"{pct(decision_figures(shipped, y, prefs, limits)['good_skipped'])} / "
        f"{pct(decision_figures(shipped, y, prefs, limits)['poor_skipped'])} | | "
        "<= 10 % / >= 50 % |",
        f"| Gemini on, default budget ({limits.requests_per_day}/day, rank >= "
        f"{prefs.scoring.llm_threshold}): good fits reaching Gemini / postings it sees | "
        f"{pct(mean['gemini_good'])} / {pct(mean['gemini_share'])} | "
        f"{pct(decision_figures(shipped, y, prefs, limits)['gemini_good'])} / "
        f"{pct(decision_figures(shipped, y, prefs, limits)['gemini_share'])} | | "
        ">= 90 % / <= 60 % |",
        f"| 100 labelled as feedback: ROC-AUC on the others, without / with the candidate's "
        f"model (zero-shot fitted on the other half) | {fb_base:.3f} / {fb_mine:.3f} | | | "
        ">= 0.88 |",
        f"| local scoring speed (CPU time, one core) | {rate:,.0f} postings/s | | | >= 1,000 |",
        "",
    ]


def mixed_block() -> list[str]:
    """A mixed batch (many sectors, few on-target jobs, like LinkedIn India): Gemini calls
    per posting with the default budget, and the prompt tokens of each call."""
    from common.analysis.prompt import build_prompt

    postings, labels = OWN[MIXED]
    data = load_set(MIXED, HERE / "data" / postings, HERE / "data" / labels, HERE / "profile.json")
    y = np.array(data.labels)
    prefs, limits = Preferences(), Gemini()
    score = np.array(scores(data), float)
    figures = decision_figures(score, y, prefs, limits)
    sent = [job for job, on in zip(data.jobs, forwarded(score, prefs, limits), strict=True) if on]
    tokens = [build_prompt(job, data.profile, limits.max_prompt_tokens).tokens() for job in sent]
    return [
        f"**Mixed batch** (`eval/data/mixed.jsonl`: {len(y)} postings of 15 sectors, "
        f"{int(y.sum())} on target, profile `eval/profile.json`; Gemini on, default budget):",
        "",
        "| measure | result | goal |",
        "|---|---|---|",
        f"| Gemini calls per posting | {len(sent) / len(y):.2f} ({len(sent)} calls) | <= 0.35 |",
        f"| good fits reaching Gemini | {100 * figures['gemini_good']:.0f}% | |",
        f"| prompt tokens per call, max / mean (our estimate) | "
        f"{max(tokens, default=0)} / {round(float(np.mean(tokens))) if tokens else 0} | "
        "<= 2,500 |",
        "",
    ]


def own_block() -> list[str]:
    lines = [
        "**Own sets** (written for this project, profile `eval/profile.json`; shipped model, "
        "zero-shot):",
        "",
        "| set | postings (good) | ROC-AUC ranker | ROC-AUC TF-IDF |",
        "|---|---|---|---|",
    ]
    for name, (postings, labels) in OWN.items():
        data = load_set(
            name, HERE / "data" / postings, HERE / "data" / labels, HERE / "profile.json"
        )
        y = np.array(data.labels)
        ours = np.array(scores(data), float)
        tfidf = np.array(
            tfidf_scores(profile_text(data), [f"{j.title}\n{j.description}" for j in data.jobs])
        )
        lines.append(
            f"| {name} | {len(y)} ({int(y.sum())}) | {roc_auc_np(ours, y):.3f} | "
            f"{roc_auc_np(tfidf, y):.3f} |"
        )
    return lines


def main() -> int:
    lines = ["<!-- eval:begin (written by `make eval`) -->"]
    if (DEV / "labels.json").is_file():
        lines += real_block()
    else:
        lines += [f"(no real labelled set at {DEV}: real-data figures not measured)", ""]
    lines += mixed_block()
    lines += own_block()
    lines.append("<!-- eval:end -->")
    block = "\n".join(lines)
    print(block)
    if DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start, end = text.find("<!-- eval:begin"), text.find("<!-- eval:end -->")
        if start >= 0 and end > start:
            text = text[:start] + block + text[end + len("<!-- eval:end -->") :]
            DOC.write_text(text, encoding="utf-8")
            print(f"written into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
