#!/usr/bin/env python3
"""Drives the Celery + Redis baseline the way users of Celery would, and writes the same JSON
(and percentile CSV) as the Java load generator.

  sync:  W warm-up + N sequential echo.delay(args).get(), each call's latency recorded;
  async: N echo.delay(args) (submit rate), then wait for every result (completion rate, from
         the first submit to the last result);
  bulk:  echo.chunks([(args,) ...], 100).apply_async() over N items (completion rate);
  sync-load: C client processes, each doing sequential delay().get() for S seconds
         (throughput, latency percentiles, errors).
"""

import argparse
import os
import sys
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--broker-port", type=int, required=True)
    p.add_argument("--scenario", choices=["sync", "async", "bulk", "sync-load"], required=True)
    p.add_argument("--requests", "--count", dest="count", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--chunk", type=int, default=100)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for results")
    p.add_argument("--out")
    p.add_argument("--hist-out")
    return p.parse_args()


def main():
    a = parse()
    os.environ["BENCH_REDIS_PORT"] = str(a.broker_port)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import benchstats
    from celery_app import app, echo

    if a.scenario == "sync-load":
        return _sync_load(a, benchstats)

    # One connection up front, so that the first measured call does not pay for it.
    app.connection_for_write().ensure_connection(max_retries=3)

    if a.scenario == "sync":
        for i in range(a.warmup):
            echo.delay({"n": i}).get(timeout=a.timeout)
        latencies, errors = [], 0
        start = time.perf_counter()
        for i in range(a.count):
            t0 = time.perf_counter()
            try:
                value = echo.delay({"n": i}).get(timeout=a.timeout)
                if value != {"n": i}:
                    raise ValueError("wrong answer %r" % (value,))
                latencies.append((time.perf_counter() - t0) * 1000.0)
            except Exception as e:  # noqa: BLE001 - counted, reported once
                errors += 1
                if errors == 1:
                    print("celery sync error: %r" % (e,), file=sys.stderr)
        elapsed = time.perf_counter() - start
        result = benchstats.summary("sync-latency", latencies, elapsed, errors,
                                    system="celery", clients=1, warmup=a.warmup)
        benchstats.write_outputs(result, latencies, a.out, a.hist_out)

    elif a.scenario == "async":
        for i in range(min(a.warmup, 50)):
            echo.delay({"n": i}).get(timeout=a.timeout)
        start = time.perf_counter()
        pending = [echo.delay({"n": i}) for i in range(a.count)]
        submitted = time.perf_counter()
        errors = _wait_all(pending, a.timeout)
        done = time.perf_counter()
        result = benchstats.summary(
            "async", [], done - start, errors, system="celery",
            submit_rate_per_s=round(a.count / (submitted - start), 3),
            completion_rate_per_s=round((a.count - errors) / (done - start), 3))
        result["throughput_per_s"] = result["completion_rate_per_s"]
        result["requests"] = a.count
        benchstats.write_outputs(result, None, a.out, None)

    else:
        for i in range(min(a.warmup, 50)):
            echo.delay({"n": i}).get(timeout=a.timeout)
        items = [({"n": i},) for i in range(a.count)]
        start = time.perf_counter()
        group_result = echo.chunks(items, a.chunk).apply_async()
        submitted = time.perf_counter()
        errors = 0
        try:
            chunks = group_result.get(timeout=a.timeout)
            got = [value for chunk in chunks for value in chunk]
            errors = sum(1 for i, v in enumerate(got) if v != {"n": i}) + (a.count - len(got))
        except Exception as e:  # noqa: BLE001
            print("celery bulk error: %r" % (e,), file=sys.stderr)
            errors = a.count
        done = time.perf_counter()
        result = benchstats.summary(
            "bulk", [], done - start, errors, system="celery", chunk=a.chunk,
            submit_rate_per_s=round(a.count / (submitted - start), 3),
            completion_rate_per_s=round((a.count - errors) / (done - start), 3))
        result["throughput_per_s"] = result["completion_rate_per_s"]
        result["requests"] = a.count
        benchstats.write_outputs(result, None, a.out, None)
    return 0 if result["errors"] == 0 else 1


def _load_client(port, warmup, ready, go, deadline_box, queue):
    """One client process: its own app and connections; warms up, waits for the common start,
    then calls until the deadline. Puts (latencies_ms, errors, first_error) on the queue."""
    os.environ["BENCH_REDIS_PORT"] = str(port)
    from celery_app import echo
    for i in range(warmup):
        echo.delay({"n": i}).get(timeout=60)
    ready.release()
    go.wait()
    deadline = deadline_box.value
    latencies, errors, first_error, i = [], 0, None, 0
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        try:
            value = echo.delay({"n": i}).get(timeout=60)
            if value != {"n": i}:
                raise ValueError("wrong answer %r" % (value,))
            latencies.append((time.perf_counter() - t0) * 1000.0)
        except Exception as e:  # noqa: BLE001
            errors += 1
            first_error = first_error or repr(e)
        i += 1
    queue.put((latencies, errors, first_error))


def _sync_load(a, benchstats):
    import multiprocessing as mp
    ctx = mp.get_context("spawn")
    ready, go = ctx.Semaphore(0), ctx.Event()
    deadline_box = ctx.Value("d", 0.0)
    queue = ctx.Queue()
    warmup = max(1, a.warmup // a.clients)
    procs = [ctx.Process(target=_load_client,
                         args=(a.broker_port, warmup, ready, go, deadline_box, queue))
             for _ in range(a.clients)]
    for proc in procs:
        proc.start()
    for _ in procs:
        if not ready.acquire(timeout=120):
            raise SystemExit("celery sync-load: a client did not start")
    start = time.perf_counter()
    deadline_box.value = start + a.seconds
    go.set()
    latencies, errors = [], 0
    for _ in procs:
        lat, err, first_error = queue.get(timeout=a.seconds + 120)
        latencies.extend(lat)
        errors += err
        if first_error:
            print("celery sync-load error: %s" % first_error, file=sys.stderr)
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.join(timeout=30)
    result = benchstats.summary("sync-load", latencies, elapsed, errors, system="celery",
                                clients=a.clients, seconds=a.seconds, warmup=warmup * a.clients)
    benchstats.write_outputs(result, latencies, a.out, a.hist_out)
    return 0 if errors == 0 else 1


def _wait_all(pending, timeout):
    """Waits for every result; answers how many failed or were wrong."""
    from celery.result import ResultSet
    errors = 0
    try:
        values = ResultSet(pending).get(timeout=timeout, propagate=False)
        errors = sum(1 for i, v in enumerate(values) if v != {"n": i})
    except Exception as e:  # noqa: BLE001
        print("celery async error: %r" % (e,), file=sys.stderr)
        errors = len(pending)
    return errors


if __name__ == "__main__":
    sys.exit(main())
