#!/usr/bin/env python3
"""The floor of "a persistent Python worker over pipes": this process starts one child Python
worker (this file with --child), which imported its function once, and sends it N sequential
echo requests over its stdin, reading each answer from its stdout. Frames are a 4-byte
big-endian length and that many bytes of UTF-8 JSON, both ways. Each call's round trip is
recorded; the output is the same JSON (scenario "pipe-floor") and percentile CSV as the Java
load generator.
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import time

HEADER = struct.Struct(">I")


def read_exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError("pipe closed")
        data += chunk
    return data


def read_frame(stream):
    (length,) = HEADER.unpack(read_exactly(stream, HEADER.size))
    return read_exactly(stream, length)


def write_frame(stream, payload):
    stream.write(HEADER.pack(len(payload)) + payload)
    stream.flush()


def child():
    def main(args, context):  # the echo function
        return args

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            request = json.loads(read_frame(stdin))
        except EOFError:
            return 0
        write_frame(stdout, json.dumps(main(request, None)).encode("utf-8"))


def parent(a):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import benchstats

    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)

    def call(i):
        write_frame(proc.stdin, json.dumps({"n": str(i)}).encode("utf-8"))
        answer = json.loads(read_frame(proc.stdout))
        if answer != {"n": str(i)}:
            raise ValueError("wrong answer %r" % (answer,))

    try:
        for i in range(a.warmup):
            call(i)
        latencies, errors = [], 0
        start = time.perf_counter()
        for i in range(a.requests):
            t0 = time.perf_counter()
            try:
                call(i)
                latencies.append((time.perf_counter() - t0) * 1000.0)
            except (ValueError, EOFError) as e:
                errors += 1
                print("pipe floor error: %r" % (e,), file=sys.stderr)
                if isinstance(e, EOFError):
                    break
        elapsed = time.perf_counter() - start
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    result = benchstats.summary("pipe-floor", latencies, elapsed, errors,
                                system="pipe-floor", clients=1, warmup=a.warmup)
    benchstats.write_outputs(result, latencies, a.out, a.hist_out)
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    if "--child" in sys.argv[1:]:
        sys.exit(child())
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--out")
    p.add_argument("--hist-out")
    sys.exit(parent(p.parse_args()))
