"""Matching of demands and resources (pure Python: no Django imports here or in the submodules).

* :mod:`demands.matching.text` — tokenizer (jieba for Chinese, a tiny stemmer for English, bilingual synonyms);
* :mod:`demands.matching.engine` — :class:`MatchIndex`, an in-memory BM25 index with kind/region bonuses,
  incremental upsert/remove and availability filters;
* :mod:`demands.matching.evaluation` — metrics, a keyword baseline and the labelled set ``evalset.json``.
"""

from .engine import Doc, Hit, MatchIndex, Query
from .text import tokens, warm_up

__all__ = ["Doc", "Hit", "MatchIndex", "Query", "tokens", "warm_up"]
