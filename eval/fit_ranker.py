"""Fit the ranker's weights on real labelled postings and write them as data.

    python -m eval.fit_ranker [--data ../shared/eval/fit_dev] [--write]

Reads the dev set (never copied into the repository), computes every feature with the
pipeline's own code (the same path as ``autoapply score``), and fits an L2-regularised
logistic regression on standardized features. Before writing anything it reports the
cross-validated ROC-AUC (5 folds, 20 repetitions; postings with the same description start
are kept in one fold, the set has reposts). ``--write`` stores the fit in
``common/resources/ranking/model.json``; the rules outside the fit (off-role cap, avoid
weight) are kept as they are.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from common.analysis.features import FITTED
from eval.labelled import MODEL_FILE, feature_matrix, grouped_folds, load_dev, roc_auc_np
from eval.metrics import forward_share_at_recall

L2 = 10.0


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, offset: np.ndarray | None = None):
    """Weights and bias of an L2-regularised logistic regression (Newton's method)."""
    xb = np.c_[x, np.ones(len(x))]
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[-1, -1] = 1e-6
    off = np.zeros(len(x)) if offset is None else offset
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xb @ w + off)))
        grad = xb.T @ (p - y) + reg @ w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def cross_validated(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, reps: int = 20
) -> tuple[np.ndarray, np.ndarray]:
    """ROC-AUC and share forwarded to keep 95 % of good fits, of out-of-fold predictions,
    one per repetition."""
    out, fwd = [], []
    for rep in range(reps):
        pred = np.zeros(len(y))
        for train, test in grouped_folds(groups, 5, rep):
            mean, scale = x[train].mean(0), x[train].std(0) + 1e-9
            w, b = fit_logistic((x[train] - mean) / scale, y[train])
            pred[test] = np.clip((x[test] - mean) / scale, -4, 4) @ w + b
        out.append(roc_auc_np(pred, y))
        fwd.append(forward_share_at_recall(pred.tolist(), y.tolist())[0])
    return np.array(out), np.array(fwd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=None, help="the labelled set (default ../shared/eval/fit_dev)"
    )
    parser.add_argument("--write", action="store_true", help="write the model file")
    args = parser.parse_args()
    dev = load_dev(args.data)
    x, y, groups = feature_matrix(dev)
    aucs, fwd = cross_validated(x, y, groups)
    print(
        f"{len(y)} postings, {int(y.sum())} fits; cross-validated ROC-AUC {aucs.mean():.3f} "
        f"(sd {aucs.std():.3f}, 5 folds x {len(aucs)}), forwarded to keep 95 % of good fits "
        f"{fwd.mean():.1%}"
    )
    mean, scale = x.mean(0), x.std(0) + 1e-9
    w, b = fit_logistic((x - mean) / scale, y)
    for name, weight in zip(FITTED, w, strict=True):
        print(f"  {name:<13} {weight:+.3f}")
    print(f"  {'bias':<13} {b:+.3f}")
    if args.write:
        doc = json.loads(MODEL_FILE.read_text()) if MODEL_FILE.is_file() else {}
        doc.update(
            {
                "features": list(FITTED),
                "mean": [round(float(v), 6) for v in mean],
                "scale": [round(float(v), 6) for v in scale],
                "weights": [round(float(v), 6) for v in w],
                "bias": round(b, 6),
                "fit": {
                    "postings": len(y),
                    "l2": L2,
                    "cv_auc": round(float(aucs.mean()), 4),
                    "cv_forward_95": round(float(fwd.mean()), 4),
                },
            }
        )
        MODEL_FILE.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"written: {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
