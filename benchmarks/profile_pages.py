"""Where a cold page's time goes: each public page rendered in-process, page cache off.

`make profile` runs it. It uses the benchmark's small database (`newsroom_bench_small`, built
by `benchmarks/pages_http.py` if missing) and the production settings (DEBUG off, no page
cache), requests every page through Django's test client and prints, per page:

- the article pages twice: with the parts of the page kept between renders
  (`articles.fragments`, as after a comment) and with nothing kept (as after an edit);
- CPU milliseconds of this process per request (median), which other jobs on a shared
  machine disturb far less than wall time, and the ratio of the floor view's CPU time to
  the page's (the news-day issue's goal: 0.20 for the article page, 0.15 for the others);
- wall milliseconds per request, which add the database's own time;
- for each page, the share of its time spent in template rendering, SQL (the round trips),
  turning rows into model instances, `reverse()` and date formatting, from cProfile.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pages_http  # noqa: E402  (benchmarks/ is not a package)

DATABASE = "newsroom_bench_small"

# The function whose cumulative time stands for each part of a page's work.
PARTS = {
    "templates": [("django/template/base.py", "render")],
    "SQL round trips": [("django/db/backends/utils.py", "execute")],
    "rows to models": [("django/db/models/query.py", "__iter__")],
    "reverse()": [("django/urls/base.py", "reverse")],
    "dates": [("django/utils/dateformat.py", "format")],
}


def setup() -> None:
    pages_http.build(DATABASE, articles=1000, comments=10_000)
    pages_http.freshen(DATABASE)
    os.environ.update(pages_http.server_environment(DATABASE, page_cache_seconds=0))
    import django

    django.setup()


def timed(client, path: str, repeats: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(repeats):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def shares(client, path: str, repeats: int) -> dict[str, float]:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeats):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(inner for _, _, inner, _, _ in stats.values())
    found = {}
    for part, functions in PARTS.items():
        # Several functions share a name (Template.render, Node.render...) and call each
        # other: the largest cumulative time is the outermost one, the part's whole cost.
        cumulative = max(
            (
                function_total
                for (filename, _, name), (_, _, _, function_total, _) in stats.items()
                if any(filename.endswith(file) and name == wanted for file, wanted in functions)
            ),
            default=0.0,
        )
        found[part] = 100 * cumulative / total if total else 0.0
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    options = parser.parse_args()
    setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    paths = {"floor": "/__floor__/", **pages_http.pages(DATABASE)}
    for path in paths.values():  # Warm the per-worker fragment caches, as a running site has.
        timed(client, path, 3)
    floor_cpu, _ = timed(client, paths["floor"], options.repeats * 10)
    print(
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, in-process, "
        f"{DATABASE}, page cache off, {options.repeats} requests per page "
        f"(load average {os.getloadavg()[0]:.1f}).\n"
    )
    header = "| page | CPU ms | floor/page (CPU) | wall ms | " + " | ".join(PARTS) + " |"
    print(header)
    print("|---|" + "---:|" * (header.count("|") - 2))
    from django.test import override_settings

    # The article pages again with no part kept between renders (articles/fragments.py):
    # what the first reader after an edit pays.
    measured = [(name, path, {}) for name, path in paths.items()]
    measured += [
        (f"{name}, nothing kept", path, {"FRAGMENT_CACHE_SECONDS": 0})
        for name, path in paths.items()
        if name.startswith("article")
    ]
    for name, path, overrides in measured:
        with override_settings(**overrides):
            cpu, wall = timed(client, path, options.repeats * (10 if name == "floor" else 1))
            parts = shares(client, path, 5) if name != "floor" else {}
        cells = " | ".join(f"{parts[part]:.0f} %" if parts else "-" for part in PARTS)
        print(f"| {name} | {cpu:.2f} | {floor_cpu / cpu:.3f} | {wall:.2f} | {cells} |")
    print(
        "\nParts overlap (SQL and rows-to-models run inside template rendering when a "
        "template iterates a queryset); each is the share of the page's whole profiled time."
    )


if __name__ == "__main__":
    main()
