"""The ``rcsgraph`` command line: its commands, their arguments and options."""

import argparse
from pathlib import Path

from rcsgraph.cli.commands import (
    cmd_add,
    cmd_annotate,
    cmd_export,
    cmd_load,
    cmd_push,
    cmd_query,
    cmd_serve,
    cmd_summary,
    cmd_validate,
)

#: ``rcsgraph export --format`` (as ``rcsgraph.graph.export.FORMATS``, without importing it).
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig")
REPORT_FORMATS = ("json", "text", "turtle")


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
    p.add_argument("--processes", type=int, metavar="N", help="HTTP server processes")
    p.add_argument("--threads", type=int, metavar="N", help="threads per HTTP server process")
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
