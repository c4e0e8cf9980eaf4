"""Labelled sets for ``make eval`` and the ranker's fit: loading, features, folds, metrics.

The real dev set lives outside the repository (``../shared/eval/fit_dev``: postings in the
LinkedIn actor's shape, one person's labels, their resume); it is read, never copied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from common.analysis.features import FITTED
from common.analysis.local_scorer import LocalScorer
from common.domain.candidate import Profile
from common.domain.job import Job
from common.domain.preferences import Preferences
from common.normalize import Rejection, normalize

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "fit_dev"
MODEL_FILE = ROOT / "common" / "resources" / "ranking" / "model.json"
#: the day the postings are scored as of (their own dates are placeholders)
NOW = datetime(2024, 6, 15, tzinfo=UTC)


@dataclass
class Labelled:
    """Normalized jobs with their labels, and the profile they are labelled for."""

    name: str
    jobs: list[Job]
    labels: list[int]
    profile: Profile


def load_set(name: str, postings: Path, labels: Path, profile: Path) -> Labelled:
    """Read a labelled set: a dataset export (JSON array or JSONL), ``{id: bool}`` labels (or
    ``{id: {"good": bool}}``), a JSON Resume."""
    from common.adapters.dataset_file import iter_dataset_file

    marks = json.loads(labels.read_text())
    jobs, ys = [], []
    for item in iter_dataset_file(postings):
        job = normalize(item, NOW)
        if isinstance(job, Rejection):
            raise SystemExit(f"{name}: item {item.get('id')} rejected: {job.reason}")
        mark = marks[str(item["id"])]
        jobs.append(job)
        ys.append(int(mark["good"] if isinstance(mark, dict) else mark))
    return Labelled(name, jobs, ys, Profile.load(profile))


def load_dev(data: str | None = None) -> Labelled:
    """The real dev set (SystemExit when it is not there)."""
    root = Path(data) if data else DEV
    if not (root / "labels.json").is_file():
        raise SystemExit(f"no labelled set at {root}")
    return load_set("real dev", root / "postings.json", root / "labels.json", root / "profile.json")


def scores(labelled: Labelled, prefs: Preferences | None = None, scorer=None) -> list[int]:
    """The local scores of a set, the way ``autoapply score`` computes them (every posting
    observed first, for the lexical statistics)."""
    prefs = prefs or Preferences()
    scorer = scorer or LocalScorer()
    for job in labelled.jobs:
        scorer.observe(job, labelled.profile, prefs.targets, NOW.date())
    return [scorer.rank(job, labelled.profile, prefs).score for job in labelled.jobs]


def feature_matrix(labelled: Labelled) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features in FITTED order, labels, repost groups) of a set."""
    prefs = Preferences()
    scorer = LocalScorer()
    for job in labelled.jobs:
        scorer.observe(job, labelled.profile, prefs.targets, NOW.date())
    rows = [scorer.rank(job, labelled.profile, prefs).values for job in labelled.jobs]
    x = np.array([[r[n] for n in FITTED] for r in rows])
    seen: dict[str, int] = {}
    groups = np.array([seen.setdefault(j.description[:300], len(seen)) for j in labelled.jobs])
    return x, np.array(labelled.labels, float), groups


def grouped_folds(groups: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` (train, test) index splits that keep each group in one fold."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(np.unique(groups))
    fold_of = {g: i % k for i, g in enumerate(order)}
    fold = np.array([fold_of[g] for g in groups])
    return [(np.flatnonzero(fold != i), np.flatnonzero(fold == i)) for i in range(k)]


def roc_auc_np(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC-AUC with ties counted half (vectorized)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))
