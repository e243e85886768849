"""CPU of one page-cache miss of the two search mixes of `pages.py`, in one process, one request at a time.

    .venv/bin/python bench/page_misses.py --scratch DIR [--requests 300]

DIR is a site made by `pages.py --scratch DIR` (its database and its mixes' Lua scripts). The page cache is
off and the cache is this process's memory; each of the mixes' queries is searched once first (its embedding,
which a running site keeps), then `--requests` other addresses of each mix, drawn at random, are each requested
once: every one is a miss. Prints the mean, p50 and p95 of the CPU time per request and the SQL queries.
Run it with PYTHONPATH set to another checkout to measure that code on the same data.
"""

import argparse
import json
import os
import random
import re
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    os.environ.update(
        {
            "CCX_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "CCX_VAR_DIR": str(options.scratch),
            "CCX_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "ccx.settings",
            "CCX_RATE_SEARCH": "10000000/m",
            "CCX_PAGE_CACHE": "false",
            "CCX_ALLOWED_HOSTS": "testserver",
            "CCX_SEARCH_SHARED_INDEX": "false",
        }
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import ccx

    print(f"code: {Path(ccx.__file__).parent}")
    client = Client()
    for mix in ("library-mix", "api-search-mix"):
        script = (options.scratch / f"{mix}.lua").read_text(encoding="utf-8")
        paths = [json.loads(f'"{path}"') for path in re.findall(r'^"(.*)",?$', script, re.MULTILINE)]
        random.Random(17).shuffle(paths)  # noqa: S311 - a benchmark's draw
        searched, rest = set(), []
        for path in paths:
            query = path.split("q=", 1)[1].split("&", 1)[0]
            if query in searched:
                rest.append(path)
            else:
                searched.add(query)
                assert client.get(path).status_code == 200, path
        cpu, queries = [], []
        for path in rest[: options.requests]:
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                response = client.get(path)
                cpu.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, path
            queries.append(len(captured.captured_queries))
        cpu.sort()
        print(
            f"{mix}: {len(cpu)} misses, CPU per request mean {sum(cpu) / len(cpu):.1f} ms, "
            f"p50 {cpu[len(cpu) // 2]:.1f}, p95 {cpu[int(len(cpu) * 0.95)]:.1f}; "
            f"SQL queries mean {sum(queries) / len(queries):.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
