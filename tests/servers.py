"""Real SPARQL servers for tests, each started on free loopback ports and stopped afterwards.

- ``oxigraph serve`` from the PyPI package ``oxigraph`` (the dev extra), run with
  ``--union-default-graph`` so that its default graph is the union of the named graphs;
- Virtuoso (``virtuoso-t``, Debian package ``virtuoso-opensource``) with its own ``virtuoso.ini``
  in a temporary folder. Its default graph is already the union; writes go through its
  digest-protected endpoints as ``dba`` (``/sparql-auth``, ``/sparql-graph-crud-auth``), so no
  grant to the anonymous ``SPARQL`` user is needed.

A server whose binary is absent makes its tests skip, saying how to install it.
"""

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

#: How long a server may take to answer its first request (it is asked every 0.2 s).
STARTUP_LIMIT_S = 120.0


@dataclass(frozen=True)
class Server:
    """The endpoints of a running server, and the credentials its write endpoints want."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None = None
    password: str | None = None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve`` with its data in ``folder``."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or binary)
    if not binary.exists():
        pytest.skip("the oxigraph server is absent: pip install oxigraph (in the dev extra)")
    usage = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    if "--union-default-graph" not in usage:
        pytest.skip(f"{binary} has no --union-default-graph option: upgrade oxigraph")
    base = f"http://127.0.0.1:{free_port()}"
    command = [binary, "serve", "--location", folder / "data", "--bind", base[7:]]
    with running([*command, "--union-default-graph"], folder, f"{base}/query?query=ASK%7B%7D"):
        yield Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    """Virtuoso with its database, configuration and log in ``folder``."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip(
            "Virtuoso is absent: apt-get install virtuoso-opensource (.ci/run does it in CI)"
        )
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, free_port(), http_port), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    with running(command, folder, f"{base}/sparql?query=ASK%7B%7D"):
        yield Server(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            user="dba",
            password="dba",  # a new database's default
        )


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """A small configuration: files in ``folder``, loopback ports, little memory."""
    (folder / "www").mkdir(exist_ok=True)
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1500
ThreadsPerQuery = 2
CheckpointInterval = 0
; as in Debian's virtuoso.ini: without it, an ASK is answered as a SELECT of __ASK_RETVAL
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
; Virtuoso cuts longer answers silently (10000 rows in Debian's own virtuoso.ini)
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def running(command: Sequence[object], folder: Path, ready_url: str) -> Iterator[None]:
    """Run ``command`` in ``folder`` while the block runs; ready once ``ready_url`` answers."""
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(part) for part in command], cwd=folder, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_answering(ready_url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``url`` until it answers with any HTTP status; fail if the server exits or hangs."""
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while True:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"the server exited with {process.returncode}:\n{tail}")
        try:
            with urlopen(url, timeout=5):
                return
        except HTTPError:
            return
        except (URLError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer from {url} within {STARTUP_LIMIT_S:g} s") from None
            time.sleep(0.2)
