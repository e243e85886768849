"""How well SDG suggestions match the SDG tags that the UNDP records carry.

Usage: CCX_DEBUG=true .venv/bin/python bench/sdg_eval.py [--limit 400]
Loads the real library into a scratch database (`ccx setup`), takes the UNDP practices whose source id hashes
to an even number (the dev split; odd ones are held out), and suggests goals from each one's title, tagline,
summary and description, leaving the practice itself out of its neighbours. Prints precision@1, precision@3
and recall@3 of the suggested goals for the wording alone, the neighbours' vote alone, and the blend the
product uses.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=400)
    arguments = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="ccx-sdg-")
    os.environ.setdefault("CCX_DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ccx.practices.models import Practice
    from ccx.search import sdg_suggest

    call_command("migrate", verbosity=0)
    call_command("setup", no_progress=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    tagged = [
        p
        for p in Practice.objects.filter(source_name__startswith="UNDP").prefetch_related("sdg_goals").order_by("pk")
        if p.sdg_goals.exists() and int(hashlib.sha1(p.source_id.encode()).hexdigest(), 16) % 2 == 0  # noqa: S324
    ][: arguments.limit]
    print(f"dev split: {len(tagged)} UNDP practices with SDG tags")
    for label, weight in (("wording only", 1.0), ("neighbours only", 0.0), ("blend (product)", 0.3)):
        sdg_suggest.WORDING_WEIGHT = weight
        started = time.perf_counter()
        p1 = p3 = r3 = 0.0
        for practice in tagged:
            truth = {goal.number for goal in practice.sdg_goals.all()}
            text = "\n".join(x for x in (practice.title, practice.tagline, practice.summary, practice.description) if x)
            suggested = [goal.number for goal in sdg_suggest.suggest_sdgs(text, exclude_practice=practice.pk)]
            p1 += len(set(suggested[:1]) & truth)
            p3 += len(set(suggested[:3]) & truth) / 3
            r3 += len(set(suggested[:3]) & truth) / len(truth)
        n = len(tagged)
        per = (time.perf_counter() - started) / n * 1000
        print(
            f"{label:18} precision@1 {p1 / n:.3f}  precision@3 {p3 / n:.3f}  recall@3 {r3 / n:.3f}  ({per:.0f} ms each)"
        )


if __name__ == "__main__":
    main()
