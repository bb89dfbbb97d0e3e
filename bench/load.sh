#!/usr/bin/env bash
# Load test: wrk with 32 connections for 30 s against `rcsgraph serve` on the bundled graph,
# sending a mix of catalogue pages, entity pages and SPARQL queries (bench/load.lua).
# Writes the figures (requests, errors, p50/p90/p99) to bench/results/load.md and exits
# non-zero when any request failed (a socket error, a timeout or a status of 400 or more).
#
#   bench/load.sh [-c CONNECTIONS] [-d DURATION] [-t THREADS] [-o OUTPUT] [-u URL]
#
# Without -u it starts its own server on a free loopback port (with $PYTHON, default the
# project's .venv) and stops it afterwards. Needs wrk (Debian package `wrk`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
connections=32
duration=30s
threads=2
output="$root/bench/results/load.md"
url=""
while getopts "c:d:t:o:u:" option; do
    case "$option" in
        c) connections="$OPTARG" ;;
        d) duration="$OPTARG" ;;
        t) threads="$OPTARG" ;;
        o) output="$OPTARG" ;;
        u) url="$OPTARG" ;;
        *) sed -n 2,10p "$0" >&2; exit 2 ;;
    esac
done
PYTHON="${PYTHON:-$root/.venv/bin/python}"
command -v wrk >/dev/null || { echo "wrk is absent: apt-get install wrk" >&2; exit 3; }

server=""
log="$(mktemp)"
stop() {
    if [ -n "$server" ]; then
        kill -INT "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap stop EXIT

if [ -z "$url" ]; then
    port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    url="http://127.0.0.1:$port"
    (cd "$root" && exec "$PYTHON" -m rcsgraph.cli serve --host 127.0.0.1 --port "$port") >"$log" 2>&1 &
    server=$!
    "$PYTHON" - "$url" "$server" <<'PY'
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(600):
    try:
        urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=5).read()
        break
    except OSError:
        os.kill(pid, 0)  # the server is still starting (raises when it has exited)
        time.sleep(0.2)
else:
    sys.exit(f"no answer from {url}")
PY
fi

loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
defaults="$("$PYTHON" -c 'from rcsgraph.config import Settings as S; s = S()
print(f"{s.processes} processes of {s.threads} threads with {s.workers} query workers each")')"
echo "wrk: $threads threads, $connections connections, $duration against $url" >&2
raw="$(cd "$root/bench" && wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency -s load.lua "$url")"
echo "$raw" >&2
result="$(grep '^RESULT' <<<"$raw")"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }

mkdir -p "$(dirname "$output")"
cat >"$output" <<MD
# Load test: catalogue pages, entity pages and SPARQL queries under wrk

\`bench/load.sh -c $connections -d $duration -t $threads\` on $(date -u +%Y-%m-%d) at commit
$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown) — $(nproc) cores,
$("$PYTHON" --version 2>&1), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), \`rcsgraph serve\` with its
defaults (bundled graph; granian, $defaults) on the same machine as wrk
(load average $loadavg when it started: other work shares the cores).
Each connection cycles through $(field kinds) requests (bench/load.lua): 5 catalogue pages
(HTML, JSON, CSV), 5 entity documents (HTML, Turtle, JSON-LD, a 303 from /id/) and 4 SPARQL
queries (ASK, SELECT, GROUP BY, CONSTRUCT; GET, POST query, POST form).

| requests | duration | requests/s | errors | p50 | p90 | p99 | max |
|---:|---:|---:|---:|---:|---:|---:|---:|
| $(field requests) | $(field seconds) s | $(field rps) | $(field errors) | $(field p50_ms) ms | $(field p90_ms) ms | $(field p99_ms) ms | $(field max_ms) ms |

Errors are wrk's: connect $(field connect), read $(field read), write $(field write),
timeout (10 s) $(field timeout), status 4xx/5xx $(field status).

<details><summary>wrk output</summary>

\`\`\`
$raw
\`\`\`
</details>
MD
echo "written: $output" >&2
[ "$(field errors)" = "0" ]
