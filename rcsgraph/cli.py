"""The ``rcsgraph`` command: thin subcommands over the library.

Exit codes: 0 success; 1 the data does not conform, or another failure; 2 bad input or usage
(a missing or unreadable file, a syntax error, an unknown option). Errors are one line on
stderr, never a traceback.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rcsgraph.errors import InputError, NotConforming, RcsGraphError

# Each command imports what it needs when it runs: `rcsgraph serve` answers sooner after a cold
# start without the validator (pyshacl) and the build machinery imported.
if TYPE_CHECKING:
    from rcsgraph import building, report
    from rcsgraph.store import Store

#: ``rcsgraph export --format`` (as ``rcsgraph.export.FORMATS``, without importing it).
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig")
REPORT_FORMATS = ("json", "text", "turtle")


def _renderer(name: str) -> "Callable[[report.Report], str]":
    from rcsgraph import report

    renderers: dict[str, Callable[[report.Report], str]] = {
        "text": report.to_text,
        "json": report.to_json,
        "turtle": report.to_turtle,
    }
    return renderers[name]


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate files (default: the bundled data); print the report; 1 when it does not conform."""
    from rcsgraph.validation import validate

    result = validate(args.files or None)
    sys.stdout.write(_renderer(args.format)(result))
    return 0 if result.conforms else NotConforming.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    """Write the knowledge graph in one format to a file or to standard output."""
    from rcsgraph.export import export

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
    from rcsgraph import report, summary
    from rcsgraph.validation import load_and_validate

    graph, result = load_and_validate(args.files or None)
    counts = summary.figures(graph)
    sys.stdout.write(summary.to_text(counts))
    sys.stdout.write(report.summary_line(result) + "\n")
    if not result.conforms:
        sys.stdout.write("run `rcsgraph validate` for the violations\n")
    return 0 if result.conforms else NotConforming.exit_code


def cmd_load(args: argparse.Namespace) -> int:
    """Rebuild the on-disk store from the ontology, the data and the bundles added before."""
    from rcsgraph import building

    progress = None if args.quiet else building.progress_bar()
    outcome = building.load(
        args.store, args.files or None, progress=progress, validate=not args.skip_validation
    )
    _say_published(outcome, args.quiet)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Validate article bundles with what is stored and add each as its own named graph."""
    from rcsgraph import building

    outcome = building.add(args.store, args.files, progress=None)
    _say_published(outcome, quiet=False)
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """Write a bundle: the facts file plus a claim with its evidence per evidence-sheet row."""
    from rcsgraph.annotate import annotate

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


def _say_published(outcome: "building.Outcome", quiet: bool) -> None:
    from rcsgraph import report

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
    from rcsgraph import storage
    from rcsgraph.push import push

    with storage.open_store(args.store) as store:
        pushed = push(store, args.gsp, args.user, password)
    for graph, count in pushed.items():
        print(f"{count}\t{graph}")
    print(f"pushed {sum(pushed.values())} triples in {len(pushed)} graphs to {args.gsp}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the SPARQL endpoint with a production WSGI server until interrupted."""
    if args.store is not None and args.endpoint is not None:
        raise InputError("give --store or --endpoint, not both")
    from rcsgraph.executor import start_fork_server

    start_fork_server()  # imports the engine while this process imports the web application
    import waitress

    from rcsgraph.config import load_settings
    from rcsgraph.web import create_app

    overrides = {
        "store": args.store,
        "endpoint": args.endpoint,
        "timeout": args.timeout,
        "workers": args.workers,
    }
    settings = load_settings(overrides)
    app = create_app(settings)
    print(f"rcsgraph: serving http://{args.host}:{args.port}/sparql", file=sys.stderr, flush=True)
    try:
        waitress.serve(app, host=args.host, port=args.port, threads=settings.threads, ident=None)
    finally:
        app.extensions["rcsgraph"].pool.close()
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run a canned query of the catalogue and print its answer."""
    from rcsgraph import queries, rendering

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
    from rcsgraph.loading import fill_store
    from rcsgraph.storage import open_store
    from rcsgraph.store import OxigraphStore

    if path is not None:
        return open_store(path)
    store = OxigraphStore()
    fill_store(store)
    return store


class _Version(argparse.Action):
    """``--version``: reads the installed version only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from rcsgraph import __version__

        print(f"rcsgraph {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rcsgraph",
        description="A knowledge graph of a news article on the Red Crescent societies of "
        "Iran and Iraq, with evidence for every fact.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    files_help = "RDF files to use instead of the bundled data (the ontology is always added)"
    p = commands.add_parser("validate", help="check the data against the shapes and the text")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=files_help)
    p.add_argument("--format", choices=REPORT_FORMATS, default="text")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("export", help="write the knowledge graph as Turtle, JSON-LD, ...")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=files_help)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="ttl")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("load", help="build the on-disk store (atomically replaced)")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=files_help)
    p.add_argument("--store", type=Path, required=True, metavar="PATH", help="store folder")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--skip-validation", action="store_true", help="publish without validating (benchmarks)"
    )
    p.set_defaults(run=cmd_load)

    p = commands.add_parser("add", help="add article bundles to the on-disk store")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Turtle or TriG bundles")
    p.add_argument("--store", type=Path, required=True, metavar="PATH", help="store folder")
    p.set_defaults(run=cmd_add)

    p = commands.add_parser("annotate", help="write a bundle's claims from an evidence sheet")
    p.add_argument("facts", type=Path, metavar="FACTS.ttl", help="the bundle's plain triples")
    p.add_argument("--evidence", type=Path, required=True, metavar="EVIDENCE.tsv")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    p.set_defaults(run=cmd_annotate)

    p = commands.add_parser("query", help="run a canned query of the catalogue")
    p.add_argument("name", nargs="?", metavar="NAME", help="the query (see --list)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument(
        "--format", choices=["table", "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"]
    )
    p.add_argument("--list", action="store_true", help="list the catalogue with summaries")
    p.add_argument("--store", type=Path, metavar="PATH", help="store folder (default: bundled)")
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("serve", help="serve the SPARQL endpoint")
    p.add_argument("--store", type=Path, metavar="PATH", help="store folder (default: bundled)")
    p.add_argument("--endpoint", metavar="URL", help="serve a remote SPARQL endpoint instead")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument("--port", type=int, default=5000, help="port (default: %(default)s)")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds a query may run")
    p.add_argument("--workers", type=int, metavar="N", help="query worker processes")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("summary", help="build and validate the graph, print key figures")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help=files_help)
    p.set_defaults(run=cmd_summary)

    p = commands.add_parser("push", help="copy the store to a SPARQL Graph Store endpoint")
    p.add_argument("--store", type=Path, required=True, metavar="PATH", help="the store to copy")
    p.add_argument("--gsp", required=True, metavar="URL", help="Graph Store Protocol endpoint")
    p.add_argument("--user", help="user name, for HTTP basic or digest authentication")
    p.add_argument(
        "--password",
        help="password of --user (others can read it in the process list: prefer the"
        " RCSGRAPH_PUSH_PASSWORD environment variable)",
    )
    p.set_defaults(run=cmd_push)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; translate rcsgraph errors into one line on stderr and an exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except NotConforming as exc:
        found = getattr(exc, "report", None)  # a refused build (building.Refused) carries one
        if found is not None:
            from rcsgraph import report

            sys.stdout.write(report.to_text(found))
        print(f"rcsgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except RcsGraphError as exc:
        for line in str(exc).splitlines() or [""]:  # some errors list several problems
            print(f"rcsgraph: error: {line}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `rcsgraph export | head`
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
