"""One function per ``rcsgraph`` command: call the library, print, return the exit code.

Each imports what it needs when it runs: ``rcsgraph serve`` answers sooner after a cold start
without the validator (pyshacl) and the build machinery imported.
"""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcsgraph.errors import InputError, NotConforming

if TYPE_CHECKING:
    from rcsgraph.graph import build, report
    from rcsgraph.store import OxigraphStore, Store


def _renderer(name: str) -> "Callable[[report.Report], str]":
    from rcsgraph.graph import report

    renderers: dict[str, Callable[[report.Report], str]] = {
        "text": report.to_text,
        "json": report.to_json,
        "turtle": report.to_turtle,
    }
    return renderers[name]


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate files (default: the bundled data); print the report; 1 when it does not conform."""
    from rcsgraph.graph.validation import validate

    result = validate(args.files or None)
    sys.stdout.write(_renderer(args.format)(result))
    return 0 if result.conforms else NotConforming.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    """Write the knowledge graph in one format to a file or to standard output."""
    from rcsgraph.graph.export import export

    data = export(args.format, args.files or None)
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        try:
            args.output.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write ({exc.strerror})") from None
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """Build the graph, validate it, and print its key figures."""
    from rcsgraph.graph import report, summary
    from rcsgraph.graph.validation import load_and_validate

    graph, result = load_and_validate(args.files or None)
    counts = summary.figures(graph)
    sys.stdout.write(summary.to_text(counts))
    sys.stdout.write(report.summary_line(result) + "\n")
    if not result.conforms:
        sys.stdout.write("run `rcsgraph validate` for the violations\n")
    return 0 if result.conforms else NotConforming.exit_code


def cmd_load(args: argparse.Namespace) -> int:
    """Rebuild the on-disk store from the ontology, the data and the bundles added before,
    with the publication artefacts derived from it."""
    from rcsgraph.graph import build

    progress = None if args.quiet else build.progress_bar()
    outcome = build.load(
        args.store,
        args.files or None,
        progress=progress,
        validate=not args.skip_validation,
        derive=_deriver(args.quiet),
    )
    _say_published(outcome, args.quiet)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Validate article bundles with what is stored and add each as its own named graph."""
    from rcsgraph.graph import build

    outcome = build.add(args.store, args.files, progress=None, derive=_deriver(quiet=False))
    _say_published(outcome, quiet=False)
    return 0


def _deriver(quiet: bool) -> "build.Derive":
    """What ``load`` and ``add`` derive from a new generation before publishing it: the
    previous generation's artefacts brought up to date after an ``add``, else all afresh (see
    ``rcsgraph.publish.derive``), saying each step on a terminal."""
    from rcsgraph.config import load_settings
    from rcsgraph.publish import derive, increment
    from rcsgraph.store import OxigraphStore as Opened

    id_space = load_settings().base_iri + "id/"
    talk = not quiet and sys.stderr.isatty()

    def say(step: str) -> None:
        if talk:
            print(f"deriving: {step}", file=sys.stderr, flush=True)

    def run(store: "OxigraphStore", folder: Path, previous: Path | None, changed: Any) -> None:
        before = folder.parent / previous.name if previous is not None else None
        if changed is not None and before is not None and derive.is_complete(before, id_space):
            say("updating the previous generation's")
            with Opened(previous, read_only=True) as old:
                increment.increment(store.store, old.store, before, changed, folder, id_space)
            return
        derive.derive(store.store, folder, id_space, progress=say)

    return run


def cmd_annotate(args: argparse.Namespace) -> int:
    """Write a bundle: the facts file plus a claim with its evidence per evidence-sheet row."""
    from rcsgraph.graph.annotate import annotate

    bundle = annotate(args.facts, args.evidence)
    for warning in bundle.warnings:
        print(f"rcsgraph: warning: {warning}", file=sys.stderr)
    if args.output is None:
        sys.stdout.buffer.write(bundle.data)
        return 0
    try:
        args.output.write_bytes(bundle.data)
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write ({exc.strerror})") from None
    return 0


def _say_published(outcome: "build.Outcome", quiet: bool) -> None:
    from rcsgraph.graph import report

    if quiet:
        return
    graphs = len(outcome.graphs)
    print(f"published {outcome.generation.name}: {outcome.quads} quads in {graphs} graphs")
    for name in outcome.graphs:
        print(f"  {name}")
    print(report.summary_line(outcome.report))


def cmd_push(args: argparse.Namespace) -> int:
    """Copy every graph of the store to a Graph Store Protocol endpoint, one PUT per graph."""
    password = args.password
    if password is None and args.user is not None:  # not on the command line, seen by `ps`
        password = os.environ.get("RCSGRAPH_PUSH_PASSWORD")
    if password is not None and args.user is None:
        raise InputError("a password needs --user")
    from rcsgraph.store import generations
    from rcsgraph.store.push import push

    with generations.open_store(args.store) as store:
        pushed = push(store, args.gsp, args.user, password)
    for graph, count in pushed.items():
        print(f"{count}\t{graph}")
    print(f"pushed {sum(pushed.values())} triples in {len(pushed)} graphs to {args.gsp}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the SPARQL endpoint and the pages with granian until SIGINT or SIGTERM."""
    if args.store is not None and args.endpoint is not None:
        raise InputError("give --store or --endpoint, not both")
    _end_on_stop_signals()
    _no_main_script_for_workers()
    from rcsgraph.config import load_settings
    from rcsgraph.sparql.executor import start_fork_server

    overrides = {
        "store": args.store,
        "endpoint": args.endpoint,
        "timeout": args.timeout,
        "workers": args.workers,
        "processes": args.processes,
        "threads": args.threads,
    }
    settings = load_settings(overrides)
    bundled = settings.store is None and settings.endpoint is None
    start_fork_server(in_memory=bundled)  # it imports the engine while this process goes on
    from rcsgraph.web import server
    from rcsgraph.web.service import store_spec

    store_spec(settings)  # no store there: say so now, not in every server process
    server.serve(settings, args.host, args.port)
    return 0


def _end_on_stop_signals() -> None:
    """Until granian takes SIGINT and SIGTERM over (it sets its own handlers before it starts
    any server process), either signal ends ``rcsgraph serve`` at once, with status 0 and no
    traceback: nothing is served yet, and the fork server ends with this process."""
    import signal

    def end(number: int, frame: object) -> None:
        raise SystemExit(0)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, end)


def _no_main_script_for_workers() -> None:
    """Each query worker starts by running the main script of the process that started it,
    as multiprocessing prepares a child (the ``rcsgraph`` script: the whole command line
    parser, about 20 ms, four times as the server starts), though it needs nothing from it.
    multiprocessing runs no package's ``__main__`` again: name that of ``python -m
    rcsgraph.cli``, which does what the script does, as the main module's origin."""
    import importlib.util

    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is None:
        main.__spec__ = importlib.util.find_spec("rcsgraph.cli.__main__")


def cmd_query(args: argparse.Namespace) -> int:
    """Run a canned query of the catalogue and print its answer."""
    from rcsgraph import queries
    from rcsgraph.sparql import rendering

    catalogue = queries.load_catalogue()
    if args.list:
        width = max(len(name) for name in catalogue)
        for name, query in catalogue.items():
            print(f"{name:<{width}}  {query.summary}")
        return 0
    if args.name is None:
        raise InputError("name a query (see `rcsgraph query --list`)")
    if args.name not in catalogue:
        raise InputError(f"no query named {args.name!r} (see `rcsgraph query --list`)")
    params = dict(_key_value(p) for p in args.param)
    query = catalogue[args.name]
    queries.bind(query, params)  # reject bad parameters before opening any store
    with _open_store(args.store) as store:
        answer = queries.run(store, query, params)
    fmt = args.format or ("table" if query.form == "SELECT" else "ttl")
    sys.stdout.buffer.write(rendering.render(answer, fmt))
    return 0


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise InputError(f"-p takes KEY=VALUE, not {text!r}")
    return key.strip(), value


def _open_store(path: Path | None) -> "Store":
    from rcsgraph.graph.loading import fill_store
    from rcsgraph.store import OxigraphStore
    from rcsgraph.store.generations import open_store

    if path is not None:
        return open_store(path)
    store = OxigraphStore()
    fill_store(store)
    return store
