"""SPARQL servers as processes for ``bench/endpoint.py``: start, time the first answer, ask,
measure memory, stop.

Each server is started in its own session (process group) on a free port of 127.0.0.1, so it and
every process it starts (rcsgraph's fork server and query workers) are stopped together, by id.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON = "application/sparql-results+json"
#: SPARQL JSON for solutions, N-Triples for graphs (counted one triple a line).
ACCEPT = JSON + ", application/n-triples;q=0.9"
#: ``no-cache``: every answer is evaluated, not taken from rcsgraph's answer cache.
HEADERS = {"Accept": ACCEPT, "Cache-Control": "no-cache"}


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """One SPARQL server: how to start it, where it answers, its process while running."""

    name: str
    command: list[str]  # ``{port}`` in an item is replaced by the port
    env: dict[str, str] = field(default_factory=dict)
    path: str = "/sparql"  # where the SPARQL endpoint answers
    start_limit: float = 120.0  # seconds to wait for the first answer
    log: Path | None = None
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self, probe: str) -> float:
        """Start the server; seconds until it answered ``probe`` (cold start to first answer)."""
        self.port = free_port()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        log = self.log.open("ab") if self.log else subprocess.DEVNULL
        began = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=log,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        finally:
            if not isinstance(log, int):
                log.close()  # the server has its own copy
        deadline = began + self.start_limit
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                status, _ = ask(self.url, probe, timeout=5)
                if status == 200:
                    return time.perf_counter() - began
            except OSError:
                pass
            time.sleep(0.005)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {self.start_limit:g} s")

    def stop(self) -> None:
        """Stop the server and every process of its group."""
        if self.process is None:
            return
        pid = self.process.pid
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                if not _group_alive(pid):
                    break
            except subprocess.TimeoutExpired:
                continue
        self.process = None

    def memory_mb(self) -> dict[str, float]:
        """Resident (RSS) and proportional (PSS) memory of the server and all its descendants."""
        if self.process is None:
            return {"rss_mb": float("nan"), "pss_mb": float("nan"), "processes": 0}
        pids = descendants(self.process.pid)
        rss = pss = 0.0
        for pid in pids:
            rss += _kb(Path(f"/proc/{pid}/status"), "VmRSS:")
            pss += _kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")
        return {"rss_mb": rss / 1024, "pss_mb": pss / 1024, "processes": len(pids)}


def ask(url: str, query: str, timeout: float = 60.0) -> tuple[int, bytes]:
    """GET ``query`` from the SPARQL endpoint ``url`` as SPARQL JSON: (status, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        return _get(connection, parts.path, query)
    finally:
        connection.close()


class Client:
    """A kept-alive connection to one endpoint, timing each answer."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def time(self, query: str) -> tuple[float, int]:
        """Seconds to the whole answer of ``query``, and its number of rows. A kept-alive
        connection the server closed meanwhile (idle too long) is opened again, once."""
        reused = self.connection is not None
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        began = time.perf_counter()
        try:
            status, body = _get(self.connection, self.path, query)
        except (ConnectionError, http.client.RemoteDisconnected) as exc:
            self.close()
            if not reused or isinstance(exc, TimeoutError):
                raise
            return self.time(query)
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        took = time.perf_counter() - began
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
        return took, rows_of(body)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def rows_of(body: bytes) -> int:
    """The number of solutions of a SPARQL JSON answer (1 for a boolean), or of triples of an
    N-Triples one."""
    if not body.lstrip().startswith(b"{"):
        return sum(1 for line in body.splitlines() if line.strip())
    document: dict[str, Any] = json.loads(body)
    if "boolean" in document:
        return 1
    return len(document["results"]["bindings"])


def _get(connection: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    target = path + "?" + urllib.parse.urlencode({"query": query})
    connection.request("GET", target, headers=HEADERS)
    response = connection.getresponse()
    return response.status, response.read()


def wait_idle(servers: "list[Server]", busy: float = 0.05, most: float = 120.0) -> float:
    """Wait until ``servers`` are idle: their processes together used at most ``busy`` of a core
    over half a second, for at most ``most`` seconds; the seconds waited. Servers run side by
    side, and one still busy (an evaluation that a request past its time limit left running in
    a worker, as the baseline's pages at 1M do) would slow the next server measured."""
    started = time.monotonic()
    while time.monotonic() - started < most:
        before = _cpu_seconds(servers)
        time.sleep(0.5)
        if _cpu_seconds(servers) - before <= busy * 0.5:
            break
    return time.monotonic() - started


def _cpu_seconds(servers: "list[Server]") -> float:
    """CPU seconds used so far by every process of the running ``servers``."""
    ticks = 0
    for server in servers:
        if server.process is None:
            continue
        for pid in descendants(server.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _kb(path: Path, key: str) -> float:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
