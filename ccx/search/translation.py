"""The query-translation lexicon of the live index (see :mod:`ccx.search.lexicon`): built at index time, kept
beside the other index data, attached to each process's engine when it loads.

The lexicon is the index's English vocabulary embedded with the search encoder: a pure function of the
indexed texts and the model, so a process that finds no file (a new server) builds it from its own index
and every process finds the same. `ccx reindex` refreshes it after indexing; a process loading the index
embeds only the terms the stored file lacks (none, or the few that practices indexed since brought in).
Nothing is downloaded.
"""

import hashlib
import logging
import threading
import time
from pathlib import Path

import numpy as np
from django.conf import settings

from ccx.search.artefacts import DIM
from ccx.search.engine import Engine
from ccx.search.lexicon import Lexicon

logger = logging.getLogger(__name__)
_lock = threading.Lock()


def lexicon_path(model: str) -> Path:
    digest = hashlib.sha256(model.encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "search" / f"lexicon-{digest}.npz"


def refresh_lexicon(engine: Engine, model: str) -> Lexicon:
    """The lexicon of the engine's current English vocabulary, reusing the stored vectors; the file is
    rewritten when terms were added. Attaches it to the engine and returns it."""
    with _lock:
        started = time.perf_counter()
        terms = engine.translation_vocabulary()
        path = lexicon_path(f"{model}; {engine.translation.key()}")
        stored: Lexicon | None = None
        if path.is_file():
            try:
                stored = Lexicon.load(path)
            except (OSError, ValueError, KeyError) as error:
                logger.warning("search lexicon %s unreadable, rebuilt: %s", path, error)
        known = {term: i for i, term in enumerate(stored.terms)} if stored is not None else {}
        missing = [term for term in terms if term not in known]
        built = Lexicon.build(missing, engine.encoder) if missing and engine.encoder is not None else None
        vectors = np.zeros((len(terms), DIM), dtype=np.float32)
        for row, term in enumerate(terms):
            if term in known and stored is not None:
                vectors[row] = stored.vectors[known[term]]
        if built is not None:
            position = {term: row for row, term in enumerate(terms)}
            vectors[[position[term] for term in built.terms]] = built.vectors
        lexicon = Lexicon(terms, vectors, model)
        if built is not None or stored is None or len(stored) != len(terms):
            lexicon.save(path)
            logger.info(
                "search lexicon: %d English terms, %d embedded now, %.1f s",
                len(terms),
                len(missing),
                time.perf_counter() - started,
            )
        engine.lexicon = lexicon
        return lexicon
