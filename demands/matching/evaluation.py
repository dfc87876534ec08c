"""Offline evaluation of the matching engine on the hand-labelled set ``evalset.json`` (no Django, no database).

Public API::

    load_evalset(path=EVALSET_PATH) -> EvalSet
    precision_at(k, ranked, relevant) -> float
    recall_at(k, ranked, relevant) -> float
    evaluate(ranker, evalset=None) -> dict        # mean P@5, R@10, MRR overall and per demand language (zh/en)
    engine_ranker(evalset, *, kinds=True, region=True, **index_options) -> Ranker
    keyword_ranker(evalset) -> Ranker             # what a naive ``icontains`` search does
    report(evalset=None) -> dict                  # engine, engine text-only, keyword baseline

A ranker maps a :class:`EvalDemand` to resource ids, best first. Three are compared:

* ``engine`` — :class:`MatchIndex` with the demand category's usual resource kinds and the demand's region;
* ``text_only`` — the same index queried with the text alone (pure BM25: what the kind/region bonus adds);
* ``keyword`` — the demand text split on whitespace and Chinese/ASCII punctuation into keywords; each resource
  scores the number of distinct keywords found in its text as case-insensitive substrings; ties by id; resources
  scoring 0 are not returned.

Measured on the final defaults (50 demands: 29 zh, 21 en; 91 resources: 54 zh, 37 en; 95 relevant pairs, 30 of
them across languages; ``python -m demands.matching.evaluation``):

================================  =====  =====  =====  ==========  ==========
ranker                            P@5    R@10   MRR    zh P@5/R@10 en P@5/R@10
================================  =====  =====  =====  ==========  ==========
engine                            0.300  0.901  0.910  .317/.901   .276/.901
text_only (BM25 alone)            0.272  0.883  0.858  .290/.897   .248/.865
keyword (naive icontains)         0.068  0.285  0.309  .021/.086   .133/.559
engine, jieba.lcut (not search)   0.276  0.863  0.895  .290/.844   .257/.889
engine, no synonyms               0.228  0.768  0.749  .248/.752   .200/.790
engine, Chinese synonyms only     0.228  0.738  0.756  .248/.700   .200/.790
================================  =====  =====  =====  ==========  ==========

Demands have 1.9 relevant resources on average, so a perfect ranker's P@5 is 0.38, not 1. The keyword baseline
finds almost nothing for Chinese demands (a Chinese sentence has no spaces: its "keywords" are whole clauses) and
its English recall comes from short words ("we", "a") that occur in most texts. Caveat: the synonym table and the
evaluation set were written by the same person, so the cross-language gain is an optimistic estimate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from .engine import Doc, MatchIndex, Query

__all__ = ["EVALSET_PATH", "EvalDemand", "EvalResource", "EvalSet", "Ranker", "engine_ranker", "evaluate",
           "keyword_ranker", "load_evalset", "precision_at", "recall_at", "report"]

EVALSET_PATH = Path(__file__).with_name("evalset.json")


@dataclass(frozen=True)
class EvalResource:
    id: int
    lang: str
    kind: str
    region: tuple[int, ...]   # path from the root
    title: str
    description: str

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"


@dataclass(frozen=True)
class EvalDemand:
    id: int
    lang: str
    category: str
    region: tuple[int, ...]
    title: str
    description: str
    relevant: frozenset[int] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"


@dataclass(frozen=True)
class EvalSet:
    kinds: dict[str, int]                  # resource kind code -> int used in Doc.kind
    category_kinds: dict[str, list[str]]   # demand category -> resource kinds that usually serve it
    resources: list[EvalResource]
    demands: list[EvalDemand]

    def query_kinds(self, category: str) -> frozenset[int]:
        return frozenset(self.kinds[kind] for kind in self.category_kinds.get(category, ()))


Ranker = Callable[[EvalDemand], Sequence[int]]


def load_evalset(path: Path = EVALSET_PATH) -> EvalSet:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    parents = {r["id"]: r["parent"] for r in raw["regions"]}

    def region_path(region_id: int) -> tuple[int, ...]:
        path: list[int] = []
        node: int | None = region_id
        while node is not None:
            path.append(node)
            node = parents[node]
        return tuple(reversed(path))

    resources = [EvalResource(id=r["id"], lang=r["lang"], kind=r["kind"], region=region_path(r["region"]),
                              title=r["title"], description=r["description"]) for r in raw["resources"]]
    demands = [EvalDemand(id=d["id"], lang=d["lang"], category=d["category"], region=region_path(d["region"]),
                          title=d["title"], description=d["description"], relevant=frozenset(d["relevant"]))
               for d in raw["demands"]]
    return EvalSet(kinds=raw["kinds"], category_kinds=raw["category_kinds"], resources=resources, demands=demands)


def precision_at(k: int, ranked: Sequence[int], relevant: Iterable[int]) -> float:
    """Share of the first ``k`` places taken by relevant ids (empty places count as misses)."""
    wanted = set(relevant)
    return sum(1 for i in ranked[:k] if i in wanted) / k


def recall_at(k: int, ranked: Sequence[int], relevant: Iterable[int]) -> float:
    """Share of the relevant ids found in the first ``k`` places (1.0 when nothing is relevant)."""
    wanted = set(relevant)
    if not wanted:
        return 1.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


def reciprocal_rank(ranked: Sequence[int], relevant: Iterable[int]) -> float:
    wanted = set(relevant)
    return next((1.0 / pos for pos, i in enumerate(ranked, 1) if i in wanted), 0.0)


def _means(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    if not rows:
        return {"p@5": 0.0, "r@10": 0.0, "mrr": 0.0, "n": 0}
    return {"p@5": round(mean(r[0] for r in rows), 4), "r@10": round(mean(r[1] for r in rows), 4),
            "mrr": round(mean(r[2] for r in rows), 4), "n": len(rows)}


def evaluate(ranker: Ranker, evalset: EvalSet | None = None) -> dict[str, Any]:
    """Mean P@5, R@10 and MRR over all demands and per demand language, plus each demand's figures."""
    es = evalset or load_evalset()
    per_demand: dict[int, dict[str, Any]] = {}
    rows: dict[str, list[tuple[float, float, float]]] = {"all": [], "zh": [], "en": []}
    for demand in es.demands:
        ranked = list(ranker(demand))[:10]
        row = (precision_at(5, ranked, demand.relevant), recall_at(10, ranked, demand.relevant),
               reciprocal_rank(ranked, demand.relevant))
        rows["all"].append(row)
        rows.setdefault(demand.lang, []).append(row)
        per_demand[demand.id] = {"ranked": ranked, "relevant": sorted(demand.relevant), "p@5": row[0],
                                 "r@10": row[1]}
    return {**{lang: _means(r) for lang, r in rows.items()}, "per_demand": per_demand}


def engine_docs(es: EvalSet) -> list[Doc]:
    return [Doc(id=r.id, text=r.text, kind=es.kinds[r.kind], region=r.region) for r in es.resources]


def engine_ranker(evalset: EvalSet, *, kinds: bool = True, region: bool = True, index: MatchIndex | None = None,
                  **index_options: Any) -> Ranker:
    """Rank with :class:`MatchIndex` (built over the set's resources unless ``index`` is given)."""
    idx = index if index is not None else MatchIndex(engine_docs(evalset), **index_options)

    def rank(demand: EvalDemand) -> list[int]:
        query = Query(text=demand.text, kinds=evalset.query_kinds(demand.category) if kinds else frozenset(),
                      region=demand.region if region else ())
        return [hit.id for hit in idx.search(query, k=10)]

    return rank


_SPLIT = re.compile(r"[\s\u3000-\u303f\uff00-\uffef!-/:-@\[-`{-~“”‘’、，。；：？！…—·《》（）【】]+")


def keywords(text: str) -> list[str]:
    """The naive split: whitespace and Chinese/ASCII punctuation, lower-cased, distinct, in order."""
    return list(dict.fromkeys(w.lower() for w in _SPLIT.split(text) if w))


def keyword_ranker(evalset: EvalSet) -> Ranker:
    """What ``Resource.objects.filter(text__icontains=keyword)`` for each keyword, counted, would rank."""
    texts = [(r.id, r.text.lower()) for r in evalset.resources]

    def rank(demand: EvalDemand) -> list[int]:
        words = keywords(demand.text)
        scored = [(-sum(1 for w in words if w in text), rid) for rid, text in texts]
        return [rid for score, rid in sorted(scored) if score < 0]

    return rank


def report(evalset: EvalSet | None = None) -> dict[str, dict[str, Any]]:
    """Summary figures (no per-demand detail) of the engine, the engine on text alone and the keyword baseline."""
    es = evalset or load_evalset()
    index = MatchIndex(engine_docs(es))
    rankers = {"engine": engine_ranker(es, index=index), "text_only": engine_ranker(es, kinds=False, region=False,
                                                                                      index=index),
               "keyword": keyword_ranker(es)}
    out = {}
    for name, ranker in rankers.items():
        result = evaluate(ranker, es)
        out[name] = {lang: result[lang] for lang in ("all", "zh", "en")}
    return out


def _table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| ranker | P@5 | R@10 | MRR | zh P@5 | zh R@10 | en P@5 | en R@10 |", "|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['all']['p@5']:.3f} | {r['all']['r@10']:.3f} | {r['all']['mrr']:.3f} | "
                     f"{r['zh']['p@5']:.3f} | {r['zh']['r@10']:.3f} | {r['en']['p@5']:.3f} | {r['en']['r@10']:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_table(report()))
