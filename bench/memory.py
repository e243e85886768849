"""Memory of one application server with 1, 2 and 4 workers (gunicorn --preload), and its first searches.

    .venv/bin/python bench/memory.py --scratch DIR [--workers 1 2 4] [--port 8186]

Uses a scratch site made by bench/pages.py (--scratch DIR: the real data already loaded). For each worker
count it starts `gunicorn ccx.wsgi --preload -w N`, times the first search of each worker right after the
start (no visitor should wait for loading), sends 200 searches so that every worker has searched, then
prints the resident memory of the whole process tree two ways: RSS summed (counts shared pages once per
process, so it overstates) and PSS summed (each shared page split between the processes that share it:
what the machine really spends). The encoder's weights and the search index are loaded once, before the
fork, and shared.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import fetch, gunicorn, production_env, wait_until_up

QUERIES = ["music school", "gestion des déchets", "文化遗产", "street food", "river", "craft village", "design"]


def tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            pending += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            continue
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and its descendants, in MB."""
    rss = pss = 0
    for process in tree(pid):
        try:
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--port", type=int, default=8186)
    options = parser.parse_args()
    env = production_env(options.scratch)
    print(f"{'workers':>7} {'RSS sum MB':>11} {'PSS sum MB':>11} {'first searches (ms)':>30}")
    for workers in options.workers:
        server = gunicorn(env, options.port, workers=workers, extra=["--preload"])
        try:
            wait_until_up(server.base + "/robots.txt", seconds=180)
            first = []
            for n in range(workers * 2):
                started = time.perf_counter()
                fetch(f"{server.base}/api/v1/search?q={quote(QUERIES[n % len(QUERIES)])}+{n}")
                first.append((time.perf_counter() - started) * 1000)
            for n in range(200):
                fetch(f"{server.base}/api/v1/search?q={quote(QUERIES[n % len(QUERIES)])}")
            rss, pss = memory_mb(server.process.pid)
            shown = ", ".join(f"{t:.0f}" for t in first)
            print(f"{workers:>7} {rss:>11.0f} {pss:>11.0f} {shown:>30}", flush=True)
        finally:
            server.stop()
    print(f"(pid {os.getpid()}; site {options.scratch})")


if __name__ == "__main__":
    main()
