"""Ranking metrics and the TF-IDF baseline, shared by ``make eval`` and ``make bench``."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (ties count half): P(score of a good > score of a bad)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        raise ValueError("ROC-AUC needs both good and bad examples")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def forward_share_at_recall(
    scores: Sequence[float], labels: Sequence[int], recall: float = 0.95
) -> tuple[float, float]:
    """(share of all postings forwarded, threshold) to keep ``recall`` of the good ones when
    forwarding every posting scoring at least the threshold."""
    good = sorted((s for s, y in zip(scores, labels, strict=True) if y), reverse=True)
    keep = math.ceil(recall * len(good))
    threshold = good[keep - 1]
    return sum(1 for s in scores if s >= threshold) / len(scores), threshold


def recall_and_share(
    scores: Sequence[float], labels: Sequence[int], threshold: float
) -> tuple[float, float]:
    """(recall of good postings, share forwarded) at a fixed threshold."""
    sent = [s >= threshold for s in scores]
    good = sum(labels)
    kept = sum(1 for f, y in zip(sent, labels, strict=True) if f and y)
    return kept / good, sum(sent) / len(scores)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#]+", text.lower())


def tfidf_scores(query: str, docs: Sequence[str]) -> list[float]:
    """Cosine similarity of each doc to ``query`` in TF-IDF space (idf over docs + query)."""
    bags = [Counter(_tokens(d)) for d in docs]
    qbag = Counter(_tokens(query))
    df: Counter[str] = Counter()
    for bag in [*bags, qbag]:
        df.update(bag.keys())
    n = len(bags) + 1

    def vec(bag: Counter[str]) -> dict[str, float]:
        return {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in bag.items()}

    q = vec(qbag)
    qn = math.sqrt(sum(v * v for v in q.values())) or 1.0
    out = []
    for bag in bags:
        d = vec(bag)
        dn = math.sqrt(sum(v * v for v in d.values())) or 1.0
        out.append(sum(w * d.get(t, 0.0) for t, w in q.items()) / (qn * dn))
    return out
