#!/usr/bin/env python3
"""The server's own timers for the queue's writes in the database over one step:

    queue_writes.py BEFORE.txt AFTER.txt [--out FILE.json]

BEFORE and AFTER are scrapes of the server's /actuator/prometheus taken around the step. From
`faaspot_queue_write_seconds` (a histogram by `write`: insert, claim, complete; each statement
with its commit) this writes, per write, how many there were in between, their mean, and their
p50 and p90 read from the histogram's buckets (linear within a bucket, as Prometheus's
histogram_quantile does). Missing or unreadable scrapes give an empty object, not an error.
"""

import argparse
import json
import re
import sys

LINE = re.compile(r'^faaspot_queue_write_seconds_(bucket|count|sum)\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def parse(path):
    """{write: {"count": n, "sum": s, "buckets": [(le, cumulative count), ...]}}"""
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return out
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        kind, labels, value = m.group(1), dict(LABEL.findall(m.group(2))), float(m.group(3))
        w = out.setdefault(labels.get("write", "?"), {"count": 0.0, "sum": 0.0, "buckets": []})
        if kind == "bucket":
            le = labels.get("le", "+Inf")
            w["buckets"].append((float("inf") if le == "+Inf" else float(le), value))
        else:
            w[kind] = value
    for w in out.values():
        w["buckets"].sort()
    return out


def quantile(q, buckets):
    """The q-quantile (0..1) of cumulative (le, count) buckets, linear within a bucket."""
    total = buckets[-1][1] if buckets else 0
    if total <= 0:
        return None
    rank = q * total
    lower_le, lower_count = 0.0, 0.0
    for le, count in buckets:
        if count >= rank:
            if le == float("inf"):
                return lower_le
            inside = count - lower_count
            return lower_le + (le - lower_le) * ((rank - lower_count) / inside if inside else 0)
        lower_le, lower_count = le, count
    return lower_le


def delta(before, after):
    out = {}
    for write, a in sorted(after.items()):
        b = before.get(write, {"count": 0.0, "sum": 0.0, "buckets": []})
        n = a["count"] - b["count"]
        if n <= 0:
            continue
        earlier = dict(b["buckets"])
        buckets = [(le, count - earlier.get(le, 0.0)) for le, count in a["buckets"]]
        p50, p90 = quantile(0.5, buckets), quantile(0.9, buckets)
        out[write] = {
            "count": int(n),
            "mean_ms": round((a["sum"] - b["sum"]) * 1000.0 / n, 4),
            "p50_ms": None if p50 is None else round(p50 * 1000.0, 4),
            "p90_ms": None if p90 is None else round(p90 * 1000.0, 4),
        }
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--out")
    a = p.parse_args()
    text = json.dumps(delta(parse(a.before), parse(a.after)), indent=2)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    sys.exit(0)
