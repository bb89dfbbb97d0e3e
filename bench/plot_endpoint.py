"""Plot ``bench/results/endpoint.json``: query latency per server at the largest size (log
scale) and lookup throughput. Runs in the bench environment (``var/bench/venv``), which has
matplotlib; the project's own dependencies do not.

    var/bench/venv/bin/python bench/plot_endpoint.py RESULTS.json OUT.png
"""

import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main(source: str, target: str) -> None:
    with open(source) as handle:
        raw = json.loads(handle.read())
    size = list(raw["sizes"])[-1]
    found = raw["sizes"][size]
    names = found["servers"]
    queries = list(found["queries"])
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(15, 6), gridspec_kw={"width_ratios": [4, 1]}
    )
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [
            statistics.median(runs) * 1000 if (runs := found["queries"][q][name]["runs"]) else 0
            for q in queries
        ]
        left.bar([x + i * width for x in range(len(queries))], values, width, label=name)
    left.set_yscale("log")
    left.set_ylabel("median latency (ms, log scale)")
    left.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(queries))])
    left.set_xticklabels(queries, rotation=60, ha="right", fontsize=8)
    left.set_title(f"Query latency at {size} (lower is better; 0 = not run or failed)")
    left.legend()
    if "lookups" in found:
        lookups = found["lookups"]
        width = 0.8 / len(lookups)
        for i, (name, per) in enumerate(lookups.items()):
            rates = [per[c]["requests_per_s"] for c in ("8", "32")]
            right.bar([x + i * width for x in range(2)], rates, width, label=name)
        right.set_xticks([x + width * (len(lookups) - 1) / 2 for x in range(2)])
        right.legend(fontsize=7)
        right.set_xticklabels(["8 conn.", "32 conn."])
        right.set_ylabel("point lookups per second (wrk)")
        right.set_title("Throughput (higher is better)")
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
