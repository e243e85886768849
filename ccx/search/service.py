"""One search service for practices: the library page, the API, matching and the benchmark all call it.

Facet filters are applied inside the search (as the set of allowed documents), never after a top-k cut. The
allowed practices may come as a numpy array of ids (the library's facet table, issue 17): they become the
engine's mask of slots through one array lookup, with no Python object per allowed practice.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.core.cache import cache

from ccx.practices.models import Practice
from ccx.search.artefacts import BoolArray, FloatArray, Hit, IntArray
from ccx.search.engine import Engine
from ccx.search.index import MODEL_KEY, doc_id, live_index, practice_id, store_similar
from ccx.search.language import UNDETERMINED
from ccx.search.models import SearchDocument

MAX_RESULTS = 200
HIGHLIGHT_CHARACTERS = 4000  # look for the best passage in the first pages of text, not in a whole report
# A hybrid ranking orders every document; keep only those that answer the query at all: a document that shares
# a word with it (raw BM25 > 0), or whose meaning (mean of the document and best-passage cosines) is nearly as
# close as the closest one's. Cosines depend on the query's length (one word against long passages reaches
# ~0.25, a sentence ~0.5), so the bar is relative to the best match, with an absolute minimum.
DENSE_MARGIN = 0.1
DENSE_MINIMUM = 0.2


@dataclass(frozen=True)
class RankedPractice:
    practice_id: int
    score: float
    lexical: float
    dense: float
    languages: tuple[str, ...] = ()  # the languages the practice is written in, original first


def query_language(query: str) -> str:
    """The language a query is read as: an ISO 639-1 code, or "" when it cannot be told."""
    if not query.strip():
        return ""
    return live_index.current().query_language(query)


def practice_languages(practice_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The detected languages of indexed practices (original first); practices not indexed are left out."""
    engine = live_index.current()
    found = {}
    for pk in practice_ids:
        slot = engine.slot_of.get(doc_id(pk))
        if slot is not None:
            found[pk] = tuple(code for code in engine.languages[slot].split(",") if code)
    return found


AllowedIds = Iterable[int] | npt.NDArray[np.int64] | None


def rank_practices(
    query: str, allowed_ids: AllowedIds = None, k: int = MAX_RESULTS, language: str | None = None
) -> list[RankedPractice]:
    """Published practices for `query`, best first, among `allowed_ids` (all indexed ones when None).
    `language`: the query's language if already known (see query_language)."""
    if not query.strip():
        return []
    engine = live_index.current()
    if engine.size == 0:
        return []
    allowed = None if allowed_ids is None else slot_mask(engine, allowed_ids)
    if language is None or not engine.config.language_rules:
        language = engine.query_language(query) if engine.config.language_rules else UNDETERMINED
    qvec = query_vector(engine, query, language)
    hits = engine.search(query, k=k, allowed=allowed, language=language, qvec=qvec)
    if not hits:
        return []
    bar = max(DENSE_MINIMUM, max(hit.dense for hit in hits) - DENSE_MARGIN)
    return [_ranked(hit) for hit in hits if hit.bm25 > 0 or hit.dense >= bar]


def slot_mask(engine: Engine, practice_ids: Iterable[int] | npt.NDArray[np.int64]) -> BoolArray:
    """The engine's mask of slots (see Engine.slot_ids) that hold these practices."""
    lookup = _slots_by_practice(engine)
    wanted = np.asarray(practice_ids if isinstance(practice_ids, np.ndarray) else list(practice_ids), np.int64)
    wanted = wanted[(wanted >= 0) & (wanted < len(lookup))]
    slots = lookup[wanted]
    mask = np.zeros(len(engine.ids), dtype=bool)
    mask[slots[slots >= 0]] = True
    return mask


_lookup: tuple[list[str | None], int, int, IntArray] | None = None


def _slots_by_practice(engine: Engine) -> IntArray:
    """Slot per practice id (-1: not indexed), made again when the engine's slots change: a compaction or a
    new index gives a new list of slot ids, and within one list a document added grows it and one removed
    lowers the live count, so (list, length, live count) tells every state apart."""
    global _lookup
    ids = engine.slot_ids  # compacts first if due: the mask is made for the slots the search will see
    kept = _lookup
    if kept is not None and kept[0] is ids and kept[1:3] == (len(ids), engine.n_alive):
        return kept[3]
    practices = np.fromiter((-1 if d is None else practice_id(d) for d in ids), dtype=np.int64, count=len(ids))
    lookup: IntArray = np.full(int(practices.max(initial=-1)) + 1, -1, dtype=np.int64)
    live = practices >= 0
    lookup[practices[live]] = np.flatnonzero(live)
    _lookup = (ids, len(ids), engine.n_alive, lookup)
    return lookup


QUERY_VECTORS_KEPT = 4096  # per process (2 KB each); the shared cache keeps them for a day
QUERY_VECTOR_SECONDS = 24 * 3600
_vectors: OrderedDict[str, FloatArray] = OrderedDict()
_memo_lock = threading.Lock()


def query_vector(engine: Engine, query: str, language: str) -> FloatArray:
    """The query's embedding, from this process's memory, the shared cache, or the encoder (in that order).

    Embedding one query costs 20-60 ms of CPU, most of a search: people search the same words again and again
    (and a query's vector never changes for a given model), so each is embedded once per model, not per request.
    """
    key = (
        "qvec:"
        + hashlib.sha256(f"{MODEL_KEY}|{engine.config.dense_content_words}|{language}|{query}".encode()).hexdigest()
    )
    with _memo_lock:
        found = _vectors.get(key)
        if found is not None:
            _vectors.move_to_end(key)
            return found
    raw = cache.get(key)
    if isinstance(raw, bytes) and len(raw) == 4 * 512:
        vector: FloatArray = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    else:
        vector = np.asarray(engine.encode_query(query, language), dtype=np.float32)
        cache.set(key, vector.astype("<f4").tobytes(), QUERY_VECTOR_SECONDS)
    with _memo_lock:
        _vectors[key] = vector
        while len(_vectors) > QUERY_VECTORS_KEPT:
            _vectors.popitem(last=False)
    return vector


def similar_practices(practice: Practice, k: int = 6) -> list[int]:
    """Ids of the practices most like this one, best first, as stored when they were indexed (see
    index.store_similar); more than `k`, so that the caller can drop those its visitor may not see."""
    stored = SearchDocument.objects.filter(practice_id=practice.pk, searchable=True).values_list("similar", flat=True)
    listed = next(iter(stored), None)
    if listed is None:
        return []
    if not listed:  # indexed before similar practices were stored: compute them once now
        store_similar([practice.pk], with_neighbours=False)
        listed = next(iter(stored.all()), None) or []
    return [int(pk) for pk, _score in listed][: max(k * 2, k)]


@dataclass(frozen=True)
class Highlight:
    text: str
    marks: tuple[str, ...]


HIGHLIGHTS_KEPT = 20000  # per process
_highlights: OrderedDict[tuple[object, ...], Highlight] = OrderedDict()


def highlight(practice: Practice, query: str, language: str = "") -> Highlight:
    """The passage of the practice that best answers the query (read in `language`), with the words to mark.
    Kept per process for the practice's version (its last change) and the query: a results page asks for 10-20."""
    key = (practice.pk, practice.updated_at, query, language)
    with _memo_lock:
        kept = _highlights.get(key)
        if kept is not None:
            _highlights.move_to_end(key)
            return kept
    engine = live_index.current()
    text = "\n".join(part for part in (practice.summary, practice.description, practice.results) if part)
    found = engine.snippet(text[:HIGHLIGHT_CHARACTERS] or practice.title, query, language=language)
    made = Highlight(found.text, found.terms)
    with _memo_lock:
        _highlights[key] = made
        while len(_highlights) > HIGHLIGHTS_KEPT:
            _highlights.popitem(last=False)
    return made


def _ranked(hit: Hit) -> RankedPractice:
    languages = tuple(code for code in hit.language.split(",") if code)
    return RankedPractice(practice_id(hit.id), hit.score, hit.lexical, hit.dense, languages)
