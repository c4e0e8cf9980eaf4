"""The candidate's own model: learned from their judgements (approve, reject, label).

A logistic regression on top of the zero-shot ranker: its logit is an *offset*, and the
candidate's model learns only corrections, from the ranker's standardized features and hashed
words of the posting (title words count double). Strong L2 regularisation keeps it near the
zero-shot ranking with few labels and lets it move as labels accumulate. Scoring is plain
Python (a dot product over a dict); only :func:`train` needs numpy, imported when called, so
the analyze function's cold start does not pay for it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from common.analysis.posting import Posting
from common.domain.job import Job

DIMENSIONS = 2**12
#: regularisation of the feature corrections and of the word weights
L2_FEATURES = 30.0
L2_WORDS = 3.0
VERSION = 1


def _slot(word: str) -> int:
    return (
        int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big") % DIMENSIONS
    )


def word_vector(job: Job, post: Posting) -> dict[int, float]:
    """Hashed words of the posting (unit length; title words double)."""
    vec: dict[int, float] = {}
    for word, count in post.bag.items():
        if " " in word:
            continue
        slot = _slot(word)
        vec[slot] = vec.get(slot, 0.0) + 1 + math.log(count)
    for word in job.title.lower().split():
        slot = _slot(f"title:{word}")
        vec[slot] = vec.get(slot, 0.0) + 2.0
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


@dataclass(frozen=True)
class FeedbackModel:
    """Weights learned from the candidate's labels (corrections to the zero-shot logit)."""

    features: tuple[str, ...]
    feature_weights: tuple[float, ...]
    word_weights: dict[int, float]
    bias: float
    labels: int

    def logit(self, job: Job, post: Posting, standardized: Sequence[float]) -> float:
        """The correction this model adds to the zero-shot logit of ``job``."""
        total = self.bias + sum(
            w * x for w, x in zip(self.feature_weights, standardized, strict=True)
        )
        weights = self.word_weights
        for slot, value in word_vector(job, post).items():
            w = weights.get(slot)
            if w:
                total += w * value
        return total

    def to_doc(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "features": list(self.features),
            "feature_weights": list(self.feature_weights),
            "word_weights": {str(k): v for k, v in self.word_weights.items()},
            "bias": self.bias,
            "labels": self.labels,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> FeedbackModel:
        """The stored model; ValueError/KeyError/TypeError when it is not one."""
        if doc.get("version") != VERSION:
            raise ValueError(f"model version {doc.get('version')!r}, expected {VERSION}")
        features = tuple(str(f) for f in doc["features"])
        weights = tuple(float(w) for w in doc["feature_weights"])
        if len(features) != len(weights):
            raise ValueError("feature weights do not match the features")
        words = {int(k): float(v) for k, v in dict(doc["word_weights"]).items()}
        if any(not 0 <= k < DIMENSIONS or not math.isfinite(v) for k, v in words.items()):
            raise ValueError("word weights out of range")
        return cls(features, weights, words, float(doc["bias"]), int(doc["labels"]))


def train(
    features: tuple[str, ...],
    standardized: Sequence[Sequence[float]],
    words: Sequence[dict[int, float]],
    offsets: Sequence[float],
    labels: Sequence[bool],
) -> FeedbackModel:
    """Fit the corrections to the zero-shot logits ``offsets`` for the labelled postings."""
    import numpy as np

    n, k = len(labels), len(features)
    x = np.zeros((n, k + DIMENSIONS + 1))
    x[:, :k] = np.asarray(standardized, dtype=float).reshape(n, k)
    for i, vec in enumerate(words):
        for slot, value in vec.items():
            x[i, k + slot] = value
    x[:, -1] = 1.0
    used = np.flatnonzero(np.abs(x).sum(0) > 0)
    xs = x[:, used]
    reg = np.where(used < k, L2_FEATURES, np.where(used == x.shape[1] - 1, 1.0, L2_WORDS))
    y = np.asarray(labels, dtype=float)
    off = np.asarray(offsets, dtype=float)
    w = np.zeros(len(used))
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(xs @ w + off, -30, 30)))
        grad = xs.T @ (p - y) + reg * w
        if len(used) <= n:
            hess = xs.T @ (xs * (p * (1 - p))[:, None]) + np.diag(reg)
            step = np.linalg.solve(hess, grad)
        else:  # more weights than labels: solve in the dual (Woodbury), n x n
            d = p * (1 - p)
            xr = xs / reg
            inner = np.diag(1 / np.maximum(d, 1e-9)) + xr @ xs.T
            step = grad / reg - xr.T @ np.linalg.solve(inner, xr @ grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    full = np.zeros(x.shape[1])
    full[used] = w
    word_w = {int(s): float(full[k + s]) for s in range(DIMENSIONS) if full[k + s] != 0.0}
    return FeedbackModel(features, tuple(float(v) for v in full[:k]), word_w, float(full[-1]), n)
