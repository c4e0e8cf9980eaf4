"""The ranker: one logistic model over the features of :mod:`common.analysis.features`.

``score = 100 * P(fit)``, with ``P(fit) = sigmoid(bias + sum(weight * standardized feature))``.
The weights are learned, not written by hand: ``eval/fit_ranker.py`` fits them on real
labelled postings (cross-validated; the figures are in docs/analysis.md) and writes
``common/resources/ranking/model.json``. Two rules stay outside the fit, both data in that
file: a role family far from the candidate's (a sales or nursing title for an engineer) caps
the score as clearly poor, and what the candidate asked to avoid (``targets.avoid``) weighs
``avoid_weight`` (the labelled data has no such targets to learn it from).

A per-candidate model (:mod:`common.analysis.feedback`) may add its own logit on top.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: reason texts for the features that moved a score most, by sign
_UP = {
    "lexical": "its wording is close to your resume",
    "area": "the kind of work matches yours",
    "required": "you meet most of its requirements",
    "core": "it names your core skills",
    "spec": "its specialization matches your positions",
    "years_gap": "it is a step up from your years of experience",
    "feedback": "it resembles postings you liked",
}
_DOWN = {
    "lexical": "its wording is far from your resume",
    "area": "the kind of work is not yours",
    "foreign": "most of the skills it names are not yours",
    "required": "you meet few of its requirements",
    "core": "it names none of your core skills",
    "title_lack": "its title names a skill you lack",
    "spec": "its specialization is not one you held",
    "years_gap": "it asks for more years than you have",
    "level_up": "its level is above yours",
    "avoid": "it is about something you want to avoid",
    "feedback": "it resembles postings you turned down",
}


@dataclass(frozen=True)
class RankModel:
    """The learned weights, their standardization and the two rules outside the fit."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    avoid_weight: float
    off_role: float
    off_role_cap: int

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> RankModel:
        return cls(
            tuple(doc["features"]),
            tuple(float(x) for x in doc["mean"]),
            tuple(float(x) or 1.0 for x in doc["scale"]),
            tuple(float(x) for x in doc["weights"]),
            float(doc["bias"]),
            float(doc["avoid_weight"]),
            float(doc["off_role"]),
            int(doc["off_role_cap"]),
        )

    def vector(self, values: dict[str, float]) -> list[float]:
        """The standardized feature vector, in :attr:`features` order (clipped to +-4)."""
        return [
            max(-4.0, min(4.0, (values[n] - m) / s))
            for n, m, s in zip(self.features, self.mean, self.scale, strict=True)
        ]

    def logit(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """The zero-shot logit and each feature's contribution to it."""
        parts = {
            n: w * x
            for n, w, x in zip(self.features, self.weights, self.vector(values), strict=True)
        }
        parts["avoid"] = self.avoid_weight * values.get("avoid", 0.0)
        return self.bias + sum(parts.values()), parts

    def score(self, logit: float, role: float) -> int:
        """0-100 from a logit; capped for a role family far from the candidate's."""
        score = round(100 / (1 + math.exp(-max(-30.0, min(30.0, logit)))))
        if role < self.off_role:
            score = min(score, self.off_role_cap)
        return score


def load_model() -> RankModel:
    """The shipped model (``common/resources/ranking/model.json``)."""
    path = resources.files("common.resources") / "ranking" / "model.json"
    return RankModel.from_doc(json.loads(path.read_text("utf-8")))


def reasons_of(parts: dict[str, float], limit: int = 3) -> list[str]:
    """The features that moved the score most, as sentences (strongest first)."""
    out = []
    for name, value in sorted(parts.items(), key=lambda kv: -abs(kv[1])):
        if abs(value) < 0.25 or len(out) >= limit:
            break
        text = (_UP if value > 0 else _DOWN).get(name)
        if text and text not in out:
            out.append(f"{text} ({'+' if value > 0 else ''}{value:.1f})")
    return out
