"""An in-memory BM25 index that recommends resources for a demand (or demands for a resource). Pure Python + numpy
+ scipy; no Django. The caller maps its rows to :class:`Doc` / :class:`Query` (kinds and regions as small ints).

Public API::

    Doc(id, text, kind=0, region=(), available_from=None, available_until=None, capacity=None)
    Query(text, kinds=frozenset(), region=(), on=None, exclude=frozenset())
    Hit(id, score, text_score, text_relevance, matched_terms, kind_match, shared_regions, region_proximity)

    index = MatchIndex(docs=(), *, k1=1.2, b=0.75, kind_bonus=KIND_BONUS, region_bonus=REGION_BONUS,
                       kind_only_factor=KIND_ONLY_FACTOR, pending_limit=1024, analyzer=tokens_with_surface)
    index.upsert(doc)            # add, or replace the doc with the same id; no rebuild
    index.remove(doc_id)         # withdraw (tombstone); no rebuild; unknown ids are ignored
    index.search(query, k=10) -> list[Hit]
    index.compact()              # full rebuild from the live rows: drops tombstones and unused terms
    len(index), doc_id in index, index.stats()

Ranking
-------
Text relevance is Okapi BM25 (``k1``, ``b``; idf = ln(1 + (N - df + .5) / (df + .5)) over the live documents, so
adding or withdrawing documents changes idf at once). Raw term frequencies are stored and the length
normalisation is applied at query time to the few posting entries touched, so the average document length is
always current too — an incrementally maintained index ranks exactly like a fresh one built from the same docs.

A candidate must share a term with the query (``text_score > 0``) or be of one of ``query.kinds``. Then::

    text_relevance = text_score / best text_score among the candidates         (0..1)
    bonus          = kind_bonus * kind_match + region_bonus * shared_regions / len(query.region)
    score          = text_relevance + bonus               if text_score > 0
                   = kind_only_factor * bonus             otherwise (same kind, no shared word)

``shared_regions`` counts the leading levels (province, city, district, street) that the doc's region path shares
with the query's. The defaults — kind 0.3, region 0.3, kind-only factor 0.5 — sit on the plateau of a grid search
on the labelled evaluation set (``demands/matching/evalset.json``, figures in ``demands.matching.evaluation``):
P@5 0.300 for kind 0.3–0.7 with region 0.3, against 0.272 with no bonus; the factor hardly matters. The reasoning:
a strong text match is worth about 1.0, so a 0.3 + 0.3 bonus lets a resource of the right kind in the demand's
street overtake one that shares only common words, but not one that matches the demand's specific words. A
kind-only hit scores at most 0.5 × 0.6 = 0.3, so it ranks below every text match with a relevance above 0.3 and
mostly fills the list when few resources share words with the demand — though it does outrank weak text matches
on a very common word alone. Ties are broken by ascending id, so results are deterministic.

Before the bonuses are computed, text candidates whose relevance plus the largest possible bonus stays below the
k-th best relevance are dropped, and kind-only candidates are only gathered when they could make the list; this is
exact (it cannot change the result) and keeps a search at about 1 ms for 100,000 docs.

Excluded from results: withdrawn docs, docs with ``capacity == 0``, docs not available on ``query.on`` (when
given: ``available_from <= on <= available_until``, None = open), and ids in ``query.exclude``.

Storage and updates
-------------------
Term frequencies live in a scipy CSR matrix (row access, for df bookkeeping on removal) and its CSC twin (column
slices for the query terms); per-doc attributes (id, kind, region path padded with -1, availability, capacity,
length, alive flag) are numpy arrays, so ranking is vectorised. ``upsert`` appends the doc to a small pending block
(plain posting lists) that is merged into the matrices (sparse vstack, no re-tokenising) once it holds
``pending_limit`` rows; replacing a doc tombstones its old row. df counts and the vocabulary grow in place.
Tombstoned rows keep their memory until :meth:`compact` (call it e.g. nightly, or when ``stats()["dead"]`` grows
large); compaction is never triggered implicitly. At 100,000 docs an upsert costs ~0.15 ms (most of it tokenising),
the upsert that triggers a merge ~50 ms, a removal ~5 µs and ``compact()`` under a second (bench/matching.py).

The index pickles (the lock is recreated; the analyzer must be a module-level function): at 100,000 docs ~43 MB,
loaded in ~0.2 s, against ~10 s to tokenise the docs again — a way to start workers warm.

Threads
-------
Every public method takes an internal ``threading.RLock``, so searches and updates from several threads of one
process are safe (searches are serialised with each other; each one takes ~1 ms). The index is per process: each
web worker keeps its own and applies the same updates.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .text import tokens_with_surface

__all__ = ["KIND_BONUS", "KIND_ONLY_FACTOR", "REGION_BONUS", "Doc", "Hit", "MatchIndex", "Query"]

KIND_BONUS = 0.3
REGION_BONUS = 0.3
KIND_ONLY_FACTOR = 0.5

_OPEN_FROM = np.iinfo(np.int64).min
_OPEN_UNTIL = np.iinfo(np.int64).max

Analyzer = Callable[[str], list[tuple[str, str]]]


def _csr32(m: sp.csr_matrix) -> sp.csr_matrix:
    """The same matrix with float32 data, int32 column indices and int64 row pointers (what the index stores)."""
    return sp.csr_matrix((m.data.astype(np.float32, copy=False), m.indices.astype(np.int32, copy=False),
                          m.indptr.astype(np.int64, copy=False)), shape=m.shape)


@dataclass(frozen=True)
class Doc:
    """A document to index (a resource, or a demand when matching the other way round)."""

    id: int
    text: str                             # title + description (+ terms), Chinese and/or English
    kind: int = 0                         # small int code of the resource kind (the caller maps kinds to ints)
    region: tuple[int, ...] = ()          # region ids from the root down: province, city, district, street
    available_from: int | None = None     # date.toordinal(); None = open
    available_until: int | None = None
    capacity: int | None = None           # None = not limited / unknown; 0 = exhausted (never returned)


@dataclass(frozen=True)
class Query:
    text: str
    kinds: frozenset[int] = frozenset()   # kinds that usually serve the demand's category: a bonus, not a filter
    region: tuple[int, ...] = ()
    on: int | None = None                 # date ordinal the demand needs it; docs unavailable then are excluded
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Hit:
    id: int
    score: float                          # what the list is ordered by (see the module docstring)
    text_score: float                     # raw BM25
    text_relevance: float                 # text_score / best text_score of this search (0..1)
    matched_terms: tuple[str, ...]        # query words found in the doc, as written in the query, most weight first
    kind_match: bool
    shared_regions: int                   # leading region levels shared with the query
    region_proximity: float               # shared_regions / len(query.region), 0 without a query region


class MatchIndex:
    """BM25 index with kind/region bonuses, incremental upsert/remove and availability filters."""

    def __init__(self, docs: Iterable[Doc] = (), *, k1: float = 1.2, b: float = 0.75,
                 kind_bonus: float = KIND_BONUS, region_bonus: float = REGION_BONUS,
                 kind_only_factor: float = KIND_ONLY_FACTOR, pending_limit: int = 1024,
                 analyzer: Analyzer = tokens_with_surface) -> None:
        self.k1, self.b = k1, b
        self.kind_bonus, self.region_bonus, self.kind_only_factor = kind_bonus, region_bonus, kind_only_factor
        self.pending_limit = max(1, pending_limit)
        self._analyze = analyzer
        self._lock = threading.RLock()
        latest: dict[int, Doc] = {}
        for doc in docs:
            latest.pop(doc.id, None)  # a repeated id: the last one wins, in its own position
            latest[doc.id] = doc
        self._build(list(latest.values()))

    # -- building -------------------------------------------------------------------------------------------------

    def _terms_of(self, doc: Doc) -> list[str]:
        return [term for term, _ in self._analyze(doc.text)]

    def _build(self, docs: list[Doc]) -> None:
        """Initialise every structure from ``docs`` (tokenised here)."""
        vocab: dict[str, int] = {}
        cols: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for i, doc in enumerate(docs):
            terms = self._terms_of(doc)
            lengths[i] = len(terms)
            cols.extend([vocab.setdefault(term, len(vocab)) for term in terms])
        rows = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
        # COO → CSR sums the repeats of a term in a doc into its term frequency
        csr = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, np.asarray(cols, dtype=np.int32))),
                            shape=(len(docs), len(vocab)))
        csr.sum_duplicates()
        self._init_from(vocab, _csr32(csr), docs)

    def _init_from(self, vocab: dict[str, int], csr: sp.csr_matrix, docs: list[Doc]) -> None:
        """Install ``csr`` (one row per doc, columns numbered by ``vocab``) as the main block and the docs' rows."""
        v, n = len(vocab), len(docs)
        self._vocab = vocab
        self._csr = csr
        self._csc = csr.tocsc()
        self._df = np.zeros(max(16, v), dtype=np.int64)
        self._df[:v] = np.bincount(csr.indices, minlength=v)
        self._n_main = n
        self._n = 0
        self._depth_max = max([4, *(len(doc.region) for doc in docs)])
        self._alloc(max(16, n))
        self._pending_post: dict[int, tuple[list[int], list[float]]] = {}   # col -> (rows, tfs)
        self._pending_rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}   # row -> (cols, tfs)
        # vectorised _put_row for all docs
        depth = self._depth_max
        self._ids[:n] = [doc.id for doc in docs]
        self._kind[:n] = [doc.kind for doc in docs]
        self._region[:n] = [(*doc.region, *(-1,) * (depth - len(doc.region))) for doc in docs] if n else -1
        self._from[:n] = [_OPEN_FROM if doc.available_from is None else doc.available_from for doc in docs]
        self._until[:n] = [_OPEN_UNTIL if doc.available_until is None else doc.available_until for doc in docs]
        self._capacity[:n] = [-1 if doc.capacity is None else doc.capacity for doc in docs]
        self._alive[:n] = True
        self._eligible[:n] = self._capacity[:n] != 0
        self._dl[:n] = np.asarray(csr.sum(axis=1)).ravel() if n else 0
        self._row_of: dict[int, int] = {doc.id: row for row, doc in enumerate(docs)}
        self._dl_sum = float(self._dl[:n].sum())
        self._live = n
        self._n = n

    def _alloc(self, capacity: int) -> None:
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._kind = np.zeros(capacity, dtype=np.int32)
        self._region = np.full((capacity, self._depth_max), -1, dtype=np.int64)
        self._from = np.full(capacity, _OPEN_FROM, dtype=np.int64)
        self._until = np.full(capacity, _OPEN_UNTIL, dtype=np.int64)
        self._capacity = np.full(capacity, -1, dtype=np.int64)
        self._alive = np.zeros(capacity, dtype=bool)
        self._eligible = np.zeros(capacity, dtype=bool)   # alive and capacity != 0
        self._dl = np.zeros(capacity, dtype=np.float64)

    def _grow_rows(self) -> None:
        old = self._ids.shape[0]
        if self._n < old:
            return
        new = old * 2
        for name, fill in (("_ids", 0), ("_kind", 0), ("_from", _OPEN_FROM), ("_until", _OPEN_UNTIL),
                           ("_capacity", -1), ("_alive", False), ("_eligible", False), ("_dl", 0)):
            arr = getattr(self, name)
            grown = np.full(new, fill, dtype=arr.dtype)
            grown[:old] = arr
            setattr(self, name, grown)
        region = np.full((new, self._depth_max), -1, dtype=np.int64)
        region[:old] = self._region
        self._region = region

    def _put_row(self, doc: Doc, length: float) -> int:
        """Append the per-doc attributes of ``doc`` as the next row (its terms are stored by the caller)."""
        self._grow_rows()
        if len(doc.region) > self._depth_max:
            wider = np.full((self._region.shape[0], len(doc.region)), -1, dtype=np.int64)
            wider[:, : self._depth_max] = self._region
            self._region, self._depth_max = wider, len(doc.region)
        row = self._n
        self._ids[row] = doc.id
        self._kind[row] = doc.kind
        self._region[row, : len(doc.region)] = doc.region
        self._from[row] = _OPEN_FROM if doc.available_from is None else doc.available_from
        self._until[row] = _OPEN_UNTIL if doc.available_until is None else doc.available_until
        self._capacity[row] = -1 if doc.capacity is None else doc.capacity
        self._alive[row] = True
        self._eligible[row] = doc.capacity != 0
        self._dl[row] = length
        self._row_of[doc.id] = row
        self._dl_sum += length
        self._live += 1
        self._n += 1
        return row

    # -- updates --------------------------------------------------------------------------------------------------

    def upsert(self, doc: Doc) -> None:
        """Add ``doc``, or replace the doc with the same id (its old row is tombstoned). No rebuild."""
        terms = self._terms_of(doc)  # tokenising needs no lock
        with self._lock:
            old = self._row_of.get(doc.id)
            if old is not None:
                self._kill(old)
            vocab = self._vocab
            raw = np.asarray([vocab.setdefault(term, len(vocab)) for term in terms], dtype=np.int32)
            if len(vocab) > self._df.shape[0]:
                self._df = np.concatenate([self._df, np.zeros(max(len(vocab), self._df.shape[0]), dtype=np.int64)])
            cols, counts = np.unique(raw, return_counts=True)
            tfs = counts.astype(np.float32)
            self._df[cols] += 1
            row = self._put_row(doc, float(tfs.sum()))
            self._pending_rows[row] = (cols, tfs)
            for col, tf in zip(cols.tolist(), tfs.tolist(), strict=True):
                posting = self._pending_post.setdefault(col, ([], []))
                posting[0].append(row)
                posting[1].append(tf)
            if len(self._pending_rows) >= self.pending_limit:
                self._merge()

    def remove(self, doc_id: int) -> None:
        """Withdraw the doc (tombstone); unknown ids are ignored. No rebuild."""
        with self._lock:
            row = self._row_of.get(doc_id)
            if row is not None:
                self._kill(row)

    def _kill(self, row: int) -> None:
        if row < self._n_main:
            cols = self._csr.indices[self._csr.indptr[row]: self._csr.indptr[row + 1]]
        else:
            cols = self._pending_rows[row][0]
        self._df[cols] -= 1
        self._alive[row] = False
        self._eligible[row] = False
        self._dl_sum -= self._dl[row]
        self._live -= 1
        del self._row_of[int(self._ids[row])]

    def _merge(self) -> None:
        """Move the pending block into the matrices (sparse vstack)."""
        if not self._pending_rows:
            return
        v = len(self._vocab)
        rows = range(self._n_main, self._n)
        parts = [self._pending_rows.get(r, (np.empty(0, np.int32), np.empty(0, np.float32))) for r in rows]
        indptr = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(c) for c, _ in parts], out=indptr[1:])
        block = sp.csr_matrix((np.concatenate([t for _, t in parts]).astype(np.float32),
                               np.concatenate([c for c, _ in parts]).astype(np.int32), indptr),
                              shape=(len(parts), v))
        main = sp.csr_matrix((self._csr.data, self._csr.indices, self._csr.indptr), shape=(self._n_main, v))
        self._csr = sp.vstack([main, block], format="csr")
        self._csc = self._csr.tocsc()
        self._n_main = self._n
        self._pending_rows = {}
        self._pending_post = {}

    def compact(self) -> None:
        """Full rebuild from the live docs' stored term counts (no re-tokenising): drops tombstones and unused
        terms and renumbers rows in their current order."""
        with self._lock:
            self._merge()
            live = np.flatnonzero(self._alive[: self._n])
            used = np.flatnonzero(self._df[: len(self._vocab)] > 0)
            terms = sorted(self._vocab, key=self._vocab.__getitem__)
            vocab = {terms[c]: i for i, c in enumerate(used.tolist())}
            sub = self._csr[live][:, used].tocsr()
            sub.sort_indices()
            csr = _csr32(sub)
            docs = [Doc(id=int(self._ids[r]), text="", kind=int(self._kind[r]),
                        region=tuple(int(x) for x in self._region[r] if x >= 0),
                        available_from=None if self._from[r] == _OPEN_FROM else int(self._from[r]),
                        available_until=None if self._until[r] == _OPEN_UNTIL else int(self._until[r]),
                        capacity=None if self._capacity[r] < 0 else int(self._capacity[r]))
                    for r in live.tolist()]
            self._init_from(vocab, csr, docs)

    # -- reading --------------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._live

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row_of

    def stats(self) -> dict[str, int]:
        """Sizes, for monitoring: rows (incl. tombstones), live, dead, pending, terms, postings, approx. bytes."""
        with self._lock:
            matrices = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (self._csr, self._csc))
            arrays = sum(getattr(self, a).nbytes for a in ("_ids", "_kind", "_region", "_from", "_until",
                                                           "_capacity", "_alive", "_dl", "_df"))
            return {"rows": self._n, "live": self._live, "dead": self._n - self._live,
                    "pending": len(self._pending_rows), "terms": len(self._vocab), "postings": int(self._csr.nnz),
                    "bytes_arrays": int(matrices + arrays)}

    def _postings(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and term frequencies of one term, main block and pending block together."""
        if col < self._csc.shape[1]:
            lo, hi = self._csc.indptr[col], self._csc.indptr[col + 1]
            rows, tfs = self._csc.indices[lo:hi], self._csc.data[lo:hi]
        else:
            rows, tfs = np.empty(0, np.int32), np.empty(0, np.float32)
        pending = self._pending_post.get(col)
        if pending:
            rows = np.concatenate([rows, np.asarray(pending[0], dtype=np.int32)])
            tfs = np.concatenate([tfs, np.asarray(pending[1], dtype=np.float32)])
        return rows, tfs

    def search(self, query: Query, k: int = 10) -> list[Hit]:
        """The top ``k`` docs for ``query`` (see the module docstring for the ranking)."""
        pairs = self._analyze(query.text)  # tokenising needs no lock
        with self._lock:
            return self._search(query, k, pairs)

    def _search(self, query: Query, k: int, pairs: list[tuple[str, str]]) -> list[Hit]:
        n = self._n
        if k <= 0 or self._live == 0:
            return []
        # query terms known to the index, each once, with the first way it was written
        surfaces: dict[int, str] = {}
        for term, surface in pairs:
            col = self._vocab.get(term)
            if col is not None and self._df[col] > 0 and col not in surfaces:
                surfaces[col] = surface
        qcols = list(surfaces)

        # BM25 over the posting entries of the query terms only
        live, avgdl, k1, b = self._live, self._dl_sum / self._live, self.k1, self.b
        row_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for col in qcols:
            df = float(self._df[col])
            idf = math.log(1.0 + (live - df + 0.5) / (df + 0.5))
            rows, tfs = self._postings(col)
            norm = self._dl[rows] * (k1 * b / avgdl) + k1 * (1.0 - b)
            row_parts.append(rows)
            weight_parts.append((idf * (k1 + 1.0)) * tfs / (tfs + norm))
        all_rows = np.concatenate(row_parts) if row_parts else np.empty(0, np.int32)
        text = np.bincount(all_rows, weights=np.concatenate(weight_parts), minlength=n) if row_parts else None

        eligible = self._eligible[:n]
        if query.on is not None:
            eligible = eligible & (self._from[:n] <= query.on) & (query.on <= self._until[:n])
        if query.exclude:
            eligible = eligible.copy()
            for doc_id in query.exclude:
                row = self._row_of.get(doc_id)
                if row is not None:
                    eligible[row] = False

        kinds = sorted(query.kinds)
        depth = len(query.region)
        max_bonus = (self.kind_bonus if kinds else 0.0) + (self.region_bonus if depth else 0.0)
        # text candidates; a doc whose relevance + the largest bonus stays below the k-th best relevance cannot
        # reach the top k, so it is dropped before the bonuses are computed (exact, ties kept)
        idx: np.ndarray = np.flatnonzero((text > 0) & eligible) if text is not None else np.empty(0, np.int64)
        t_score: np.ndarray = text[idx] if text is not None else np.empty(0)
        best = float(t_score.max()) if idx.shape[0] else 0.0
        relevance = t_score / best if best > 0 else t_score
        floor = -math.inf
        if idx.shape[0] >= k:
            floor = float(np.partition(relevance, idx.shape[0] - k)[idx.shape[0] - k])
            near = relevance + max_bonus >= floor
            idx, t_score, relevance = idx[near], t_score[near], relevance[near]
        # kind-only candidates, when they could make the list
        if kinds and self.kind_only_factor * max_bonus >= floor:
            same_kind = self._kind_mask(self._kind[:n], kinds) & eligible
            if text is not None:
                same_kind &= text == 0
            extra = np.flatnonzero(same_kind)
            idx = np.concatenate([idx, extra])
            t_score = np.concatenate([t_score, np.zeros(extra.shape[0])])
            relevance = np.concatenate([relevance, np.zeros(extra.shape[0])])
        if idx.shape[0] == 0:
            return []

        kind_match = self._kind_mask(self._kind[idx], kinds)
        shared = np.zeros(idx.shape[0], dtype=np.int64)
        if depth:
            levels = min(depth, self._depth_max)
            paths = self._region[idx, :levels]
            prefix = np.ones(idx.shape[0], dtype=bool)
            for level in range(levels):
                prefix &= paths[:, level] == query.region[level]
                shared += prefix
        proximity = shared / depth if depth else np.zeros(idx.shape[0])
        bonus = self.kind_bonus * kind_match + self.region_bonus * proximity
        score = np.where(t_score > 0, relevance + bonus, self.kind_only_factor * bonus)

        # top k, ties by ascending id: keep everything scoring at least the k-th best, then sort exactly
        if idx.shape[0] > k:
            kth = np.partition(score, idx.shape[0] - k)[idx.shape[0] - k]
            keep = np.flatnonzero(score >= kth)
        else:
            keep = np.arange(idx.shape[0])
        order = keep[np.lexsort((self._ids[idx[keep]], -score[keep]))][:k]
        top_rows = idx[order]

        # matched terms of the hits, heaviest first
        matched: dict[int, list[tuple[float, int]]] = {int(r): [] for r in top_rows.tolist()}
        if row_parts:
            mark = np.zeros(n, dtype=bool)
            mark[top_rows] = True
            for t, (rows, weights) in enumerate(zip(row_parts, weight_parts, strict=True)):
                sel = np.flatnonzero(mark[rows])
                for r, w in zip(rows[sel].tolist(), weights[sel].tolist(), strict=True):
                    matched[r].append((w, t))
        hits = []
        for pos, row in zip(order.tolist(), top_rows.tolist(), strict=True):
            terms = sorted(matched[row], key=lambda wt: (-wt[0], wt[1]))
            hits.append(Hit(id=int(self._ids[row]), score=float(score[pos]), text_score=float(t_score[pos]),
                            text_relevance=float(relevance[pos]),
                            matched_terms=tuple(dict.fromkeys(surfaces[qcols[t]] for _, t in terms)),
                            kind_match=bool(kind_match[pos]), shared_regions=int(shared[pos]),
                            region_proximity=float(proximity[pos])))
        return hits

    @staticmethod
    def _kind_mask(values: np.ndarray, kinds: list[int]) -> np.ndarray:
        mask = np.zeros(values.shape[0], dtype=bool)
        for kind in kinds:
            mask |= values == kind
        return mask

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()
