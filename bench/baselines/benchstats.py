"""Latency statistics shared by the Python baselines: the same JSON fields and percentile CSV
(`percentile,value_ms`) as the Java load generator (bench/target/faaspot-bench.jar)."""

import json
import math
import os


def value_at(sorted_ms, percentile):
    """Nearest-rank value at `percentile` (0..100) of an ascending list; 0 is the minimum."""
    if not sorted_ms:
        return 0.0
    if percentile <= 0:
        return sorted_ms[0]
    rank = math.ceil(percentile / 100.0 * len(sorted_ms))
    return sorted_ms[min(max(rank, 1), len(sorted_ms)) - 1]


def percentile_levels(count, ticks_per_half_distance=5):
    """The levels HdrHistogram's percentile distribution reports: 5 ticks per halving of the
    distance to 100 (0, 10, ..., 50, 55, ..., 75, 77.5, ...), down to one sample, then 100."""
    levels = []
    p = 0.0
    floor = 100.0 / max(count, 1)
    while 100.0 - p > floor / 2:
        levels.append(p)
        halvings = math.floor(math.log2(100.0 / (100.0 - p))) + 1
        p += 100.0 / (ticks_per_half_distance * 2 ** halvings)
    levels.append(100.0)
    return levels


def summary(scenario, latencies_ms, elapsed_s, errors=0, **extra):
    """The JSON object every tool writes; `latencies_ms` are the successful calls."""
    ordered = sorted(latencies_ms)
    n = len(ordered) + errors
    if not ordered:  # no per-call latencies (async, bulk): null, as the Java tool writes them
        out = {"scenario": scenario, "requests": n, "errors": errors, "throughput_per_s": None,
               "p50_ms": None, "p90_ms": None, "p99_ms": None, "p999_ms": None,
               "max_ms": None, "mean_ms": None, "elapsed_s": round(elapsed_s, 4)}
        out.update(extra)
        return out
    out = {
        "scenario": scenario,
        "requests": n,
        "errors": errors,
        "throughput_per_s": round(len(ordered) / elapsed_s, 3) if elapsed_s > 0 else 0.0,
        "p50_ms": round(value_at(ordered, 50), 4),
        "p90_ms": round(value_at(ordered, 90), 4),
        "p99_ms": round(value_at(ordered, 99), 4),
        "p999_ms": round(value_at(ordered, 99.9), 4),
        "max_ms": round(ordered[-1], 4),
        "mean_ms": round(sum(ordered) / len(ordered), 4),
        "elapsed_s": round(elapsed_s, 4),
    }
    out.update(extra)
    return out


def write_outputs(result, latencies_ms=None, out=None, hist_out=None):
    text = json.dumps(result, indent=2)
    if out:
        _write(out, text + "\n")
    if hist_out and latencies_ms is not None:
        ordered = sorted(latencies_ms)
        lines = ["percentile,value_ms"]
        for level in percentile_levels(len(ordered)):
            lines.append("%.6f,%.4f" % (level, value_at(ordered, level)))
        _write(hist_out, "\n".join(lines) + "\n")
    print(text, flush=True)


def _write(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
