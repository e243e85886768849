"""Suggest SDG goals and targets for a practice's text, with a confidence the author can judge.

Two signals: the goals of the most similar tagged practices in the library (a weighted vote of the 25 nearest
by meaning), and how close the text is to the official wording of each goal and target. Measured against the
SDG tags of the UNDP records (bench/sdg_eval.py, 300 practices of the dev split): the wording alone reaches
precision@1 0.42 and recall@3 0.37, the vote alone 0.83 and 0.66, the blend below 0.82 and 0.67 (it keeps
suggestions sensible for topics the library has no tagged neighbour for).
"""

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Prefetch

from ccx.practices.models import Practice
from ccx.sdg.models import Goal, Target
from ccx.search.index import encoder, live_index, practice_id

NEIGHBOURS = 25
TEMPERATURE = 0.05
WORDING_WEIGHT = 0.3
MAX_GOALS = 5
TARGETS_PER_GOAL = 2
# What is read of a text: its opening says what it is about, and embedding costs CPU in proportion to length
# (20,000 characters: about 0.4 s). The API refuses longer texts; a practice's fields together may be longer.
MAX_TEXT = 20_000


@dataclass(frozen=True)
class TargetSuggestion:
    code: str
    title: str
    confidence: float


@dataclass(frozen=True)
class GoalSuggestion:
    number: int
    title: str
    confidence: float
    targets: tuple[TargetSuggestion, ...]


class _Wording:
    """The goals' and targets' English wording, embedded once per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.goal_numbers: list[int] = []
        self.goal_vectors: npt.NDArray[np.float32] | None = None
        self.targets: list[Target] = []
        self.target_vectors: npt.NDArray[np.float32] | None = None

    def load(self) -> None:
        with self._lock:
            if self.goal_vectors is not None:
                return
            goals = list(Goal.objects.order_by("number"))
            self.targets = list(Target.objects.select_related("goal").order_by("sort_key"))
            model = encoder()
            texts = [f"{g.short_titles.get('en', '')}: {g.titles.get('en', '')}" for g in goals]
            self.goal_numbers = [g.number for g in goals]
            self.goal_vectors = np.asarray(model.encode(texts), dtype=np.float32)
            self.target_vectors = np.asarray(
                model.encode([t.titles.get("en", "") for t in self.targets]), dtype=np.float32
            )


wording = _Wording()


def suggest_sdgs(text: str, exclude_practice: int | None = None) -> list[GoalSuggestion]:
    """Goals (with their closest targets) for `text`, most likely first; empty for an empty text."""
    text = text[:MAX_TEXT]
    if not text.strip():
        return []
    wording.load()
    assert wording.goal_vectors is not None
    assert wording.target_vectors is not None
    vector = np.asarray(encoder().encode([text]), dtype=np.float32)[0]
    wording_scores = 0.5 * (wording.goal_vectors @ vector) + 0.5 * _best_target_per_goal(vector)
    wording_scores -= wording_scores.mean()
    votes = _neighbour_votes(text, vector, exclude_practice)
    blended = (1 - WORDING_WEIGHT) * votes + WORDING_WEIGHT * wording_scores
    order = np.argsort(-blended)[:MAX_GOALS]
    goals = {g.number: g for g in Goal.objects.filter(number__in=[wording.goal_numbers[i] for i in order])}
    target_sims = wording.target_vectors @ vector
    suggestions = []
    for index in order:
        number = wording.goal_numbers[index]
        # On the scale of the vote (the share of similar practices tagged with the goal), so that the
        # confidence shown falls in the same order as the suggestions.
        confidence = float(np.clip(blended[index] / max(1 - WORDING_WEIGHT, 0.3), 0.0, 1.0))
        if confidence < 0.05:
            continue
        in_goal = [i for i, t in enumerate(wording.targets) if t.goal.number == number]
        best = sorted(in_goal, key=lambda i: -target_sims[i])[:TARGETS_PER_GOAL]
        targets = tuple(
            TargetSuggestion(
                wording.targets[i].code,
                wording.targets[i].title().text,
                round(float(np.clip(target_sims[i], 0.0, 1.0)), 2),
            )
            for i in best
        )
        suggestions.append(GoalSuggestion(number, goals[number].short_title().text, round(confidence, 2), targets))
    return suggestions


def _best_target_per_goal(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    assert wording.target_vectors is not None
    sims = wording.target_vectors @ vector
    best = np.full(len(wording.goal_numbers), -1.0, dtype=np.float32)
    position = {number: i for i, number in enumerate(wording.goal_numbers)}
    for target, similarity in zip(wording.targets, sims, strict=True):
        i = position[target.goal.number]
        best[i] = max(best[i], similarity)
    return best


def _neighbour_votes(text: str, vector: npt.NDArray[np.float32], exclude: int | None) -> npt.NDArray[np.float32]:
    """Share of the nearest tagged practices' weight that each goal receives (sums to 1 when any are tagged)."""
    votes = np.zeros(len(wording.goal_numbers), dtype=np.float32)
    engine = live_index.current()
    if engine.size == 0:
        return votes
    hits = [h for h in engine.search(text, k=NEIGHBOURS + 1, mode="dense", qvec=vector) if practice_id(h.id) != exclude]
    hits = hits[:NEIGHBOURS]
    tagged = Practice.objects.filter(pk__in=[practice_id(h.id) for h in hits]).prefetch_related(
        Prefetch("sdg_goals", queryset=Goal.objects.only("number"))
    )
    goals_of = {p.pk: [g.number for g in p.sdg_goals.all()] for p in tagged}
    position = {number: i for i, number in enumerate(wording.goal_numbers)}
    scores = np.array([h.dense for h in hits], dtype=np.float32)
    if not len(scores):
        return votes
    weights = np.exp((scores - scores.max()) / TEMPERATURE)
    total = 0.0
    for hit, weight in zip(hits, weights, strict=True):
        numbers = goals_of.get(practice_id(hit.id), [])
        if not numbers:
            continue
        total += float(weight)
        for number in numbers:
            votes[position[number]] += weight
    return votes / total if total else votes
