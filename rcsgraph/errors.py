"""One exception hierarchy for the project.

Each error carries the exit code the command line answers with; the CLI translates them in
one place (``rcsgraph.cli.main``) and nowhere else catches them broadly.
"""


class RcsGraphError(Exception):
    """Base of every error rcsgraph raises on purpose."""

    exit_code = 1


class InputError(RcsGraphError):
    """Input that cannot be read or understood: a missing file, bad syntax, a wrong option."""

    exit_code = 2


class ParseError(InputError):
    """An RDF file with a syntax error, located by file and line."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class NotConforming(RcsGraphError):
    """Data that was read but breaks the shapes or the evidence rules."""

    exit_code = 1


class QuerySyntaxError(InputError):
    """A SPARQL query or update that does not parse."""


class StoreError(RcsGraphError):
    """A store that cannot be opened, is locked, or refuses an operation."""


class ReadOnlyStoreError(StoreError):
    """A write to a store opened read-only."""


class NotReady(RcsGraphError):
    """What the request needs is still being prepared (derived artefacts): try again soon."""

    def __init__(self, message: str, retry_after: int = 10) -> None:
        super().__init__(message)
        self.retry_after = retry_after
