"""The cost of one request: rcsgraph now, rcsgraph as of a baseline commit, and Oxigraph's server.

    python bench/requests.py [--store article=DIR] [--store 1M=DIR] [--baseline 05bc04c]

For each store (default: the article's store, built with ``rcsgraph load`` under ``--work``),
three servers run side by side on the same files: ``oxigraph serve-read-only
--union-default-graph`` on the store's current generation, ``rcsgraph serve --store`` as of
``--baseline`` (its package from ``git archive``, see ``bench/endpoint.py``) and ``rcsgraph
serve --store`` now. Then, servers interleaved (the order rotates each round):

- cold start: seconds from starting the command to its first answer (``--starts`` times);
- heavy queries (the native server's median at least 10 ms) over HTTP, medians, while the
  servers are idle (pages at 1M leave evaluations running after wrk stops);
- point lookups evaluated afresh (``Cache-Control: no-cache``) with wrk at 8 connections, in
  ``--rounds`` short runs alternating between the servers (the median run is reported);
- the same lookup, pages, documents and catalogue answers requested again and again (cache);
- the same pages evaluated afresh, now and at the baseline;
- 32 connections on the society's page: p99 and errors, afresh and repeated;
- memory (RSS, PSS) of every server with all its processes, after the load;

each measurement once every server is idle (``servers.wait_idle``: the baseline's pages at 1M
run past their time limit and go on in its workers, which slowed the next server measured);

and ``bench/load.sh`` (32 connections, mixed requests) against both rcsgraph servers. Writes
``bench/results/requests.md`` and ``.json`` (``--results DIR`` elsewhere; ``--render`` redraws
the markdown from the JSON).
"""

import argparse
import compileall
import json
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import machine
from bench.endpoint import baseline, latencies, rotate, workload
from bench.requests_report import render
from bench.servers import JSON, Server, wait_idle
from bench.throughput import have_wrk, parse
from rcsgraph.config import Settings

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("cooperations", "meetings", "timeline", "search", "generic:join", "generic:group")
ARTICLE = {
    "country": "https://w3id.org/rcsgraph/id/country/irn",
    "society": "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society",
}
LOOKUP = "SELECT ?p ?o {{ <{iri}> ?p ?o }}"


def pages(base_iri: str, entities: dict[str, str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Name -> (path, headers) of the GETs measured: pages, documents, catalogue answers."""

    def doc(iri: str) -> str:
        return "/doc/" + iri.removeprefix(base_iri + "id/")

    html = {"Accept": "text/html"}
    return {  # the home page last: at 1M the baseline computes it for seconds
        "entity page": (doc(entities["country"]), html),
        "society page": (doc(entities["society"]), html),
        "Turtle document": (doc(entities["country"]) + ".ttl", {}),
        "catalogue page": ("/queries/facility-countries", html),
        "catalogue answer": ("/queries/facility-countries.json", {}),
        "/": ("/", html),
    }


def probe_entities(generation: Path) -> dict[str, str]:
    """A country and a society of the store (the article's own when it has them)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(generation))
    found = {}
    for key, kind in (("country", "Country"), ("society", "Society")):
        wanted = ox.NamedNode(ARTICLE[key])
        if any(True for _ in store.quads_for_pattern(wanted, None, None)):
            found[key] = ARTICLE[key]
            continue
        text = (
            f"SELECT ?s {{ ?s a <https://w3id.org/rcsgraph/ontology#{kind}> }} ORDER BY ?s LIMIT 1"
        )
        rows = list(store.query(text, use_default_graph_as_union=True))
        found[key] = rows[0]["s"].value
    del store
    return found


def wrk_get(url: str, headers: dict[str, str], connections: int, seconds: float) -> dict[str, Any]:
    """wrk's figures for GET ``url`` with ``headers`` (2 threads, ``connections``)."""
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
    command += ["-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    return parse(done.stdout)


def lookups(running: list[Server], iri: str, rounds: int, seconds: float) -> dict[str, Any]:
    """wrk on the point lookup, afresh (and repeated for rcsgraph), in ``rounds`` short runs
    that alternate between the servers (the order rotating), so that a change in the load
    of a shared machine falls on all of them; per server, the run of median throughput."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for turn in range(rounds):
        for server in rotate(running, turn):
            url = lookup_url(server, iri)
            wanted = {server.name: {"Accept": JSON, "Cache-Control": "no-cache"}}
            if server.name != "oxigraph":
                wanted[server.name + " cached"] = {"Accept": JSON}
            for name, headers in wanted.items():
                wait_idle(running)
                runs.setdefault(name, []).append(wrk_get(url, headers, 8, seconds / rounds))
    found = {}
    for name, each in runs.items():
        ordered = sorted(each, key=lambda f: f["requests_per_s"])
        found[name] = {**ordered[len(ordered) // 2], "runs": [f["requests_per_s"] for f in each]}
        print(f"  lookups {name}: {found[name]['runs']}", file=sys.stderr)
    return found


def warm(url: str, headers: dict[str, str]) -> None:
    """One GET of ``url``, so that the repeated figures measure the kept answer."""
    import contextlib
    import urllib.request

    with contextlib.suppress(OSError):  # measured anyway: wrk counts what fails
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()


def lookup_url(server: Server, iri: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": LOOKUP.format(iri=iri)})


def servers(args: argparse.Namespace, name: str, generation: Path) -> list[Server]:
    store = generation.parent
    logs = args.work / "requests" / name
    logs.mkdir(parents=True, exist_ok=True)
    ours = [sys.executable, "-P", "-m", "rcsgraph.cli", "serve", "--store", str(store)]
    found = [
        Server(
            "oxigraph",
            [
                str(Path(sys.executable).parent / "oxigraph"),
                *("serve-read-only", "--location", str(generation)),
                *("--bind", "127.0.0.1:{port}", "--union-default-graph"),
            ],
        ),
        Server("rcsgraph", [*ours, "--port", "{port}"], {"PYTHONPATH": str(ROOT)}),
    ]
    if args.baseline:
        code = baseline(args.work, args.baseline)
        found.insert(
            1, Server("rcsgraph-before", [*ours, "--port", "{port}"], {"PYTHONPATH": code})
        )
    for server in found:
        server.log = logs / f"{server.name}.log"
    return found


def measure(args: argparse.Namespace, name: str, generation: Path) -> dict[str, Any]:
    """Every figure of one store."""
    entities = probe_entities(generation)
    running = servers(args, name, generation)
    probe = LOOKUP.format(iri=entities["country"])
    out: dict[str, Any] = {"servers": [s.name for s in running], "entities": entities}
    fresh = {"Cache-Control": "no-cache"}
    secs = args.wrk_seconds
    try:
        out["cold_start_s"] = {s.name: [] for s in running}
        for turn in range(args.starts):
            for server in rotate(running, turn):
                out["cold_start_s"][server.name].append(server.start(probe))
                if turn < args.starts - 1:
                    server.stop()
        ours = [s for s in running if s.name != "oxigraph"]
        if name in args.heavy:  # first, on idle servers: pages at 1M leave work behind them
            texts = workload(generation, entities["society"])
            chosen = {q: texts[q] for q in HEAVY if q in texts}
            args.rdflib_repeats = 0
            wait_idle(running)
            out["queries"] = latencies(running, chosen, args, probe)
        out["lookups"] = lookups(running, entities["country"], args.rounds, secs)
        path, headers = pages(args.base_iri, entities)["society page"]
        out["society_32"] = {}
        for server in ours:  # repeated first: evaluations left over from afresh would delay it
            url = f"http://127.0.0.1:{server.port}{path}"
            if server.name == "rcsgraph":
                warm(url, headers)
                wait_idle(running)
                out["society_32"]["rcsgraph cached"] = wrk_get(url, headers, 32, secs)
            wait_idle(running)
            out["society_32"][server.name] = wrk_get(url, {**headers, **fresh}, 32, secs)
        out["pages"] = {}
        out["paths"] = {k: v[0] for k, v in pages(args.base_iri, entities).items()}
        for label, (path, headers) in pages(args.base_iri, entities).items():
            per: dict[str, Any] = {}
            for server in rotate(ours, len(out["pages"])):
                url = f"http://127.0.0.1:{server.port}{path}"
                if server.name == "rcsgraph":  # repeated first, as above
                    warm(url, headers)
                    wait_idle(running)
                    per["rcsgraph cached"] = wrk_get(url, headers, 8, secs)
                wait_idle(running)
                per[server.name] = wrk_get(url, {**headers, **fresh}, 8, secs)
            out["pages"][label] = per
            print(
                f"  {label}: { {k: v['requests_per_s'] for k, v in per.items()} }", file=sys.stderr
            )
        if name in args.load:
            out["load"] = {}
            for server in ours:
                wait_idle(running)
                out["load"][server.name] = load_sh(server, args.load_seconds)
        out["memory"] = {s.name: s.memory_mb() for s in running}
    finally:
        for server in running:
            server.stop()
    return out


def load_sh(server: Server, seconds: float) -> dict[str, Any]:
    """``bench/load.sh -u`` against a running server: its RESULT figures."""
    url = f"http://127.0.0.1:{server.port}"
    output = ROOT / "var" / "bench" / f"load-{server.name}.md"
    command = ["bash", str(ROOT / "bench" / "load.sh"), "-u", url, "-d", f"{round(seconds)}s"]
    done = subprocess.run([*command, "-o", str(output)], capture_output=True, text=True)
    line = next((x for x in done.stderr.splitlines() if x.startswith("RESULT")), "")
    figures = dict(re.findall(r"(\w+)=([^ ]+)", line))
    print(f"  load.sh {server.name}: {figures}", file=sys.stderr)
    return {k: float(v) for k, v in figures.items()}


def article_store(work: Path) -> Path:
    """The article's store (the bundled data), built once under ``work``."""
    folder = work / "requests" / "article-store"
    if not (folder / "current").is_symlink():
        command = [sys.executable, "-m", "rcsgraph.cli", "load", "--store", str(folder), "--quiet"]
        subprocess.run(command, check=True, cwd=ROOT)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", action="append", default=[], help="NAME=DIR (repeatable)")
    parser.add_argument("--baseline", default="05bc04c", help="rcsgraph as of this revision")
    parser.add_argument("--wrk-seconds", type=float, default=6.0)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5, help="alternating lookup runs")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per heavy query")
    parser.add_argument("--query-timeout", type=float, default=120.0)
    parser.add_argument("--heavy", default="1M", help="stores whose heavy queries are timed")
    parser.add_argument("--load", default="article", help="stores that bench/load.sh runs on")
    parser.add_argument("--load-seconds", type=float, default=10.0)
    parser.add_argument("--base-iri", default="https://w3id.org/rcsgraph/")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--results", type=Path, default=machine.RESULTS)
    parser.add_argument("--render", action="store_true", help="rewrite the .md from the .json")
    parser.add_argument(
        "--merge", action="store_true", help="keep the other stores' results of the last run"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)  # servers are stopped on the way out (finally)
    args.heavy, args.load = set(args.heavy.split(",")), set(args.load.split(","))
    if args.render:
        write(args.results, json.loads((args.results / "requests.json").read_text()))
        return 0
    if not have_wrk():
        sys.exit("wrk is absent (Debian package wrk)")
    stores = dict(item.split("=", 1) for item in args.store) or {"article": ""}
    # An installed rcsgraph has its bytecode (pip compiles it); a source tree run with
    # PYTHONDONTWRITEBYTECODE compiles itself again at every start, 40 ms of a cold start.
    trees = [ROOT, *([Path(baseline(args.work, args.baseline))] if args.baseline else [])]
    for tree in trees:
        compileall.compile_dir(tree / "rcsgraph", quiet=1)
    raw: dict[str, Any] = {"facts": machine.facts(), "stores": {}, "options": vars_of(args)}
    defaults = Settings()
    raw["facts"]["serve"] = {n: getattr(defaults, n) for n in ("processes", "threads", "workers")}
    previous = args.results / "requests.json"
    if args.merge and previous.exists():
        raw["stores"] = json.loads(previous.read_text())["stores"]
    for name, folder in stores.items():
        path = Path(folder) if folder else article_store(args.work)
        generation = (path / "current").resolve()
        print(f"{name}: {generation}", file=sys.stderr)
        raw["stores"][name] = measure(args, name, generation)
        raw["stores"][name]["run"] = {
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": raw["facts"].get("commit"),
            "command": raw["options"]["command"],
            "load_average": raw["facts"].get("load_average"),
        }
    raw["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write(args.results, raw)
    return 0


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def vars_of(args: argparse.Namespace) -> dict[str, Any]:
    keep = ("baseline", "wrk_seconds", "starts", "rounds", "repeats", "load_seconds", "store")
    found = {k: getattr(args, k) for k in keep}
    found["command"] = "bench/requests.py " + " ".join(sys.argv[1:])
    return found


def write(folder: Path, raw: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requests.json").write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n")
    (folder / "requests.md").write_text("\n".join(render(raw)) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
