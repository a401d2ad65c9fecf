#!/usr/bin/env bash
# The benchmark, in one command (issue 6): bench/run.sh [--smoke]
#
# Starts everything itself -- a FaaSpot server on the embedded default with one local spot,
# Redis and a Celery worker, the minimal Python HTTP server -- runs every scenario against ours
# and the baselines, stops what it started (by pid), and writes the results. First, the server's
# start (issue 19): on a new data directory, then again on the same one; then each system as just
# started (fresh), then warmed up (every other scenario).
#   full run:  bench/results/<date>.md, bench/results/<date>-sync-latency.png and the raw
#              figures in bench/results/<date>-raw/
#   --smoke:   the same flow with tiny numbers (seconds), into a temporary directory; exits
#              non-zero if any step fails (CI runs it so that it cannot rot).
# WORKERS (2) is both the local spot's workers and the Celery worker's processes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

MODE=full
case "${1:-}" in
  "") ;;
  --smoke) MODE=smoke ;;
  -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "usage: bench/run.sh [--smoke]" >&2; exit 2 ;;
esac

WORKERS="${WORKERS:-2}"
PY=/usr/bin/python3 # Debian's: python3-celery, python3-redis and python3-matplotlib live there
REQUIREMENTS="${BENCH_REQUIREMENTS:-six}" # the cold scenario's one small requirement
if [[ $MODE == smoke ]]; then
  WARMUP=20 REQUESTS=100 LOAD_SECONDS=2 COUNT=500 OUR_CHUNK=100 CELERY_CHUNK=100 FRESH_COUNT=100
  WARMUP_COUNT=300 WARMUP_SECONDS=2 STEP_TIMEOUT=300 REPEATS=2
else
  WARMUP=200 REQUESTS=2000 LOAD_SECONDS=20 COUNT=20000 OUR_CHUNK=1000 CELERY_CHUNK=100 FRESH_COUNT=2000
  WARMUP_COUNT=40000 WARMUP_SECONDS=20 STEP_TIMEOUT=900 REPEATS=3
fi
# The two shortest scenarios (sync latency, a few seconds; bulk, one or two) swing most from one
# moment to the next on a shared machine, so each runs REPEATS times, the systems interleaved
# (ours, theirs, ours, theirs...); the report takes each system's median run and lists them all.
# WARMUP_COUNT async calls, COUNT executions in bulk, then WARMUP_SECONDS of sync calls from 4
# clients: the unmeasured load
# each system gets before the measured scenarios (a JVM compiles its hot code in its first minute
# of load). FaaSpot's sync latency is also measured once before that, on the freshly started
# server, and reported as its own row.
LOAD_CLIENTS=(8 32)
PROBE_SECONDS=30 # before each of our steps, one sync call must answer within this

log() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }
RUN_START=$SECONDS

# --- what it needs ---------------------------------------------------------------------------
if ! command -v redis-server > /dev/null || ! command -v redis-cli > /dev/null \
  || ! "$PY" -c 'import celery, redis, matplotlib' 2> /dev/null; then
  log "installing redis-server, python3-celery, python3-redis, python3-matplotlib"
  pkgs=(redis-server python3-celery python3-redis python3-matplotlib)
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" > /dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" > /dev/null; }
fi
"$PY" -c 'import celery, redis, matplotlib' || die "python3-celery, python3-redis, python3-matplotlib missing"
# The database floor's client (pgbench, with psql): on PATH or in Debian's PostgreSQL packages.
pg_tool() { command -v "$1" 2> /dev/null || ls -d /usr/lib/postgresql/*/bin/"$1" 2> /dev/null | sort -V | tail -1; }
if [[ -z $(pg_tool pgbench) || -z $(pg_tool psql) ]]; then
  log "installing postgresql (for pgbench and psql)"
  apt-get install -y -qq --no-install-recommends postgresql > /dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql > /dev/null; }
fi
PGBENCH="$(pg_tool pgbench)" PSQL="$(pg_tool psql)"
[[ -n $PGBENCH && -n $PSQL ]] || die "pgbench and psql are required (Debian: postgresql)"
command -v curl > /dev/null || die "curl is required"

if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ -n ${JAVA_HOME:-} ]]; then export PATH="$JAVA_HOME/bin:$PATH"; fi
# pip on these machines reaches only a local mirror; the server passes this on to its agents.
if [[ -z ${PIP_INDEX_URL:-} && -d /opt/pypi/simple ]]; then
  export PIP_INDEX_URL=file:///opt/pypi/simple
fi

log "building (./mvnw -B -q -DskipTests package)"
t0=$SECONDS
./mvnw -B -q -DskipTests package
BUILD_S=$((SECONDS - t0))
SERVER_JAR="$ROOT/api/target/faaspot-server.jar"
AGENT_JAR="$ROOT/spot-agent/target/faaspot-agent.jar"
BENCH_JAR="$ROOT/bench/target/faaspot-bench.jar"
for jar in "$SERVER_JAR" "$AGENT_JAR" "$BENCH_JAR"; do
  [[ -f $jar ]] || die "$jar missing after the build"
done
# The server as the README starts it: on the bean definitions Spring's AOT processing generated,
# and on JDK 25+ the extracted jar with the ahead-of-time cache the packaging trained (its agents
# then use theirs); else the jar itself. AOTMode=on: the run
# fails rather than measure without a cache it says it used.
SERVER_AOT="$ROOT/api/target/server/faaspot-server.aot"
if [[ -f $SERVER_AOT ]]; then
  SERVER_CMD=(java -XX:AOTMode=on "-XX:AOTCache=$SERVER_AOT" -Dspring.aot.enabled=true -jar "$ROOT/api/target/server/faaspot-server.jar")
  AOT_CACHE=true
else
  SERVER_CMD=(java -Dspring.aot.enabled=true -jar "$SERVER_JAR")
  AOT_CACHE=false
fi
log "server command: ${SERVER_CMD[*]}"

# --- where things go ---------------------------------------------------------------------------
DATE="$(date +%F)"
WORK="$(mktemp -d /tmp/faaspot-bench-work.XXXXXX)"
chmod 711 "$WORK" # each spot's functions run as its own uid, which must pass through to its directory
LOGS="$WORK/logs"
mkdir -p "$LOGS"
if [[ $MODE == smoke ]]; then
  RESULTS="$(mktemp -d /tmp/faaspot-bench-smoke.XXXXXX)"
  RAW="$RESULTS/raw"
  REPORT_MD="$RESULTS/$DATE.md"
  REPORT_PNG="$RESULTS/$DATE-sync-latency.png"
else
  RESULTS="$ROOT/bench/results"
  RAW="$RESULTS/$DATE-raw"
  REPORT_MD="$RESULTS/$DATE.md"
  REPORT_PNG="$RESULTS/$DATE-sync-latency.png"
  rm -rf "$RAW"
fi
mkdir -p "$RAW"

# --- everything started is stopped, by pid, newest first --------------------------------------
PIDS=()
NAMES=()
REPORTED=0
STEPS_STARTED=0
STEP_PID=
started() { PIDS+=("$1"); NAMES+=("$2"); }
stop_pid() { # PID NAME: SIGTERM, then SIGKILL after 30 s
  local pid=$1 name=$2 i
  kill -0 "$pid" 2> /dev/null || { wait "$pid" 2> /dev/null || true; return 0; }
  kill -TERM "$pid" 2> /dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2> /dev/null; then
    echo "bench: $name ($pid) did not stop in 30 s, killing it" >&2
    kill -KILL "$pid" 2> /dev/null || true
  fi
  wait "$pid" 2> /dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i
  if [[ -n $STEP_PID ]]; then stop_pid "$STEP_PID" "the running step"; fi
  if ((REPORTED == 0 && STEPS_STARTED == 1)); then
    echo "bench: stopped early; the report of what ran:" >&2
    write_report true || true
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[i]}" "${NAMES[i]}"
  done
  # What the server started and left behind if it had to be killed (its local agents, their
  # function processes, the embedded PostgreSQL): only processes naming this run's directory.
  local left=() p
  for p in /proc/[0-9]*; do
    if grep -qsF "$WORK" "$p/cmdline" "$p/environ" 2> /dev/null; then left+=("${p#/proc/}"); fi
  done
  if ((${#left[@]})); then
    echo "bench: stopping what the server left running: ${left[*]}" >&2
    kill -TERM "${left[@]}" 2> /dev/null || true
    sleep 5
    kill -KILL "${left[@]}" 2> /dev/null || true
  fi
  if ((rc != 0)) && [[ -d $LOGS ]]; then
    for f in "$LOGS"/server.log "$LOGS"/celery-worker.log "$DATA"/spots/*/agent.log; do
      [[ -f $f ]] || continue
      echo "---- last lines of $f" >&2
      tail -30 "$f" >&2
    done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
DATA="$WORK/data"
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # SECONDS PID DESCRIPTION COMMAND...: until COMMAND succeeds, while PID lives
  local seconds=$1 pid=$2 what=$3 i
  shift 3
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2> /dev/null || die "$what exited while starting"
    sleep 0.2
  done
  die "$what not ready after $seconds s"
}
json_field() { # FIELD: reads JSON on stdin; a bare JSON string answers itself
  "$PY" -c 'import json, sys
v = json.load(sys.stdin)
print(v if isinstance(v, str) else v[sys.argv[1]])' "$1"
}

# --- start: from `java` to ready, on a new data directory and again on the same one ---------
# Ready: the readiness endpoint answers UP and a spot can be added (PUT /api/spots/ answers with
# its task). On a server of its own, stopped after, so that the scenarios' server keeps one spot.
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
start_server() { # PORT DATA LOG: starts the server in the background (SERVER_PID)
  SERVER_PORT="$1" FAASPOT_DATA_DIR="$2" FAASPOT_SPOTS_LOCAL_AGENT_JAR="$AGENT_JAR" \
    "${SERVER_CMD[@]}" > "$3" 2>&1 &
  SERVER_PID=$!
}
ready_ms() { # T0 BASE [TOKEN]: ms from T0 until ready; with a token, until a spot is added too
  local t0=$1 base=$2
  # wait_for's own loop, polled every 50 ms rather than 200 for the figure's sake.
  until curl -fsS -o /dev/null "$base/actuator/health/readiness" 2> /dev/null; do
    kill -0 "$SERVER_PID" 2> /dev/null || die "the server exited while starting"
    (($(now_ms) - t0 < 180000)) || die "the server was not ready after 180 s"
    sleep 0.05
  done
  if [[ -n ${3:-} ]]; then
    curl -fsS -o /dev/null -X PUT -H "Authorization: Token $3" "$base/api/spots/" \
      || die "adding a spot after the start failed"
  fi
  echo $(($(now_ms) - t0))
}
# The server's CPU from its start until then (read just after a spot was added), and its JIT
# compilers' part of it (PERFORMANCE.md, "What the targets come to": where a restart's CPU goes).
start_cpu() { # NAME: into $RAW/NAME-cpu.json
  "$PY" bench/baselines/cpu_usage.py snap "$RAW/$1-cpu.json" \
    "server=self:$SERVER_PID" "server_jit=jit:$SERVER_PID"
}
START_DATA="$WORK/start-data"
START_BASE="http://127.0.0.1:$(free_port)"
mkdir -p "$START_DATA"
log "start: the server on a new data directory, then again on the same one"
t0="$(now_ms)"
start_server "${START_BASE##*:}" "$START_DATA" "$LOGS/server-start.log"
started "$SERVER_PID" server-start
FIRST_READY_MS="$(ready_ms "$t0" "$START_BASE")"
start_token="$(curl -fsS -X POST -H "Authorization: Token $(cat "$START_DATA/admin-token")" \
  -H 'Content-type: application/json' -d '{"username": "start"}' \
  "$START_BASE/api/admin/accounts" | json_field token)"
FIRST_SPOT_MS="$(ready_ms "$t0" "$START_BASE" "$start_token")"
start_cpu first-start
stop_pid "$SERVER_PID" server-start
t0="$(now_ms)"
start_server "${START_BASE##*:}" "$START_DATA" "$LOGS/server-restart.log"
started "$SERVER_PID" server-restart
RESTART_MS="$(ready_ms "$t0" "$START_BASE" "$start_token")"
start_cpu restart
stop_pid "$SERVER_PID" server-restart
log "start: ready in $FIRST_READY_MS ms on a new data directory (a spot added at $FIRST_SPOT_MS ms); restarted: ready and a spot added in $RESTART_MS ms"
cat > "$RAW/start.json" << EOF
{"first_ready_ms": $FIRST_READY_MS, "first_spot_added_ms": $FIRST_SPOT_MS,
 "restart_ready_ms": $RESTART_MS, "aot_cache": $AOT_CACHE, "command": "${SERVER_CMD[*]}"}
EOF

# --- our server, one local spot, the echo deployment ------------------------------------------
SERVER_PORT_="$(free_port)"
BASE="http://127.0.0.1:$SERVER_PORT_"
log "starting the server on $BASE (data in $DATA)"
mkdir -p "$DATA"
start_server "$SERVER_PORT_" "$DATA" "$LOGS/server.log"
started "$SERVER_PID" server
wait_for 180 "$SERVER_PID" "the server" curl -fsS "$BASE/actuator/health/readiness"
ADMIN_TOKEN="$(cat "$DATA/admin-token")"
# The embedded PostgreSQL's postmaster: a child of the server (through setpriv), so the agents'
# CPU group below leaves its tree out, and it is a group of its own.
PG_PID="$(head -1 "$DATA/postgres/postmaster.pid")"

api() { # METHOD PATH [JSON] with the bench account's token (or TOKEN_OVERRIDE)
  local args=(-sS --fail-with-body -X "$1" -H "Authorization: Token ${TOKEN_OVERRIDE:-$TOKEN}"
    -H 'Content-type: application/json' "$BASE$2")
  if [[ $# -ge 3 ]]; then args+=(-d "$3"); fi
  curl "${args[@]}"
}
wait_execution() { # ID WHAT SECONDS: until the execution is Success
  local id=$1 what=$2 seconds=$3 i status answer
  for ((i = 0; i < seconds * 5; i++)); do
    answer="$(api GET "/api/executions/$id")"
    status="$(json_field status <<< "$answer")"
    case "$status" in
      Success) return 0 ;;
      Failure | Cancelled) die "$what: $status: $answer" ;;
    esac
    sleep 0.2
  done
  die "$what not done after $seconds s: $answer"
}

TOKEN="$(TOKEN_OVERRIDE="$ADMIN_TOKEN" api POST /api/admin/accounts '{"username": "bench"}' | json_field token)"
log "workers per spot: $(api PATCH /api/spots/ "{\"min_workers\": \"$WORKERS\", \"max_workers\": \"$WORKERS\"}")"
t0=$SECONDS
spot_task="$(api PUT /api/spots/ | json_field id)"
wait_execution "$spot_task" "adding a local spot" 180
log "local spot ready in $((SECONDS - t0)) s: $(api GET /api/spots/ | "$PY" -c 'import json, sys; print([s["ip"] for s in json.load(sys.stdin)])')"
echo_body="$("$PY" -c 'import json, urllib.parse as u
print(json.dumps({"name": "echo", "code": u.quote("def main(args, context):\n    return args\n"),
                  "requirements": "", "context": ""}))')"
deploy_task="$(api PUT /api/deployments/ "$echo_body" | json_field id)"
wait_execution "$deploy_task" "creating the echo deployment" 300
log "echo deployment ready"

# --- the baselines -----------------------------------------------------------------------------
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$WORK" --logfile "$LOGS/redis.log" &
REDIS_PID=$!
started "$REDIS_PID" redis
wait_for 30 "${PIDS[-1]}" redis redis-cli -p "$REDIS_PORT" ping
BENCH_REDIS_PORT="$REDIS_PORT" "$PY" -m celery --workdir "$ROOT/bench/baselines" -A celery_app \
  worker --concurrency "$WORKERS" --pool prefork --loglevel WARNING \
  --without-gossip --without-mingle --without-heartbeat > "$LOGS/celery-worker.log" 2>&1 &
CELERY_PID=$!
started "$CELERY_PID" celery-worker
(cd bench/baselines && wait_for 60 "${PIDS[-1]}" "the Celery worker" \
  env BENCH_REDIS_PORT="$REDIS_PORT" "$PY" -m celery -A celery_app inspect ping -t 2)
log "redis on $REDIS_PORT, celery worker with $WORKERS processes"
HTTP_PORT="$(free_port)"
"$PY" bench/baselines/http_floor.py --port "$HTTP_PORT" > "$LOGS/http-floor.log" 2>&1 &
started $! http-floor
wait_for 30 "${PIDS[-1]}" "the HTTP floor" curl -fsS "http://127.0.0.1:$HTTP_PORT/?n=1"

# --- the machine, the run and the report --------------------------------------------------------
write_report() { # also from cleanup when a run is stopped early: a report of what it has
  REPORTED=1
  local aborted=${1:-false}
  local PG_BIN steps_json
  PG_BIN="$(ps -eo args= | awk -v d="$DATA/postgres" '$2 == "-D" && $3 == d { print $1; exit }')"
  export BENCH_PG_VERSION="$([[ -n $PG_BIN ]] && "$PG_BIN" --version 2> /dev/null || echo unknown)"
  export BENCH_JAVA_VERSION="$(java -version 2>&1 | head -1)"
  export BENCH_REDIS_VERSION="$(redis-server --version)"
  # This run's own results (bench/results) do not count as changes to the code measured.
  export BENCH_GIT="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)$(git diff --quiet HEAD -- . ':(exclude)bench/results' 2> /dev/null || echo ' (with uncommitted changes)')"
  "$PY" - "$RAW/machine.json" << 'EOF'
import json, os, platform, subprocess, sys
import celery, redis
cpu = "unknown"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
mem_kb = 0
with open("/proc/meminfo") as f:
    for line in f:
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
info = {
    "cores (nproc)": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
    "cpu": cpu,
    "memory": "%.1f GiB" % (mem_kb / 1024 / 1024),
    "kernel": platform.release(),
    "os": platform.freedesktop_os_release().get("PRETTY_NAME", "unknown"),
    "java": os.environ["BENCH_JAVA_VERSION"],
    "python": "%s (%s)" % (platform.python_version(), sys.executable),
    "celery": celery.__version__,
    "redis-py": redis.__version__,
    "redis": os.environ["BENCH_REDIS_VERSION"],
    "postgresql": os.environ["BENCH_PG_VERSION"],
    "faaspot": os.environ["BENCH_GIT"],
}
json.dump(info, open(sys.argv[1], "w"), indent=2)
EOF
  steps_json="$(IFS=,; echo "${STEPS_JSON[*]}")"
  cat > "$RAW/run.json" << EOF
{"mode": "$MODE", "date": "$DATE", "workers": $WORKERS, "warmup": $WARMUP, "requests": $REQUESTS,
 "load_seconds": $LOAD_SECONDS, "load_clients": [$(IFS=,; echo "${LOAD_CLIENTS[*]}")],
 "count": $COUNT, "fresh_count": $FRESH_COUNT, "our_chunk": $OUR_CHUNK, "celery_chunk": $CELERY_CHUNK, "warmup_count": $WARMUP_COUNT,
 "warmup_seconds": $WARMUP_SECONDS, "repeats": $REPEATS,
 "requirements": "$REQUIREMENTS", "build_s": $BUILD_S, "total_s": $((SECONDS - RUN_START)),
 "aborted": $aborted,
 "failed": [$(for f in "${FAILED[@]}"; do printf '"%s",' "$f"; done | sed 's/,$//')],
 "steps": [$steps_json]}
EOF

  "$PY" bench/report.py "$RAW" "$REPORT_MD" "$REPORT_PNG"
  echo
  cat "$REPORT_MD"
  echo
  log "report: $REPORT_MD, chart: $REPORT_PNG, raw figures: $RAW"
  if [[ $MODE != smoke ]]; then
    # PERFORMANCE.md's table of every full run is made from the reports in bench/results, and CI
    # checks it (bench/history.py): a report kept there needs its row.
    log "to keep this run, commit it with its row in PERFORMANCE.md: python3 bench/history.py --write PERFORMANCE.md"
  fi
}

# --- the scenarios -----------------------------------------------------------------------------
FAILED=()
STEPS_JSON=()
scrape() { # FILE: the server's metrics now (empty if it does not answer)
  curl -fsS -m 10 -H "Authorization: Token $ADMIN_TOKEN" "$BASE/actuator/prometheus" > "$1" 2> /dev/null \
    || : > "$1"
}
step() { # NAME COMMAND...: runs it bounded in time (STEP_LIMIT seconds, else STEP_TIMEOUT);
  # its output in the logs, its figures in RAW
  local name=$1 t0=$SECONDS rc=0 limit=${STEP_LIMIT:-$STEP_TIMEOUT}
  shift
  STEPS_STARTED=1
  if [[ $name == *-faaspot ]] && ! curl -sS -m "$PROBE_SECONDS" --fail-with-body -o /dev/null \
    -H "Authorization: Token $TOKEN" "$BASE/api/sync/deployments/echo/rpc/?probe=$name" 2> /dev/null; then
    # Our server stopped answering (a hung step before this one): skip rather than wait out
    # every step's limit; the report says so.
    FAILED+=("$name")
    STEPS_JSON+=("{\"step\": \"$name\", \"seconds\": $((SECONDS - t0)), \"exit\": -1, \"skipped\": \"one sync call got no answer within $PROBE_SECONDS s\"}")
    echo "bench: $name SKIPPED: one sync call to the server got no answer within $PROBE_SECONDS s" >&2
    return 0
  fi
  log "$name ..."
  # With CPU_GROUPS (cpu_usage.py's NAME=KIND:PID specs) and CPU_EXECUTIONS: the CPU each group
  # and the step's own client (what this shell reaps) use while it runs, into RAW/NAME-cpu.json.
  local cpu=(bench/baselines/cpu_usage.py)
  # With QUEUE_WRITES set, the server's own timers of its writes in the database
  # (faaspot_queue_write_seconds) are read around the step, into RAW/NAME-writes.json.
  if [[ -n ${QUEUE_WRITES:-} ]]; then scrape "$WORK/writes0.prom"; fi
  if [[ -n ${CPU_GROUPS:-} ]]; then
    # shellcheck disable=SC2086
    "$PY" "${cpu[@]}" snap "$WORK/cpu0.json" client=reaped:$$ $CPU_GROUPS
  fi
  # In the background and waited for, so that a signal to this script is handled at once.
  timeout --kill-after=30 "$limit" "$@" > "$LOGS/$name.log" 2>&1 &
  STEP_PID=$!
  wait "$STEP_PID" || rc=$?
  STEP_PID=
  if [[ -n ${CPU_GROUPS:-} ]]; then
    # shellcheck disable=SC2086
    "$PY" "${cpu[@]}" snap "$WORK/cpu1.json" client=reaped:$$ $CPU_GROUPS
    "$PY" "${cpu[@]}" diff "$WORK/cpu0.json" "$WORK/cpu1.json" "$RAW/$name-cpu.json" \
      --executions "$CPU_EXECUTIONS"
  fi
  if [[ -n ${QUEUE_WRITES:-} ]]; then
    scrape "$WORK/writes1.prom"
    "$PY" bench/baselines/queue_writes.py "$WORK/writes0.prom" "$WORK/writes1.prom" \
      --out "$RAW/$name-writes.json" > /dev/null || true
  fi
  STEPS_JSON+=("{\"step\": \"$name\", \"seconds\": $((SECONDS - t0)), \"exit\": $rc, \"limit_s\": $limit}")
  if ((rc == 0)); then
    log "$name done in $((SECONDS - t0)) s: $(summary "$RAW/$name.json")"
  else
    FAILED+=("$name")
    if ((rc == 124 || rc == 137)); then
      echo "bench: $name FAILED: still running after its limit of $limit s, stopped; its last lines:" >&2
    else
      echo "bench: $name FAILED (exit $rc) after $((SECONDS - t0)) s; its last lines:" >&2
    fi
    tail -20 "$LOGS/$name.log" | cut -c1-400 >&2
  fi
}
summary() {
  [[ -f $1 ]] || { echo "(no result file)"; return; }
  "$PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
keys = ["requests", "errors", "throughput_per_s", "p50_ms", "p99_ms", "max_ms",
        "submit_rate_per_s", "completion_rate_per_s", "first_ms", "second_ms", "total_ms"]
print(" ".join("%s=%s" % (k, r[k]) for k in keys if r.get(k) is not None))' "$1"
}
BENCH=(java -jar "$BENCH_JAR")
# The load generator for the steps that load the server with many calls: its JVM compiles with
# C1 only, as its optimising compiler (C2) otherwise took two thirds of its CPU in a bulk step, on
# the cores it shares with the server, the database and Python. The single-client latency steps
# keep the default, as the HTTP floor they are compared with is measured by the same JVM.
BENCH_LOAD=(java -XX:TieredStopAtLevel=1 -jar "$BENCH_JAR")
OURS=(--url "$BASE" --token "$TOKEN" --deployment echo --fail-on-errors)
FLOOR=(--url "http://127.0.0.1:$HTTP_PORT" --fail-on-errors)
CELERY=("$PY" bench/baselines/celery_bench.py --broker-port "$REDIS_PORT")
hist() { echo --out "$RAW/$1.json" --hist-out "$RAW/$1.csv"; }

# Where the CPU goes in the steps that measure it (cpu_usage.py): ours are the server, its local
# agents (with their Python workers) and PostgreSQL; Celery's are its worker (with its prefork
# processes) and Redis. In the fresh steps, ours also name the part of the server's and the agents'
# CPU that their JIT compilers took, while they compile what the first calls run.
OUR_CPU="server=self:$SERVER_PID agents=below:$SERVER_PID/$PG_PID postgres=tree:$PG_PID"
OUR_FRESH_CPU="$OUR_CPU server_jit=jit:$SERVER_PID agents_jit=jit-below:$SERVER_PID/$PG_PID"
CELERY_CPU="worker=tree:$CELERY_PID redis=tree:$REDIS_PID"

# shellcheck disable=SC2046
{
  # Fresh (issue 19): each system as just started (ours: one spot added, echo deployed), as a new
  # user tries it: sync latency, then FRESH_COUNT async calls one after another from one client,
  # waited for. Reported as their own table; then the same unmeasured warm-up load for each.
  QUEUE_WRITES=1 CPU_GROUPS="$OUR_FRESH_CPU" CPU_EXECUTIONS=$((WARMUP + REQUESTS)) \
    step sync-latency-faaspot-fresh "${BENCH[@]}" --scenario sync-latency "${OURS[@]}" \
    --warmup "$WARMUP" --requests "$REQUESTS" $(hist sync-latency-faaspot-fresh)
  CPU_GROUPS="$CELERY_CPU" CPU_EXECUTIONS=$((WARMUP + REQUESTS)) \
    step sync-latency-celery-fresh "${CELERY[@]}" --scenario sync \
    --warmup "$WARMUP" --requests "$REQUESTS" $(hist sync-latency-celery-fresh)
  CPU_GROUPS="$OUR_FRESH_CPU" CPU_EXECUTIONS="$FRESH_COUNT" \
    step async-faaspot-fresh "${BENCH[@]}" --scenario async "${OURS[@]}" --clients 1 \
    --count "$FRESH_COUNT" --out "$RAW/async-faaspot-fresh.json"
  CPU_GROUPS="$CELERY_CPU" CPU_EXECUTIONS="$FRESH_COUNT" \
    step async-celery-fresh "${CELERY[@]}" --scenario async --count "$FRESH_COUNT" --warmup 0 \
    --out "$RAW/async-celery-fresh.json"
  step warmup-faaspot "${BENCH_LOAD[@]}" --scenario async "${OURS[@]}" --count "$WARMUP_COUNT" \
    --out "$RAW/warmup-faaspot.json"
  step warmup-celery "${CELERY[@]}" --scenario async --count "$WARMUP_COUNT" --warmup "$WARMUP" \
    --out "$RAW/warmup-celery.json"
  step warmup-bulk-faaspot "${BENCH_LOAD[@]}" --scenario bulk "${OURS[@]}" --count "$COUNT" \
    --chunk "$OUR_CHUNK" --out "$RAW/warmup-bulk-faaspot.json"
  step warmup-bulk-celery "${CELERY[@]}" --scenario bulk --count "$COUNT" --chunk "$CELERY_CHUNK" \
    --warmup "$WARMUP" --out "$RAW/warmup-bulk-celery.json"
  STEP_LIMIT=$((WARMUP_SECONDS + 150)) step warmup-sync-faaspot "${BENCH_LOAD[@]}" --scenario sync-load \
    "${OURS[@]}" --clients 4 --seconds "$WARMUP_SECONDS" --warmup 0 --out "$RAW/warmup-sync-faaspot.json"
  STEP_LIMIT=$((WARMUP_SECONDS + 150)) step warmup-sync-celery "${CELERY[@]}" --scenario sync-load \
    --clients 4 --seconds "$WARMUP_SECONDS" --warmup 0 --out "$RAW/warmup-sync-celery.json"

  # Sync latency: 1 client, warm-up then sequential calls; REPEATS rounds of the five systems
  # (ours, Celery, and the HTTP, pipe and database floors).
  for r in $(seq 1 "$REPEATS"); do
    QUEUE_WRITES=1 CPU_GROUPS="$OUR_CPU" CPU_EXECUTIONS=$((WARMUP + REQUESTS)) \
      step "sync-latency-faaspot-r$r" "${BENCH[@]}" --scenario sync-latency "${OURS[@]}" \
      --warmup "$WARMUP" --requests "$REQUESTS" $(hist "sync-latency-faaspot-r$r")
    CPU_GROUPS="$CELERY_CPU" CPU_EXECUTIONS=$((WARMUP + REQUESTS)) \
      step "sync-latency-celery-r$r" "${CELERY[@]}" --scenario sync \
      --warmup "$WARMUP" --requests "$REQUESTS" $(hist "sync-latency-celery-r$r")
    step "sync-latency-http-floor-r$r" "${BENCH[@]}" --scenario http-floor "${FLOOR[@]}" \
      --warmup "$WARMUP" --requests "$REQUESTS" $(hist "sync-latency-http-floor-r$r")
    step "sync-latency-pipe-floor-r$r" "$PY" bench/baselines/pipe_floor.py \
      --warmup "$WARMUP" --requests "$REQUESTS" $(hist "sync-latency-pipe-floor-r$r")
    step "sync-latency-db-floor-r$r" "$PY" bench/baselines/db_floor.py --data-dir "$DATA" \
      --pgbench "$PGBENCH" --psql "$PSQL" \
      --warmup "$WARMUP" --requests "$REQUESTS" $(hist "sync-latency-db-floor-r$r")
  done

  # Sync under load: C concurrent clients for a fixed time (warm-up included in the limit).
  # Ours with the most clients runs last (below), so that if the server stops answering under
  # that load, the figures of the other scenarios are not lost to it.
  LOAD_LIMIT=$((LOAD_SECONDS + 150))
  for c in "${LOAD_CLIENTS[@]}"; do
    if [[ $c != "${LOAD_CLIENTS[-1]}" ]]; then
      STEP_LIMIT=$LOAD_LIMIT step "sync-load-$c-faaspot" "${BENCH_LOAD[@]}" --scenario sync-load "${OURS[@]}" \
        --clients "$c" --seconds "$LOAD_SECONDS" --warmup "$WARMUP" $(hist "sync-load-$c-faaspot")
    fi
    STEP_LIMIT=$LOAD_LIMIT step "sync-load-$c-celery" "${CELERY[@]}" --scenario sync-load \
      --clients "$c" --seconds "$LOAD_SECONDS" --warmup "$WARMUP" $(hist "sync-load-$c-celery")
    STEP_LIMIT=$LOAD_LIMIT step "sync-load-$c-http-floor" "${BENCH_LOAD[@]}" --scenario http-floor-load "${FLOOR[@]}" \
      --clients "$c" --seconds "$LOAD_SECONDS" --warmup "$WARMUP" $(hist "sync-load-$c-http-floor")
  done

  # Async per call, then bulk: submit everything, wait until all have succeeded.
  # Where the CPU goes meanwhile: OUR_CPU and CELERY_CPU, above.
  QUEUE_WRITES=1 CPU_GROUPS="$OUR_CPU" CPU_EXECUTIONS="$COUNT" step async-faaspot "${BENCH_LOAD[@]}" \
    --scenario async "${OURS[@]}" --count "$COUNT" --out "$RAW/async-faaspot.json"
  CPU_GROUPS="$CELERY_CPU" CPU_EXECUTIONS="$COUNT" step async-celery "${CELERY[@]}" \
    --scenario async --count "$COUNT" --warmup "$WARMUP" --out "$RAW/async-celery.json"
  for r in $(seq 1 "$REPEATS"); do
    CPU_GROUPS="$OUR_CPU" CPU_EXECUTIONS="$COUNT" step "bulk-faaspot-r$r" "${BENCH_LOAD[@]}" \
      --scenario bulk "${OURS[@]}" --count "$COUNT" --chunk "$OUR_CHUNK" \
      --out "$RAW/bulk-faaspot-r$r.json"
    CPU_GROUPS="$CELERY_CPU" CPU_EXECUTIONS="$COUNT" step "bulk-celery-r$r" "${CELERY[@]}" \
      --scenario bulk --count "$COUNT" --chunk "$CELERY_CHUNK" --warmup "$WARMUP" \
      --out "$RAW/bulk-celery-r$r.json"
  done

  # The cold path next to pip's own install time of the same requirement.
  step cold-faaspot "${BENCH[@]}" --scenario cold --url "$BASE" --token "$TOKEN" \
    --requirements "$REQUIREMENTS" --fail-on-errors --out "$RAW/cold-faaspot.json"
  step pip-install "$PY" bench/baselines/pip_time.py --python "$PY" \
    --requirements "$REQUIREMENTS" --out "$RAW/pip-install.json"

  c="${LOAD_CLIENTS[-1]}"
  STEP_LIMIT=$LOAD_LIMIT step "sync-load-$c-faaspot" "${BENCH_LOAD[@]}" --scenario sync-load "${OURS[@]}" \
    --clients "$c" --seconds "$LOAD_SECONDS" --warmup "$WARMUP" $(hist "sync-load-$c-faaspot")
}

write_report
# The start's CPU is read outside any step, so no step's failure would tell that it went missing.
grep -q "The server's own CPU from \`java\` until ready" "$REPORT_MD" \
  || die "the report gives no CPU figure for the server's starts"
log "$MODE run took $((SECONDS - RUN_START)) s"
if ((${#FAILED[@]})); then
  die "failed steps: ${FAILED[*]}"
fi
