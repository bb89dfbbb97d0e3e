"""The ``rcsgraph`` command: thin subcommands over the library.

Exit codes: 0 success; 1 the data does not conform, or another failure; 2 bad input or usage
(a missing or unreadable file, a syntax error, an unknown option). Errors are one line on
stderr, never a traceback: ``main`` is the one place that translates rcsgraph errors into them.

``parser`` declares the commands and their options; ``commands`` holds one function per
command, each importing what it needs when it runs (so ``rcsgraph serve`` starts without the
validator and the build machinery). May import every part of the package.
"""

import sys
from collections.abc import Sequence

from rcsgraph.cli.parser import build_parser
from rcsgraph.errors import NotConforming, RcsGraphError


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; translate rcsgraph errors into one line on stderr and an exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except NotConforming as exc:
        found = getattr(exc, "report", None)  # a refused build (build.Refused) carries one
        if found is not None:
            from rcsgraph.graph import report

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
