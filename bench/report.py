#!/usr/bin/env python3
"""The benchmark's report: bench/report.py RAW_DIR OUT.md OUT.png

Reads the raw figures bench/run.sh wrote into RAW_DIR (one JSON per step, named
<scenario>-<system>.json, the sync latency distributions as <name>.csv with
`percentile,value_ms`, machine.json and run.json) and writes:
  OUT.md   every figure, its ratio to each baseline, the targets of issues 6 and 19 (warm, and
           fresh: each system as just started, and the server's start) each marked met or not
           met with the measured ratio, and the machine;
  OUT.png  the sync latency distributions (FaaSpot, Celery, the HTTP, pipe and database floors) on a
           percentile axis like HdrHistogram's plots.
A missing file is a missing figure ("n/a"), never an error: a failed step still gets a report.
"""

import csv
import json
import math
import os
import sys

SYSTEMS = [
    ("faaspot", "FaaSpot"),
    ("celery", "Celery + Redis"),
    ("http-floor", "HTTP floor"),
    ("pipe-floor", "pipe floor"),
    ("db-floor", "database floor"),
]
HOW = {
    "faaspot": "`GET /api/sync/deployments/echo/rpc/?n=i`",
    "celery": "`echo.delay(args).get()`",
    "http-floor": "`GET /?n=i` on `http.server`, keep-alive",
    "pipe-floor": "length-prefixed JSON over a worker's stdin/stdout",
    "db-floor": "`pgbench`: a row inserted (flushed), then its result written",
}


# The queue's writes the server times (faaspot_queue_write_seconds), in the order of a call.
WRITES = ("insert", "claim", "complete")

# The process groups whose CPU run.sh measures (cpu_usage.py), in the order the report lists them.
CPU_GROUPS = {"faaspot": ("server", "agents", "postgres", "client"),
              "celery": ("worker", "redis", "client")}
# The warm scenarios whose CPU run.sh measures, as the report names them.
CPU_SCENARIOS = {"sync-latency": "sync (1 client)", "async": "async", "bulk": "bulk"}


def client_ms_while_measured(result):
    """The load generator's CPU ms per execution from its first request to the last result it
    saw (a throughput step's `client_cpu_in_window_s` over its executions), or None."""
    window, done = (result or {}).get("client_cpu_in_window_s"), (result or {}).get("succeeded")
    return None if window is None or not done else window * 1000.0 / done


def load(raw, name):
    path = os.path.join(raw, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_hist(raw, name):
    path = os.path.join(raw, name + ".csv")
    if not os.path.exists(path):
        return None
    points = []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                points.append((float(row["percentile"]), float(row["value_ms"])))
            except (KeyError, ValueError):
                continue
    if points and max(p for p, _ in points) <= 1.0:  # fractions rather than percents
        points = [(p * 100.0, v) for p, v in points]
    return points or None


def get(result, key):
    if result is None:
        return None
    value = result.get(key)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def ms(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def rate(v):
    return "n/a" if v is None else "{:,.0f}".format(v)


def count(v):
    return "n/a" if v is None else "{:,}".format(int(v))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return ("%.2f×" % r) if r < 100 else ("%.0f×" % r)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def latency_target(name, a, b):
    """A target row: latency `a` (ours) at or below `b` (Celery's), both in ms."""
    r = ratio(a, b)
    return (name, "ours %s ms, Celery %s ms" % (ms(a), ms(b)), fmt_ratio(r),
            None if r is None else a <= b)


def rate_target(name, a, b, factor):
    """A target row: rate `a` (ours) at least `factor` times `b` (Celery's)."""
    r = ratio(a, b)
    return (name, "ours %s/s, Celery %s/s" % (rate(a), rate(b)), fmt_ratio(r),
            None if r is None else r >= factor)


def targets_table(rows):
    return table(["target", "measured", "ratio", "met"],
                 [(t, m, r, "n/a" if met is None else ("**met**" if met else "**not met**"))
                  for t, m, r, met in rows])


class Report:
    def __init__(self, raw):
        self.raw = raw
        self.run = load(raw, "run") or {}
        self.machine = load(raw, "machine") or {}
        # The shortest scenarios ran `repeats` times, interleaved: each system's median run
        # (by the figure its target is about) stands for it; all runs are listed.
        self.repeats = self.run.get("repeats") or 1
        self.runs = {}  # scenario-system -> [(step, result)] in run order
        self.chosen = {}  # scenario-system -> the step of the median run
        self.sync = {key: self.median("sync-latency-" + key, "p50_ms") for key, _ in SYSTEMS}
        # Each system as just started, before any warm-up load (issue 19), and the server's start.
        self.fresh = {key: load(raw, "sync-latency-%s-fresh" % key) for key in ("faaspot", "celery")}
        self.fresh_async = {key: load(raw, "async-%s-fresh" % key) for key in ("faaspot", "celery")}
        self.start = load(raw, "start")
        # The server's CPU from its start until ready and a spot added, and its JIT compilers'.
        self.start_cpu = {name: load(raw, name + "-cpu") for name in ("first-start", "restart")}
        self.warmup = {key: load(raw, "warmup-" + key) for key in ("faaspot", "celery")}
        self.warmup_bulk = {key: load(raw, "warmup-bulk-" + key) for key in ("faaspot", "celery")}
        self.clients = self.run.get("load_clients", [8, 32])
        self.load = {(c, key): load(raw, "sync-load-%d-%s" % (c, key))
                     for c in self.clients for key in ("faaspot", "celery", "http-floor")}
        self.async_ = {key: load(raw, "async-" + key) for key in ("faaspot", "celery")}
        self.bulk = {key: self.median("bulk-" + key, "completion_rate_per_s")
                     for key in ("faaspot", "celery")}
        # CPU used by each process group while a scenario ran (cpu_usage.py), in the run
        # reported: warm sync latency, async and bulk.
        self.cpu = {(scenario, key): load(raw, "%s-cpu" % self.step("%s-%s" % (scenario, key)))
                    for scenario in CPU_SCENARIOS for key in ("faaspot", "celery")}
        # The same for the fresh steps, where ours also name their JIT compilers' share.
        self.fresh_cpu = {(step, key): load(raw, "%s-%s-fresh-cpu" % (step, key))
                          for step in ("sync-latency", "async") for key in ("faaspot", "celery")}
        self.cold = load(raw, "cold-faaspot")
        self.pip = load(raw, "pip-install")
        self.steps = {s["step"]: s for s in self.run.get("steps", [])}

    def median(self, name, key):
        """The median of the runs of `name` (name-r1, name-r2, ...) by `key`; of an even number,
        the worse of the two middle ones. A run without the figure counts as the worst. A raw
        directory of a single run (`name` alone) is read as it is."""
        runs = [("%s-r%d" % (name, i), load(self.raw, "%s-r%d" % (name, i)))
                for i in range(1, self.repeats + 1)]
        if self.repeats == 1 and runs[0][1] is None:
            runs = [(name, load(self.raw, name))]
        self.runs[name] = runs
        worst = float("inf") if key.endswith("_ms") else float("-inf")
        ordered = sorted(runs, key=lambda r: worst if get(r[1], key) is None else get(r[1], key))
        if not key.endswith("_ms"):
            ordered.reverse()  # the best first: the lowest latency, the highest rate
        step, result = ordered[len(ordered) // 2]
        self.chosen[name] = step
        return result

    def step(self, name):
        """The step whose figures stand for `name` (its median run if it was repeated)."""
        return self.chosen.get(name, name)

    def all_runs(self, name, key, fmt):
        """`key` of each run of `name`, in run order, the reported one in bold."""
        out = []
        for step, result in self.runs.get(name, []):
            v = fmt(get(result, key)) if get(result, key) is not None else "n/a"
            out.append("**%s**" % v if step == self.step(name) else v)
        return " / ".join(out)

    def failed(self, step):
        """'' for a step that ran fine or not at all, else why it failed."""
        s = self.steps.get(step)
        if not s or s.get("exit", 0) == 0:
            return ""
        if s.get("skipped"):
            return "skipped: " + s["skipped"]
        if s["exit"] in (124, 137):
            return "step stopped: still running after its limit of %s s" % s.get("limit_s", "?")
        return "step failed, exit %s" % s["exit"]

    def label(self, step, name):
        why = self.failed(step)
        return "%s (**%s**)" % (name, why) if why else name

    def db_floor_markdown(self):
        """The paragraph on the database floor: what a sync call's durable writes take by
        themselves on this machine, and how far ours is above it and the HTTP floor together."""
        ours, http, db = (get(self.sync[k], "p50_ms") for k in ("faaspot", "http-floor", "db-floor"))
        if db is None:
            return ["", "**Database floor:** not measured in this run (%s)."
                    % (self.failed(self.step("sync-latency-db-floor")) or "no figures")]
        text = ("**Database floor.** The writes a sync call cannot do without, one after the other "
                "from `pgbench` (a client in C) on the same embedded PostgreSQL, in a table with its "
                "primary key only: the call's row inserted and its commit flushed to the disk, then "
                "its result written and committed without waiting for the flush, as the server "
                "answers a sync caller. They took %s ms at p50." % ms(db))
        if ours is not None and http is not None:
            text += (" With the HTTP floor, %s ms: ours is %s ms above the two (the target above "
                     "counts from the HTTP floor alone)." % (ms(http + db), ms(ours - http - db)))
        return ["", text]

    def queue_writes_markdown(self):
        """The server's own timers of the queue's writes in the database over our sync latency
        (the reported run and the fresh one) and async steps (queue_writes.py's deltas)."""
        rows = []
        for label, step in (("sync latency", self.step("sync-latency-faaspot")),
                            ("sync latency, fresh", "sync-latency-faaspot-fresh"),
                            ("async", "async-faaspot")):
            writes = load(self.raw, step + "-writes") or {}
            for write, w in sorted(writes.items(), key=lambda kv: WRITES.index(kv[0])
                                   if kv[0] in WRITES else len(WRITES)):
                rows.append((label, write, count(w.get("count")), ms(w.get("p50_ms")),
                             ms(w.get("p90_ms")), ms(w.get("mean_ms"))))
        if not rows:
            return []
        return ["", "The server's own timers of its writes in the database over the same steps "
                    "(`faaspot_queue_write_seconds`, read before and after each; every statement "
                    "that inserts calls, claims them or records their outcomes, with its commit; "
                    "p50 and p90 read from the histogram's buckets):", "",
                table(["scenario", "write", "statements", "p50 ms", "p90 ms", "mean ms"], rows)]

    # --- the targets of issue 6 -----------------------------------------------------------------
    def targets(self):
        """[(target, measured, ratio, met)], met being True, False or None (not measured)."""
        ours, celery = self.sync["faaspot"], self.sync["celery"]
        floor = self.sync["http-floor"]
        rows = [latency_target("sync %s ≤ Celery's" % p, get(ours, p + "_ms"), get(celery, p + "_ms"))
                for p in ("p50", "p99")]
        a, b = get(ours, "p50_ms"), get(floor, "p50_ms")
        diff = None if a is None or b is None else a - b
        rows.append(("sync p50 within 1 ms of the HTTP floor",
                     "ours %s ms, floor %s ms: %s ms more" % (ms(a), ms(b), ms(diff)),
                     fmt_ratio(ratio(a, b)), None if diff is None else diff <= 1.0))
        rows.append(rate_target("async per-call completion ≥ 2× Celery's",
                                get(self.async_["faaspot"], "completion_rate_per_s"),
                                get(self.async_["celery"], "completion_rate_per_s"), 2.0))
        rows.append(rate_target("bulk completion ≥ 0.5× Celery's `chunks`",
                                get(self.bulk["faaspot"], "completion_rate_per_s"),
                                get(self.bulk["celery"], "completion_rate_per_s"), 0.5))
        first, pip_ms = get(self.cold, "first_ms"), get(self.pip, "total_ms")
        r = ratio(first, pip_ms)
        rows.append(("cold: first result ≤ pip's install time + 1 s",
                     "ours %s ms, pip %s ms (+ 1 s = %s ms)" % (
                         ms(first), ms(pip_ms), ms(None if pip_ms is None else pip_ms + 1000)),
                     fmt_ratio(r),
                     None if first is None or pip_ms is None else first <= pip_ms + 1000))
        second = get(self.cold, "second_ms")
        rows.append(("cold: same requirements, second deployment ≤ 300 ms",
                     "ours %s ms" % ms(second), fmt_ratio(ratio(second, 300.0)),
                     None if second is None else second <= 300))
        big = max(self.clients) if self.clients else 32
        load32 = self.load.get((big, "faaspot"))
        errors, n = get(load32, "errors"), get(load32, "requests")
        why = self.failed("sync-load-%d-faaspot" % big)
        if errors is None and why:
            rows.append(("%d concurrent sync clients: zero errors" % big, why, "n/a", False))
        else:
            rows.append(("%d concurrent sync clients: zero errors" % big,
                         "%s errors in %s calls" % (count(errors), count(n)),
                         "n/a" if errors is None or not n else "%.4f%%" % (100.0 * errors / n),
                         None if errors is None else errors == 0))
        return rows

    def fresh_targets(self):
        """Issue 19's targets on the freshly started systems, and the server's start."""
        ours, celery = self.fresh["faaspot"], self.fresh["celery"]
        rows = [latency_target("fresh: sync %s ≤ Celery's" % p, get(ours, p + "_ms"),
                               get(celery, p + "_ms"))
                for p in ("p50", "p99")]
        rows.append(rate_target("fresh: async completion, 1 client, ≥ 2× Celery's `delay()` loop",
                                get(self.fresh_async["faaspot"], "completion_rate_per_s"),
                                get(self.fresh_async["celery"], "completion_rate_per_s"), 2.0))
        restart = get(self.start, "restart_ready_ms")
        rows.append(("restart: ready and a spot added within 5 s",
                     "%s ms" % count(restart), fmt_ratio(ratio(restart, 5000.0)),
                     None if restart is None else restart <= 5000))
        first = get(self.start, "first_ready_ms")
        rows.append(("first start (new data directory): reported",
                     "ready in %s ms, a spot added at %s ms" % (
                         count(first), count(get(self.start, "first_spot_added_ms"))), "—", None))
        return rows

    def fresh_markdown(self):
        run = self.run
        lines = ["", "## Fresh: each system as just started, before any warm-up", ""]
        st = self.start or {}
        lines.append(
            "The server was started with `%s` (%s). Then one local spot was added and the echo "
            "function deployed; Celery's worker had just started too. In this order: sync latency "
            "(1 client, %s warm-up + %s sequential calls), then %s async calls one after another "
            "from one client (ours: `POST …/rpc/`; Celery: a `delay()` loop), waited for until all "
            "succeeded." % (st.get("command", "?"),
                            "with the ahead-of-time cache the packaging trained"
                            if st.get("aot_cache") else "no ahead-of-time cache",
                            count(run.get("warmup")), count(run.get("requests")),
                            count(run.get("fresh_count"))))
        lines.append("")
        lines.append(targets_table(self.fresh_targets()))
        lines.append("")
        ours = self.fresh["faaspot"]
        rows = []
        for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
            r = self.fresh[key]
            rows.append((self.label("sync-latency-%s-fresh" % key, label), HOW[key],
                         ms(get(r, "p50_ms")), ms(get(r, "p90_ms")), ms(get(r, "p99_ms")),
                         ms(get(r, "max_ms")), rate(get(r, "throughput_per_s")),
                         count(get(r, "errors")),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(ours, "p50_ms"), get(r, "p50_ms"))),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(ours, "p99_ms"), get(r, "p99_ms")))))
        lines.append(table(["system", "sync call", "p50 ms", "p90 ms", "p99 ms", "max ms", "calls/s",
                            "errors", "ours ÷ this, p50", "ours ÷ this, p99"], rows))
        lines.append("")
        o = self.fresh_async["faaspot"]
        rows = []
        for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
            r = self.fresh_async[key]
            rows.append((self.label("async-%s-fresh" % key, label), count(get(r, "requests")),
                         rate(get(r, "submit_rate_per_s")), rate(get(r, "completion_rate_per_s")),
                         count(get(r, "errors")),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "completion_rate_per_s"),
                                                                    get(r, "completion_rate_per_s")))))
        lines.append(table(["system", "async calls (1 client)", "submitted/s", "completed/s", "errors",
                            "ours ÷ this, completed/s"], rows))
        lines += self.fresh_cpu_markdown()
        lines += self.start_cpu_markdown()
        return lines

    def start_cpu_markdown(self):
        """The server's CPU in its two starts, and its JIT compilers' part of it."""
        parts = []
        for name, what in (("first-start", "first start"), ("restart", "restart")):
            groups = (self.start_cpu.get(name) or {}).get("groups") or {}
            server, jit = get(groups, "server"), get(groups, "server_jit")
            if server is None or jit is None:
                continue
            parts.append("%s %.1f s, of which its JIT compilers %.1f s (%.0f%%)" % (
                what, server, jit, 100.0 * jit / server if server else 0.0))
        if not parts:
            return []
        return ["", "The server's own CPU from `java` until ready and a spot added (read just after, "
                    "from `/proc`), on %s cores: %s. The compilers compile the start-up code on the "
                    "cores the start runs on (see `PERFORMANCE.md`, *What the targets come to*)."
                % (self.machine.get("cores (nproc)") or "?", "; ".join(parts))]

    def fresh_cpu_markdown(self):
        """Where the CPU went in the fresh steps: each group's seconds, and ours' JIT compilers."""
        jit = {"server": "server_jit", "agents": "agents_jit"}
        rows = []
        for step, what in (("sync-latency", "sync"), ("async", "async")):
            for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
                c = self.fresh_cpu[(step, key)]
                if not c:
                    continue
                used = c.get("cpu_s") or {}

                def part(g):
                    text = "%s %s" % (g, ms(used.get(g)))
                    if used.get(jit.get(g)) is not None:
                        text += " (JIT %s)" % ms(used[jit[g]])
                    return text
                jit_s = sum(used[j] for j in jit.values() if used.get(j) is not None)
                total = c.get("cpu_s_total")
                share = ("%.0f%%" % (100.0 * jit_s / total)
                         if key == "faaspot" and total else "—")
                rows.append((what, label, ms(total), ms(c.get("wall_s")),
                             "%.2f" % c["cores_busy"] if c.get("cores_busy") is not None else "n/a",
                             ", ".join(part(g) for g in CPU_GROUPS[key] if g in used), share))
        if not rows:
            return []
        return ["", "Where the CPU went in these fresh steps (CPU seconds for the whole step, "
                    "warm-up calls included, from `/proc`; groups as in *Where the CPU goes*). "
                    "In parentheses, the part of the server's and the agents' CPU that their JIT "
                    "compiler threads took, compiling the code that the first calls run; the last "
                    "column is that part of the step's whole CPU. The load generator's own JVM "
                    "compiles too, in `client`, not broken down.",
                "",
                table(["step", "system", "CPU s", "wall s", "cores busy (of %s)" % (
                    self.machine.get("cores (nproc)") or "?"), "by process group, s",
                       "JIT compilers' share"], rows)]

    # --- the markdown ---------------------------------------------------------------------------
    def bulk_storage_markdown(self):
        """Why bulk keeps a row per execution (issue 19 allows storing it per chunk if each
        execution keeps its own id, status, output, logs and cancel): what this run's bulk would
        reach if PostgreSQL's CPU per execution, the part a chunk layout could shrink, were none."""
        per = (self.cpu.get(("bulk", "faaspot")) or {}).get("cpu_ms_per_execution") or {}
        ours, celery = self.bulk.get("faaspot") or {}, self.bulk.get("celery") or {}
        client = client_ms_while_measured(ours)
        cores = self.machine.get("cores (nproc)")
        if not all(per.get(g) is not None for g in ("server", "agents", "postgres")) \
                or client is None or not cores:
            return []
        rest = per["server"] + per["agents"] + client
        ceiling = int(cores) * 1000.0 / rest
        return ["", "**Bulk stored per chunk** (one row for a chunk of executions, each keeping "
                    "its own id, status, output, logs and cancel) is not built. In this run's bulk "
                    "PostgreSQL took %s ms of the %s ms of CPU per execution spent while it was "
                    "measured (server %s, agents %s, client %s). A chunk layout could shrink "
                    "only that part, not remove it: each execution's status, lease and output is "
                    "still written. Even with none of it, and the rest as it is, %s cores kept busy "
                    "throughout would complete at most %s/s, %s Celery's `chunks` (%s/s). What it "
                    "would cost: every path that reads or changes one execution (its status, "
                    "output and logs, cancel, retries, leases and their reaper, lists, retention, "
                    "the console) would have to read two layouts, and a partly run chunk would be "
                    "rewritten whole at each batch of results." % (
                        ms(per["postgres"]), ms(rest + per["postgres"]), ms(per["server"]),
                        ms(per["agents"]), ms(client), cores, rate(ceiling),
                        fmt_ratio(ratio(ceiling, get(celery, "completion_rate_per_s"))),
                        rate(get(celery, "completion_rate_per_s")))]

    def markdown(self, png_name):
        run = self.run
        smoke = run.get("mode") == "smoke"
        lines = ["# FaaSpot benchmark, %s%s" % (run.get("date", "?"),
                                                  " (smoke run: tiny numbers, not figures)" if smoke else ""),
                 ""]
        lines.append(
            "One run of `bench/run.sh%s` on one machine: FaaSpot on the embedded PostgreSQL with one "
            "local spot of %s workers, Celery + Redis (Redis as broker and result backend, one "
            "worker of %s prefork processes), a minimal Python HTTP server and a persistent Python "
            "worker over pipes, all doing the same echo (`return args`). Every FaaSpot execution is "
            "persisted in PostgreSQL as usual, and durably: each commit waits until its write-ahead "
            "log is flushed to the disk (`fsync` and `synchronous_commit` on), as an execution's id "
            "is given only then, except a sync call's result, which its caller gets once written, "
            "before its flush (the server's default, `faaspot.queue.sync-results-before-flush`); "
            "Redis runs without persistence. Ratios are ours ÷ theirs: below 1 is better for "
            "latencies, above 1 is better for rates." % (
                " --smoke" if smoke else "", run.get("workers", "?"), run.get("workers", "?")))
        w = self.warmup.get("faaspot")
        if w is not None or run.get("warmup_count"):
            lines += ["", "**Warm-up.** A JVM compiles its hot code during its first minute of load, "
                      "so before the measured scenarios each system got the same unmeasured warm-up "
                      "load: %s async calls (FaaSpot: %s/s completed; Celery: %s/s), %s "
                      "executions in bulk (FaaSpot: %s/s; Celery: %s/s), then %s s of sync calls "
                      "from 4 clients. Celery's Python does not compile, so this changes little "
                      "for it. Both systems as just started, before that warm-up, are measured "
                      "first and shown in their own section (*Fresh*)." % (
                          count(run.get("warmup_count")),
                          rate(get(w, "completion_rate_per_s")),
                          rate(get(self.warmup.get("celery"), "completion_rate_per_s")),
                          count(run.get("count")),
                          rate(get(self.warmup_bulk.get("faaspot"), "completion_rate_per_s")),
                          rate(get(self.warmup_bulk.get("celery"), "completion_rate_per_s")),
                          run.get("warmup_seconds", "?"))]
        if run.get("aborted"):
            lines += ["", "**This run was stopped before its end**: the figures are those of the "
                      "steps that had finished."]
        if run.get("failed"):
            lines += ["", "**Failed steps:** %s (their figures are missing or show errors)."
                      % ", ".join(run["failed"])]
        lines += ["", "## Targets, warm (issues 6 and 19)", ""]
        lines.append(targets_table(self.targets()))
        lines += self.fresh_markdown()

        # Sync latency
        ours = self.sync["faaspot"]
        lines += ["", "## Sync latency: 1 client, %s warm-up + %s sequential calls" % (
            count(run.get("warmup")), count(run.get("requests"))), ""]
        rows = []
        for key, label in SYSTEMS:
            r = self.sync[key]
            rows.append((self.label(self.step("sync-latency-" + key), label), HOW[key], ms(get(r, "p50_ms")), ms(get(r, "p90_ms")),
                         ms(get(r, "p99_ms")), ms(get(r, "p999_ms")), ms(get(r, "max_ms")),
                         ms(get(r, "mean_ms")), rate(get(r, "throughput_per_s")),
                         count(get(r, "errors")),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(ours, "p50_ms"), get(r, "p50_ms"))),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(ours, "p99_ms"), get(r, "p99_ms")))))
        lines.append(table(["system", "call", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
                            "mean ms", "calls/s", "errors", "ours ÷ this, p50",
                            "ours ÷ this, p99"], rows))
        if self.repeats > 1:
            lines += ["", "Each system ran this scenario %d times, the systems taking turns (ours, "
                      "Celery, the floors, then again); each row is that system's median run by "
                      "p50, and the chart shows the same runs. The p50 of every run, in order, the "
                      "reported one in bold: %s." % (self.repeats, "; ".join(
                          "%s %s ms" % (label, self.all_runs("sync-latency-" + key, "p50_ms", ms))
                          for key, label in SYSTEMS))]
        lines += self.db_floor_markdown()
        lines += ["", "![Sync latency distributions](%s)" % png_name]

        # Sync under load
        lines += ["", "## Sync under load: concurrent clients for %s s each" % run.get("load_seconds", "?"), ""]
        rows = []
        for c in self.clients:
            o = self.load[(c, "faaspot")]
            for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis"),
                               ("http-floor", "HTTP floor")):
                r = self.load[(c, key)]
                rows.append((c, self.label("sync-load-%d-%s" % (c, key), label), count(get(r, "requests")), rate(get(r, "throughput_per_s")),
                             ms(get(r, "p50_ms")), ms(get(r, "p99_ms")), ms(get(r, "max_ms")),
                             count(get(r, "errors")),
                             "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "throughput_per_s"), get(r, "throughput_per_s"))),
                             "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "p99_ms"), get(r, "p99_ms")))))
        lines.append(table(["clients", "system", "calls", "calls/s", "p50 ms", "p99 ms", "max ms",
                            "errors", "ours ÷ this, calls/s", "ours ÷ this, p99"], rows))
        lines += ["", "Celery's clients under load are Python processes (one per client) on the "
                      "same %s cores; ours and the HTTP floor's are threads of the Java load "
                      "generator. In the steps that load the server (under load, async, bulk, and "
                      "the warm-up), the load generator's JVM compiles with C1 only: its optimising "
                      "compiler otherwise took two thirds of its CPU, on the cores the server "
                      "shares." % self.machine.get("cores (nproc)", "?")]

        # Async and bulk
        lines += ["", "## Async per call: %s `POST .../rpc/` (Celery: `delay()`), then wait until all succeed"
                  % count(run.get("count")), ""]
        o = self.async_["faaspot"]
        rows = []
        for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
            r = self.async_[key]
            rows.append((self.label("async-" + key, label), count(get(r, "requests")), rate(get(r, "submit_rate_per_s")),
                         rate(get(r, "completion_rate_per_s")), count(get(r, "errors")),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "submit_rate_per_s"), get(r, "submit_rate_per_s"))),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "completion_rate_per_s"), get(r, "completion_rate_per_s")))))
        lines.append(table(["system", "executions", "submitted/s", "completed/s", "errors",
                            "ours ÷ this, submitted/s", "ours ÷ this, completed/s"], rows))
        lines += ["", "## Bulk: %s executions (ours: `bulk_rpc` in chunks of %s; Celery: `chunks(…, %s)`)"
                  % (count(run.get("count")), run.get("our_chunk", "?"), run.get("celery_chunk", "?")), ""]
        o = self.bulk["faaspot"]
        rows = []
        for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
            r = self.bulk[key]
            rows.append((self.label(self.step("bulk-" + key), label), count(get(r, "requests")), get(r, "chunk") or "n/a",
                         rate(get(r, "submit_rate_per_s")), rate(get(r, "completion_rate_per_s")),
                         count(get(r, "errors")),
                         "—" if key == "faaspot" else fmt_ratio(ratio(get(o, "completion_rate_per_s"), get(r, "completion_rate_per_s")))))
        lines.append(table(["system", "executions", "chunk", "submitted/s", "completed/s",
                            "errors", "ours ÷ this, completed/s"], rows))
        lines += ["", "Completion rates count from the first submit to the last result seen by "
                      "the client. Celery's `chunks` sends each chunk as one task message with one "
                      "result (%s tasks here); each of ours is an execution of its own, persisted."
                  % count(math.ceil((run.get("count") or 0) / (run.get("celery_chunk") or 100)))]
        if self.repeats > 1:
            lines += ["", "Each system ran this scenario %d times, taking turns; each row is that "
                      "system's median run by completion rate, and so are its CPU figures below. "
                      "The completion rate of every run, in order, the reported one in bold: "
                      "FaaSpot %s/s; Celery + Redis %s/s." % (
                          self.repeats, self.all_runs("bulk-faaspot", "completion_rate_per_s", rate),
                          self.all_runs("bulk-celery", "completion_rate_per_s", rate))]

        # Cold
        reqs = (self.cold or {}).get("requirements") or run.get("requirements", "?")
        lines += ["", "## Cold path: requirements `%s`" % reqs, ""]
        pip_ms = get(self.pip, "total_ms")
        first, second = get(self.cold, "first_ms"), get(self.cold, "second_ms")
        lines.append(table(["", "ms", "ours ÷ pip"], [
            (self.label("cold-faaspot", "FaaSpot: create a deployment → its first result"), ms(first),
             fmt_ratio(ratio(first, pip_ms))),
            ("FaaSpot: a second deployment, same requirements → its first result", ms(second),
             fmt_ratio(ratio(second, pip_ms))),
            (self.label("pip-install", "pip itself: `python3 -m venv --without-pip` + `pip install` in a fresh directory"),
             "%s (venv %s + pip %s)" % (ms(pip_ms), ms(get(self.pip, "venv_ms")),
                                       ms(get(self.pip, "pip_install_ms"))), "—"),
        ]))

        # Where the time goes
        stage_rows = []
        for name, r in (("sync latency", ours), ("async", self.async_["faaspot"]),
                        ("bulk", self.bulk["faaspot"])):
            stages = (r or {}).get("stages") or {}
            for stage, s in stages.items():
                stage_rows.append((name, stage, count(s.get("count")), ms(s.get("p50_ms")),
                                   ms(s.get("p99_ms")), ms(s.get("mean_ms")), ms(s.get("max_ms"))))
        if stage_rows:
            lines += ["", "## Where the time goes (the server's and agent's own timings)", ""]
            lines.append(table(["scenario", "stage", "executions", "p50 ms", "p99 ms", "mean ms",
                                "max ms"], stage_rows))
        lines += self.queue_writes_markdown()

        # Where the CPU goes
        cpu_rows = []
        windows = False
        results = {"sync-latency": self.sync, "async": self.async_, "bulk": self.bulk}
        for scenario, shown in CPU_SCENARIOS.items():
            for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis")):
                c = self.cpu[(scenario, key)]
                if not c:
                    continue
                per = c.get("cpu_ms_per_execution") or {}
                made = c.get("switches_per_execution") or {}
                measured = results[scenario].get(key) or {}
                window = measured.get("client_cpu_in_window_s")
                done = measured.get("succeeded")
                windows = windows or (window is not None and bool(done))

                def part(g):
                    text = "%s %s" % (g, ms(per.get(g)))
                    if g == "client" and window is not None and done:
                        text += " (%s while measured)" % ms(client_ms_while_measured(measured))
                    return text
                parts = ", ".join(part(g) for g in CPU_GROUPS[key] if g in per)
                switched = ", ".join("%s %.1f" % (g, made[g]) for g in CPU_GROUPS[key] if g in made)
                cpu_rows.append((shown, label, ms(c.get("cpu_ms_per_execution_total")), parts,
                                 "%.2f" % c["cores_busy"] if c.get("cores_busy") is not None else "n/a",
                                 switched or "n/a"))
        if cpu_rows:
            lines += ["", "## Where the CPU goes (warm sync, async and bulk)", ""]
            lines.append(table(["scenario", "system", "CPU ms per execution", "by process group",
                                "cores busy (of %s)" % (self.machine.get("cores (nproc)") or "?"),
                                "context switches per execution"], cpu_rows))
            lines += ["", "User and system CPU time from `/proc`, from the step's start to its end, "
                          "divided by the executions. Ours: the server's JVM, its local agents with "
                          "their Python workers, PostgreSQL (every process), and the load generator "
                          "(`client`%s). Celery's: the worker with its prefork processes, Redis, and the "
                          "Python client. A rate on this machine cannot exceed its cores divided by "
                          "the CPU per execution. Warm sync is the reported run of the sync latency "
                          "scenario, its warm-up calls included. The context switches are those the "
                          "groups' threads made meanwhile (each a wake-up after a wait, or a "
                          "preemption), from `/proc`; none are read for the client." % (
                              "; in parentheses, its own CPU from its first request to the last "
                              "result seen, which leaves out its JVM's start and its bookkeeping "
                              "afterwards" if windows else "")]
            lines += self.bulk_storage_markdown()

        # Machine
        lines += ["", "## Machine and versions", ""]
        lines.append(table(["", ""], [(k, "`%s`" % v) for k, v in self.machine.items()]))
        if run:
            lines += ["", "Run: %s s in all (build %s s); %s" % (
                run.get("total_s", "?"), run.get("build_s", "?"),
                ", ".join("%s %s s" % (s["step"], s["seconds"]) for s in run.get("steps", [])))]
        return "\n".join(lines) + "\n"

    # --- the chart ------------------------------------------------------------------------------
    def chart(self, path):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

        fig, ax = plt.subplots(figsize=(10, 6), dpi=120)
        styles = {"faaspot": ("#1f77b4", "-"), "celery": ("#d62728", "-"),
                  "http-floor": ("#2ca02c", "--"), "pipe-floor": ("#7f7f7f", ":"),
                  "db-floor": ("#9467bd", "-.")}
        plotted = 0
        right = 10.0
        lines = [(key, label, self.step("sync-latency-" + key), self.sync[key], styles[key])
                 for key, label in SYSTEMS]
        lines += [(key, label + ", fresh", "sync-latency-%s-fresh" % key, self.fresh[key],
                   (styles[key][0], "-."))
                  for key, label in (("faaspot", "FaaSpot"), ("celery", "Celery + Redis"))]
        for key, label, step, r, (color, dash) in lines:
            points = load_hist(self.raw, step)
            if not points:
                continue
            xs, ys = [], []
            for p, v in points:
                if p >= 100.0:
                    continue  # 1/(1-p) is infinite there; the max is in the legend
                xs.append(1.0 / (1.0 - p / 100.0))
                ys.append(max(v, 1e-3))
            ax.plot(xs, ys, dash, color=color, linewidth=1.2 if step.endswith("fresh") else 2,
                    label="%s: p50 %s, p99 %s, max %s ms" % (label, ms(get(r, "p50_ms")),
                                                            ms(get(r, "p99_ms")), ms(get(r, "max_ms"))))
            plotted += 1
            right = max(right, xs[-1] if xs else 10)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ticks = [1, 2, 10, 100, 1000, 10000]
        names = {1: "0%", 2: "50%", 10: "90%", 100: "99%", 1000: "99.9%", 10000: "99.99%"}
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: names.get(int(round(x)), "")))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: ("%g" % y)))
        n = self.run.get("requests")
        ax.set_xlim(1, right * 1.5)
        ax.set_xlabel("percentile (HdrHistogram-style axis: 1 / (1 − percentile))")
        ax.set_ylabel("latency of one call, ms (log scale)")
        title = "Sync call latency, 1 client, %s sequential echo calls" % (count(n) if n else "?")
        sub = "%s · %s cores · %s%s" % (self.run.get("date", ""), self.machine.get("cores (nproc)", "?"),
                                         self.machine.get("cpu", ""),
                                         " · SMOKE RUN" if self.run.get("mode") == "smoke" else "")
        ax.set_title(title + "\n" + sub, fontsize=11)
        ax.grid(True, which="major", alpha=0.35)
        ax.grid(True, which="minor", axis="y", alpha=0.12)
        if plotted:
            ax.legend(loc="upper left", fontsize=9)
        else:
            ax.text(0.5, 0.5, "no latency distributions found", transform=ax.transAxes,
                    ha="center")
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    raw, out_md, out_png = argv[1:]
    report = Report(raw)
    for path in (out_md, out_png):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    report.chart(out_png)
    with open(out_md, "w", encoding="utf-8") as f:
        f.write(report.markdown(os.path.relpath(out_png, os.path.dirname(os.path.abspath(out_md)))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
