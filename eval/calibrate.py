"""Fit /ask's decision on the dev split and write studybot/lookup/calibration.json.

    python eval/calibrate.py          # fit, print the dev figures, write the file
    python eval/calibrate.py --dry    # fit and print only

Two logistic regressions (scipy) over the features of a query's best hit
(``SearchIndex.features``):

- ``scope``: is the query about something the notes cover (all dev queries; out-of-scope ones are
  the negatives)? ``covered`` is the probability that maximises dev hit@1 plus out-of-scope
  rejection, averaged over the thresholds within ``SMOOTH`` of it;
- ``right``: is the best hit an expected section (in-scope dev queries only)? ``confident`` is the
  lowest probability above which best hits are right at least CONFIDENT_PRECISION of the time:
  below it the answer comes with up to two alternatives;
- ``suggest``: below ``covered``, the lowest scope probability whose did-you-mean suggestions still
  hold an expected section half of the time.

Only the dev split is ever read here.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from eval.evaluate import ROOT, load_queries
from studybot.lookup import load
from studybot.lookup.search import CALIBRATION, FEATURES, SearchIndex

L2 = 0.0001
CONFIDENT_PRECISION = 0.99  # confidently wrong is the worst miss: a member gets no alternative to click
GRID = 0.005  # the scope thresholds tried
SMOOTH = 0.03  # each is judged by the mean over its neighbours this close


@dataclass(frozen=True)
class Dev:
    """The dev split as the decision sees it, a row per query."""

    x: np.ndarray  # the features of its best hit
    right: np.ndarray  # the first hit is an expected section
    scope: np.ndarray  # in scope
    offered: np.ndarray  # an expected section is among the first three, and nothing is unknown
    batch: np.ndarray  # the writer's batch


def dev_split() -> Dev:
    """Every dev query searched once, with today's knowledge and code."""
    index = SearchIndex(load(ROOT / "knowledge"))
    rows, right, scope, offered, batch = [], [], [], [], []
    for item in (i for i in load_queries() if i["split"] == "dev"):
        result = index.search(str(item["q"]))
        expect = set(item.get("expect") or [])
        ranked = [h.section_id for h in result.hits]
        rows.append([result.features.get(f, 0.0) for f in FEATURES])
        right.append(bool(ranked) and ranked[0] in expect)
        scope.append(bool(expect))
        offered.append(bool(expect & set(ranked[:3])) and not result.unknown)
        batch.append(int(item.get("batch", 1)))
    return Dev(np.array(rows), np.array(right), np.array(scope), np.array(offered), np.array(batch))


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    def loss(params: np.ndarray) -> float:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        return float(np.mean(np.logaddexp(0, z) - y * z) + L2 * np.sum(w * w))

    result = minimize(loss, np.zeros(x.shape[1] + 1), method="L-BFGS-B")
    return result.x[:-1], float(result.x[-1])


def predict(x: np.ndarray, model: tuple[np.ndarray, float]) -> np.ndarray:
    w, b = model
    return 1 / (1 + np.exp(-(x @ w + b)))


def covered_threshold(ps: np.ndarray, right: np.ndarray, scope: np.ndarray) -> float:
    """The scope threshold that serves both kinds of member best: hit@1 plus out-of-scope rejection
    (a covered question answered right and an uncovered one told so count the same), averaged over
    the thresholds within SMOOTH of it: the curve is a plateau with spikes of a query or two, and a
    spike moved the threshold by 0.05 when a batch joined."""
    grid = np.arange(0.0, 1.0 + GRID / 2, GRID)
    values = np.array(
        [(((ps >= t) & right).sum() / scope.sum() + ((ps < t) & ~scope).sum() / (~scope).sum()) for t in grid]
    )
    k = round(SMOOTH / GRID)
    smoothed = np.array([values[max(0, i - k) : i + k + 1].mean() for i in range(len(grid))])
    return float(round(grid[int(np.argmax(smoothed))], 4))


def as_json(model: tuple[np.ndarray, float]) -> dict:
    w, b = model
    return {"weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)}, "bias": round(b, 4)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry", action="store_true")
    args = parser.parse_args()
    dev = dev_split()
    x, r, s, offered = dev.x, dev.right, dev.scope, dev.offered
    scope_model = fit(x, s.astype(float))
    right_model = fit(x[s], r[s].astype(float))
    ps, pr = predict(x, scope_model), predict(x, right_model)
    covered = covered_threshold(ps, r, s)
    answered = ps >= covered
    confident = 1.0
    for t in sorted(set(np.round(pr[answered & s], 4))):
        above = answered & s & (pr >= t)
        if (above & r).sum() / max(above.sum(), 1) >= CONFIDENT_PRECISION:
            confident = float(t)
            break
    suggest = covered
    for t in sorted(set(np.round(ps[~answered], 4)), reverse=True):
        band = (ps >= t) & ~answered
        if (band & offered).sum() / max(band.sum(), 1) < 0.5:
            break
        suggest = float(t)
    n_in, n_out = s.sum(), (~s).sum()
    alternatives = answered & s & (pr < confident)
    print(f"thresholds: covered {covered:.3f}, confident {confident:.3f}, suggest {suggest:.3f}")
    print(
        f"dev (fitted on it, not a result): hit@1 {(answered & r).sum() / n_in:.1%}, "
        f"answered wrong {(answered & s & ~r).sum() / n_in:.1%} "
        f"(of which with alternatives {(alternatives & ~r).sum() / n_in:.1%}), "
        f"rejection {(~answered & ~s).sum() / n_out:.1%}, in {n_in}, out {n_out}"
    )
    if not args.dry:
        data = {
            "scope": as_json(scope_model),
            "right": as_json(right_model),
            "covered": round(covered, 4),
            "confident": round(confident, 4),
            "suggest": round(min(suggest, covered), 4),
            "fitted_on": "eval/queries.yaml dev split",
        }
        CALIBRATION.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
