"""Can one caller stall the site? The production server (gunicorn, sync workers, DEBUG off, the real data) under
1 MB anonymous posts to /api/v1/match, and what the most expensive requests cost.

    .venv/bin/python bench/abuse.py [--workers 2] [--port 8120] [--scratch DIR] [--pages 40]

Loads the real data (`ccx setup`) into a scratch SQLite database (kept in --scratch between runs), starts
`gunicorn ccx.wsgi --preload -w 2` and measures, in one run:

1. a 1 MB anonymous POST /api/v1/match, 10 times: it must be refused (413, by its declared length, before
   the body is read) in < 100 ms;
2. two pages, first alone, then while 4 clients post 1 MB bodies in a loop: the library (/practices/, from the
   shared page cache as anonymous visitors get it) and a library search never seen before (made anew each
   time); each is reported as a ratio to the same page measured alone in the same run (median, p95, worst);
   the library must answer in < 200 ms (the new search costs about as much alone: its ratio is what counts);
3. the CPU time the server spent on single requests at the limits of what is accepted (match with 5,000
   characters, sdg/suggest with 20,000, a 2 MB form, search with a 200-character query, the library with
   every facet filled, find-solutions with the longest text a URL can carry), read from /proc for the
   server's processes: each must stay under about a second of CPU.

Prints the machine's load (uptime) before and after, since the figures mean little on a busy machine.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import gunicorn, prepare_site, production_env, wait_until_up

PAGE = "/practices/"  # served from the shared page cache to anonymous visitors, as in production
# And a search the server has not seen (a new number each time): no cache has it, the page is made anew.
PAGES = (PAGE, "/practices/?q=night+markets+{n}")
ONE_MEGABYTE = json.dumps({"text": "empty shops in the old town " * 40_000}).encode()  # about 1.1 MB
CHALLENGE = (
    "A third of the shops in our old town centre stand empty since the pandemic. Young designers and craft "
    "makers have no affordable place to show and sell their work, and the streets are quiet after six. "
)
TICKS = os.sysconf("SC_CLK_TCK")


def request(base: str, path: str, body: bytes | None = None) -> tuple[int, float]:
    """One request: its status and wall time in ms. A body starting with "{" is JSON, any other a form."""
    kind = "application/json" if body and body.startswith(b"{") else "application/x-www-form-urlencoded"
    headers = {"Content-Type": kind} if body is not None else {}
    call = urllib.request.Request(base + path, data=body, headers=headers, method="POST" if body else "GET")  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(call, timeout=120) as response:  # noqa: S310 - our own local server
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:  # the server closed the connection while the body was still being sent
        status = 0
    return status, (time.perf_counter() - started) * 1000


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its children (the gunicorn master and its workers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            pending += [int(child) for child in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            continue
    return total / TICKS


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "worst": ordered[-1],
    }


def show(label: str, stats: dict[str, float]) -> str:
    return f"{label}: median {stats['median']:.1f} ms, p95 {stats['p95']:.1f} ms, worst {stats['worst']:.1f} ms"


def uptime() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CCX_BENCH_PORT", "8120")))
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/ccx-bench-abuse"))  # noqa: S108 - a scratch site
    parser.add_argument("--pages", type=int, default=40, help="page requests in each phase")
    args = parser.parse_args()

    print(f"load average before: {uptime()} (1, 5, 15 min; {os.cpu_count()} cores)", flush=True)
    args.scratch.mkdir(parents=True, exist_ok=True)
    env = production_env(args.scratch, CCX_SEARCH_WARM_START="true", CCX_LOG_LEVEL="ERROR")  # 413s are logged
    if not (args.scratch / "ccx.sqlite3").exists():
        prepare_site(env)
    else:
        prepare_site(env, load_data=False)
    server = gunicorn(env, args.port, workers=args.workers, extra=("--preload",))
    base = f"http://127.0.0.1:{args.port}"
    failures: list[str] = []
    try:
        wait_until_up(base + "/healthz", seconds=240)
        for _ in range(4 * args.workers):  # every worker has served the page and its fragments once
            request(base, PAGE)

        refusals = [request(base, "/api/v1/match", ONE_MEGABYTE) for _ in range(10)]
        statuses = sorted({status for status, _ms in refusals})
        refused = summary([ms for _status, ms in refusals])
        print(f"{show('1 MB POST /api/v1/match', refused)}; statuses {statuses} (limit: 413 in < 100 ms)")
        if statuses != [413] or refused["worst"] >= 100:
            failures.append("the 1 MB post is not refused with 413 in < 100 ms")

        alone = {page: summary([request(base, page.format(n=n))[1] for n in range(args.pages)]) for page in PAGES}
        stop = threading.Event()
        attacks: list[tuple[int, float]] = []

        def attacker() -> None:
            while not stop.is_set():
                attacks.append(request(base, "/api/v1/match", ONE_MEGABYTE))

        attackers = [threading.Thread(target=attacker) for _ in range(4)]
        cpu_before, started = cpu_seconds(server.process.pid), time.perf_counter()
        for thread in attackers:
            thread.start()
        time.sleep(0.5)
        attacked = {
            page: summary([request(base, page.format(n=1000 + n))[1] for n in range(args.pages)]) for page in PAGES
        }
        stop.set()
        for thread in attackers:
            thread.join()
        server_cpu, elapsed = cpu_seconds(server.process.pid) - cpu_before, time.perf_counter() - started
        attack_statuses = sorted({status for status, _ms in attacks})
        print(f"4 clients posting 1 MB in a loop: {len(attacks)} posts, statuses {attack_statuses}")
        print(f"  {show('their time', summary([ms for _s, ms in attacks]))}")
        print(
            f"  server CPU over the {elapsed:.1f} s of attack (pages included): {server_cpu:.1f} s, "
            f"{server_cpu / elapsed:.2f} cores; {1000 * server_cpu / max(len(attacks), 1):.2f} ms per post at most"
        )
        for page in PAGES:
            ratios = ", ".join(
                f"{key} {attacked[page][key] / alone[page][key]:.2f}" for key in ("median", "p95", "worst")
            )
            print(f"GET {page}, {args.pages} times:")
            print(f"  {show('alone', alone[page])}")
            print(f"  {show('under attack', attacked[page])}")
            print(f"  ratio under attack / alone: {ratios}")
            if page == PAGE and attacked[page]["worst"] >= 200:  # a search made anew costs more alone: its ratio
                failures.append(f"{page} took {attacked[page]['worst']:.0f} ms under attack (limit 200 ms)")

        print("CPU time of single requests at the limits (server processes, from /proc; each text new to the server):")
        for label, method, path, payload in EXPENSIVE:
            for round_ in range(2 * args.workers):  # every worker has served this kind of request once before
                request(base, *form(method, path, payload, f"warm {round_}"))
            costs = []
            for round_ in range(3):
                before = cpu_seconds(server.process.pid)
                status, ms = request(base, *form(method, path, payload, f"round {round_}"))
                costs.append((cpu_seconds(server.process.pid) - before, ms, status))
            worst_cpu = max(cpu for cpu, _ms, _status in costs)
            worst_ms = max(ms for _cpu, ms, _status in costs)
            print(f"  {label}: status {costs[-1][2]}, CPU worst {worst_cpu * 1000:.0f} ms, wall {worst_ms:.0f} ms")
            if worst_cpu > 1.0:
                failures.append(f"{label} cost {worst_cpu:.2f} s of CPU (limit about 1 s)")
    finally:
        server.stop()
    print(f"load average after: {uptime()}")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 0 if not failures else 1


def form(method: str, path: str, payload: dict[str, object], salt: str) -> tuple[str, bytes | None]:
    """The request's path and body, with `salt` at the start of its text (so no cache has seen it)."""
    salted = {
        key: f"{salt} {value}"[: len(value)] if key in ("text", "q") and isinstance(value, str) else value
        for key, value in payload.items()
    }
    if method == "POST" and path.startswith("/api/"):
        return path, json.dumps(salted).encode()
    if method == "POST":
        return path, urlencode(salted).encode()
    return f"{path}?{urlencode(salted, doseq=True)}", None


LIBRARY_FILTERS: dict[str, object] = {
    "q": (CHALLENGE * 2)[:200],
    "field": ["crafts-and-folk-art", "design", "film", "gastronomy", "literature", "media-arts", "music"],
    "theme": ["urban-regeneration", "education", "inclusion", "heritage", "tourism", "youth"],
    "sdg": [str(number) for number in range(1, 18)],
    "region": ["AF", "AS", "EU", "NA", "SA", "OC"],
    "country": ["FR", "IT", "ES", "CN", "KR", "JP", "BR", "MX", "CO", "NG", "SN", "TR", "IR", "IN", "DE", "GB"],
    "language": ["en", "fr", "es", "zh-hans", "ar", "ru", "pt", "it", "de", "ko", "ja"],
    "year": [str(year) for year in range(1990, 2030)],
}

# The most a caller may ask of each expensive path: (label, method, path, payload).
EXPENSIVE: list[tuple[str, str, str, dict[str, object]]] = [
    ("POST /api/v1/match, 5,000 characters", "POST", "/api/v1/match", {"text": (CHALLENGE * 30)[:5000]}),
    ("POST /api/v1/match, 5,001 characters (422)", "POST", "/api/v1/match", {"text": (CHALLENGE * 30)[:5001]}),
    ("POST /api/v1/sdg/suggest, 20,000 characters", "POST", "/api/v1/sdg/suggest", {"text": (CHALLENGE * 110)[:20000]}),
    (
        "POST /accounts/login/, a 2 MB form (anonymous, no CSRF token)",
        "POST",
        "/accounts/login/",
        {"username": "someone", "text": "empty shops in the old town " * 70_000},
    ),
    ("GET /api/v1/search, a 200-character query", "GET", "/api/v1/search", {"q": (CHALLENGE * 2)[:200]}),
    ("GET /practices/, 200-character query, every facet filled", "GET", "/practices/", LIBRARY_FILTERS),
    (
        "GET /practices/find-solutions/, 3,500 characters (gunicorn's request line: 4 KB)",
        "GET",
        "/practices/find-solutions/",
        {"text": (CHALLENGE * 30)[:3500]},
    ),
]


if __name__ == "__main__":
    sys.exit(main())
