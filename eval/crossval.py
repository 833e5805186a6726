"""How well /ask's scope decision carries to queries it was not fitted on, on the dev split alone.

    python eval/crossval.py

The scope model and its threshold are fitted as ``eval/calibrate.py`` fits them, on part of the
dev split, and judged on the rest:

- **5-fold**: random folds (four seeds), the mean of hit@1 plus out-of-scope rejection over the
  held-out folds;
- **leave one batch out**: each writer's batch in turn is held out, the model fitted on the
  others: how the decision carries to a writer it has never seen (the members whose queries the
  bot is judged on are such writers). The mean over batches.

hit@1 here is "answered and BM25's or the n-grams' first hit expected" (the search's own first hit,
comparisons aside), so it is close to, not the same as, ``eval/evaluate.py``'s. Only the dev split
is read; the test split stays untouched.
"""

from __future__ import annotations

import numpy as np

from eval.calibrate import covered_threshold, dev_split, fit, predict

SEEDS = 4
FOLDS = 5


def judged(ps: np.ndarray, right: np.ndarray, scope: np.ndarray, train: np.ndarray) -> tuple[float, float]:
    """hit@1 and rejection on ``~train`` with the threshold chosen on ``train``."""
    threshold = covered_threshold(ps[train], right[train], scope[train])
    test = ~train
    answered = ps[test] >= threshold
    hit = (answered & right[test]).sum() / max(scope[test].sum(), 1)
    rejected = (~answered & ~scope[test]).sum() / max((~scope[test]).sum(), 1)
    return float(hit), float(rejected)


def main() -> int:
    dev = dev_split()
    x, r, s, b = dev.x, dev.right, dev.scope, dev.batch

    def fitted_on(train: np.ndarray) -> np.ndarray:
        return predict(x, fit(x[train], s[train].astype(float)))

    folds = []
    for seed in range(SEEDS):
        fold = np.random.default_rng(seed).integers(0, FOLDS, len(x))
        for k in range(FOLDS):
            train = fold != k
            folds.append(judged(fitted_on(train), r, s, train))
    batches = []
    for held in sorted(set(b)):
        train = b != held
        if s[~train].any() and (~s[~train]).any():
            batches.append(judged(fitted_on(train), r, s, train))
    print(f"dev: {s.sum()} in scope, {(~s).sum()} out, {len(set(b))} batches")
    for name, values in (("5-fold", folds), ("leave one batch out", batches)):
        hit, rejected = np.mean(values, axis=0)
        print(f"{name:20s} hit@1 {hit:.3f}  rejection {rejected:.3f}  sum {hit + rejected:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
