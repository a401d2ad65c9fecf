#!/usr/bin/env python3
"""The floor of a sync call's durable writes: what the database alone takes for the writes a
sync call cannot do without, one after another, from a client written in C (`pgbench`) on the
same PostgreSQL as the server's (its embedded one, found in the server's data directory):

  1. its row inserted, and that commit flushed to the disk (every execution is a durable row);
  2. its result written into the row, committed without waiting for the flush (as the server
     answers a sync caller: README, "What it guarantees").

Each is one round trip. The table has its primary key only, in a database of its own
(faaspot_bench_floor), so the product's tables are not touched. Each call's latency is pgbench's
own per-transaction figure (its --log); the output is the same JSON (scenario "db-floor") and
percentile CSV as the Java load generator's.

    db_floor.py --data-dir DIR [--pgbench PATH] [--psql PATH] [--warmup N] [--requests N]
                [--out JSON] [--hist-out CSV]
"""

import argparse
import glob
import os
import subprocess
import sys
import tempfile

DATABASE = "faaspot_bench_floor"
SETUP = """
CREATE TABLE IF NOT EXISTS floor_calls (
  id uuid PRIMARY KEY, args jsonb NOT NULL, status text NOT NULL, output jsonb,
  created_at timestamptz NOT NULL, finished_at timestamptz);
TRUNCATE floor_calls;
"""
# One pgbench transaction is one call: two statements, each its own implicit transaction.
CALL = """\\set n random(1, 1000000000)
INSERT INTO floor_calls (id, args, status, created_at)
  VALUES (gen_random_uuid(), jsonb_build_object('n', :n::text), 'Started', now()) RETURNING id \\gset
UPDATE floor_calls SET status = 'Success', output = args, finished_at = now()
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS later WHERE floor_calls.id = :id;
"""


def connection(data_dir):
    """The environment that takes psql and pgbench to the embedded PostgreSQL: its port (line 4
    of postmaster.pid) and its superuser's password, both in the server's data directory."""
    with open(os.path.join(data_dir, "postgres", "postmaster.pid"), encoding="utf-8") as f:
        port = f.read().splitlines()[3].strip()
    with open(os.path.join(data_dir, "postgres-password"), encoding="utf-8") as f:
        password = f.read().strip()
    return dict(os.environ, PGPASSWORD=password, PGHOST="127.0.0.1", PGPORT=port,
                PGUSER="postgres", PGOPTIONS="-c client_min_messages=warning")


def psql(psql_bin, env, database, sql):
    """Runs `sql` in `database`; what it printed, unaligned and without headers."""
    return subprocess.run([psql_bin, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database,
                           "-c", sql], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def pgbench(pgbench_bin, env, script, transactions, log_dir=None):
    """Runs `transactions` calls from one client; with log_dir, pgbench logs each one there."""
    command = [pgbench_bin, "-n", "-M", "prepared", "-c", "1", "-t", str(transactions),
               "-f", script, DATABASE]
    if log_dir:
        command[1:1] = ["--log", "--log-prefix", os.path.join(log_dir, "calls")]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("db floor: pgbench failed (%d): %s" % (done.returncode, done.stderr.strip()))
    return done.stdout


def latencies_ms(log_dir):
    """Each logged call's latency: the third field of pgbench's per-transaction log, in µs."""
    out = []
    for path in glob.glob(os.path.join(log_dir, "calls*")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3:
                    out.append(int(fields[2]) / 1000.0)
    return out


def main(a):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import benchstats

    pgbench_bin, psql_bin = a.pgbench, a.psql
    env = connection(a.data_dir)
    exists = psql(psql_bin, env, "postgres",
                  "SELECT 1 FROM pg_database WHERE datname = '%s'" % DATABASE)
    if exists != "1":
        psql(psql_bin, env, "postgres", "CREATE DATABASE " + DATABASE)
    psql(psql_bin, env, DATABASE, SETUP)
    with tempfile.TemporaryDirectory(prefix="db-floor.") as work:
        script = os.path.join(work, "call.sql")
        with open(script, "w", encoding="utf-8") as f:
            f.write(CALL)
        if a.warmup > 0:
            pgbench(pgbench_bin, env, script, a.warmup)
        logs = os.path.join(work, "log")
        os.mkdir(logs)
        pgbench(pgbench_bin, env, script, a.requests, logs)
        latencies = latencies_ms(logs)
    if len(latencies) != a.requests:
        sys.exit("db floor: pgbench logged %d calls of %d" % (len(latencies), a.requests))
    # Each call did both writes: its row is there, with its result.
    done = psql(psql_bin, env, DATABASE,
                "SELECT count(*) FILTER (WHERE status = 'Success' AND output = args"
                " AND finished_at IS NOT NULL), count(*) FROM floor_calls")
    expected = "%d|%d" % (a.warmup + a.requests, a.warmup + a.requests)
    if done != expected:
        sys.exit("db floor: rows with their result, and rows, %s; expected %s" % (done, expected))
    # One client, one call after another: the calls' time is the step's.
    result = benchstats.summary("db-floor", latencies, sum(latencies) / 1000.0,
                                system="db-floor", clients=1, warmup=a.warmup)
    benchstats.write_outputs(result, latencies, a.out, a.hist_out)
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data-dir", required=True, help="the server's data directory")
    p.add_argument("--pgbench", default="pgbench", help="default: the one on PATH")
    p.add_argument("--psql", default="psql", help="default: the one on PATH")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--out")
    p.add_argument("--hist-out")
    sys.exit(main(p.parse_args()))
