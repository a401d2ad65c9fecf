#!/usr/bin/env bash
# The operators' path, for real: a Docker engine (started here if none runs), the public base
# images (pulled, or stand-ins built where no registry is reachable: base-images.sh), our two
# images built from docker/server.Dockerfile and docker/agent.Dockerfile, and docker-compose.yml
# brought up and driven as an operator drives it, with curl over HTTPS. Any step that does not
# answer as it should fails the script, with the containers' logs.
#
#   docker/ci/compose-stack.sh        # from anywhere; root where no engine runs yet
#
# It runs the stack as compose project "faaspot-ci" on a free port, and removes it (`down -v`)
# at the end, whatever happened. FAASPOT_CI_KEEP_ENGINE=1 leaves a dockerd it started running
# (for .ci/run, whose Testcontainers tests need it; `engine.sh stop` stops it).
#
# Functions' requirements: the compose file passes PIP_INDEX_URL on to pip. Where it is a
# file: URL (as on our CI machines, file:///opt/pypi/simple), the index's folder on this machine
# is mounted read-only at the same path through an override file that only this script uses.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

project=faaspot-ci
work="$(mktemp -d)"
chmod 755 "$work"
script_start=$(date +%s)
log() { echo "compose-stack: $*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

if docker compose version > /dev/null 2>&1; then
  compose_bin=(docker compose)
else
  compose_bin=(docker-compose)
fi
compose_files=(-f docker-compose.yml)
compose() { "${compose_bin[@]}" -p "$project" "${compose_files[@]}" "$@"; }

started_engine=false
stack_up=false
finish() {
  local rc=$?
  if [[ $rc != 0 && $stack_up == true ]]; then
    log "FAILED: the containers' last lines follow"
    compose ps >&2 || true
    compose logs --no-color --tail=80 >&2 || true
  fi
  if [[ $stack_up == true ]]; then compose down -v --remove-orphans > /dev/null 2>&1 || true; fi
  if [[ $started_engine == true && ${FAASPOT_CI_KEEP_ENGINE:-} != 1 ]]; then
    "$here/engine.sh" stop || true
  fi
  rm -rf "$work"
  if [[ $rc == 0 ]]; then
    log "passed in $(elapsed "$script_start")"
  else
    log "FAILED (exit $rc) after $(elapsed "$script_start")"
  fi
}
trap finish EXIT
fail() { log "FAILED: $*"; exit 1; }

# --- The engine and the images. ---

t=$(date +%s)
if ! docker info > /dev/null 2>&1; then started_engine=true; fi
"$here/engine.sh" start
log "engine ready in $(elapsed "$t")"

t=$(date +%s)
"$here/base-images.sh"
log "base images ready in $(elapsed "$t")"

# The settings of the stack are the compose file's defaults, whatever this shell sets, but for
# the port (a free one, so that it runs beside anything else) and the package index.
for name in $(compgen -e); do
  if [[ $name =~ ^(FAASPOT_|SPRING_DATASOURCE_|AWS_) && $name != FAASPOT_CI_* ]]; then
    unset "$name"
  fi
done
FAASPOT_HTTPS_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')"
export FAASPOT_HTTPS_PORT
if [[ ${PIP_INDEX_URL:-} == file://* ]]; then
  mirror="$(dirname "${PIP_INDEX_URL#file://}")"
  cat > "$work/pip-mirror.yml" << EOF
# Made by docker/ci/compose-stack.sh: the local package index, read-only, where PIP_INDEX_URL says.
services:
  server:
    volumes:
      - "$mirror:$mirror:ro"
EOF
  compose_files+=(-f "$work/pip-mirror.yml")
  log "package index: $PIP_INDEX_URL (this machine's $mirror, mounted read-only)"
fi
compose config -q

t=$(date +%s)
compose build
log "server image built in $(elapsed "$t")"
t=$(date +%s)
docker build -t faaspot-agent -f docker/agent.Dockerfile .
log "agent image built in $(elapsed "$t")"

# --- The operator's calls. ---

base="https://127.0.0.1:$FAASPOT_HTTPS_PORT"

# METHOD PATH TOKEN [BODY]: the answer's body; anything but 200 fails.
api() {
  local method="$1" path="$2" token="$3" body="${4-}" out status
  local args=(-sk --max-time 150 -X "$method" -H "Authorization: Token $token"
    -H 'Content-type: application/json' -w '\n%{http_code}')
  if [[ -n $body ]]; then args+=(--data "$body"); fi
  out="$(curl "${args[@]}" "$base$path")" || fail "$method $path: curl exit $?"
  status="${out##*$'\n'}"
  out="${out%$'\n'*}"
  [[ $status == 200 ]] || fail "$method $path answered $status: $out"
  printf '%s' "$out"
}

# KEY...: the JSON value on stdin at that path (strings bare, the rest as JSON).
json() {
  python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$@"
}

# NAME CODE REQUIREMENTS: a create body as the old client sends it (URL-quoted fields).
deployment() {
  python3 -c '
import json, sys, urllib.parse
q = lambda s: urllib.parse.quote(s, safe="/")
print(json.dumps({"name": sys.argv[1], "code": q(sys.argv[2]), "requirements": q(sys.argv[3]),
                  "context": ""}))' "$@"
}

# TOKEN ID: waits (as `--wait`) for the task to be final; it must have succeeded.
await_success() {
  local deadline=$(( $(date +%s) + 300 )) e status
  while true; do
    e="$(api GET "/api/executions/$2" "$1")"
    status="$(json status <<< "$e")"
    case "$status" in
      Success) printf '%s' "$e"; return ;;
      Failure | Cancelled) fail "task $2 ended $status: $e" ;;
    esac
    (( $(date +%s) < deadline )) || fail "task $2 still $status after 300 s: $e"
    sleep 1
  done
}

# The server's container becomes healthy (its HEALTHCHECK asks readiness).
await_healthy() {
  local t0=$1 id health
  for _ in $(seq 1 300); do
    id="$(compose ps -q server)"
    health="$(docker inspect -f '{{.State.Health.Status}}' "$id" 2> /dev/null || true)"
    if [[ $health == healthy ]]; then
      log "server healthy $(elapsed "$t0") after $2"
      return
    fi
    sleep 1
  done
  fail "the server is not healthy 300 s after $2 (health: $health)"
}

# TOKEN: the same answers after a restart as before it.
expect_data_kept() {
  local names
  names="$(api GET /api/deployments/ "$1" | python3 -c \
    'import json, sys; print(" ".join(sorted(d["name"] for d in json.load(sys.stdin))))')"
  [[ $names == "hello peek" ]] || fail "deployments after $2: '$names', not 'hello peek'"
  [[ "$(api GET "/api/executions/$3" "$1" | json output)" == "$4" ]] \
    || fail "the output of $3 is not kept after $2"
  await_success "$1" "$(api PUT /api/spots/ "$1" | json)" > /dev/null
  local answer
  answer="$(api GET '/api/sync/deployments/hello/rpc/?name=again' "$1" | json hello)"
  [[ $answer == again ]] || fail "sync run after $2 answered $answer"
  log "after $2: the account, its deployments and outputs are there, and functions run"
}

# The server image carries the JDK's ahead-of-time cache, trained in its build (README, "Start and
# warm-up"): the entry point must have used it and the JVM not rejected it. A JVM that cannot use
# a cache (another JVM, a changed jar, other object layout flags) says so with "[error][aot] ..."
# lines (and "Unable to use AOT cache") and starts without it; a few "[warning][aot...]" lines
# about single stubs are printed even for a cache it uses, and do not count.
expect_aot_cache_used() {
  local id logs rejected
  id="$(compose ps -q server)"
  logs="$(docker logs "$id" 2>&1)"
  grep -q 'faaspot-entrypoint: ahead-of-time cache used: /opt/faaspot/server/faaspot-server.aot' \
    <<< "$logs" || fail "the server did not start with its ahead-of-time cache (no" \
    "\"ahead-of-time cache used\" line from the entry point):" \
    "$(grep -m1 'ahead-of-time cache' <<< "$logs")"
  rejected="$(grep -E '\[error *\]\[aot|Unable to use AOT cache' <<< "$logs" || true)"
  [[ -z $rejected ]] || fail "the JVM rejected the image's ahead-of-time cache: $rejected"
  # And on the bean definitions Spring's AOT processing wrote at build (FAASPOT_SPRING_AOT=on),
  # which must follow this stack's spring.datasource.url although none was set at build.
  grep -q 'Starting AOT-processed FaaspotServer' <<< "$logs" \
    || fail "the server did not run on its AOT-processed beans:" \
    "$(grep -m1 'Starting .*FaaspotServer' <<< "$logs")"
  # From the container's start to its first passing health check (which runs every 10 s), and
  # Spring's own count from the JVM's start to the context started.
  local timing
  timing="$(docker inspect "$id" | python3 -c '
import datetime, json, re, sys
s = json.load(sys.stdin)[0]["State"]
t = lambda v: datetime.datetime.fromisoformat(
    re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", v).replace("Z", "+00:00"))
ok = [e for e in (s.get("Health") or {}).get("Log") or [] if e["ExitCode"] == 0]
print("%.1f s" % (t(ok[0]["End"]) - t(s["StartedAt"])).total_seconds() if ok else "?")')"
  log "ahead-of-time cache used and not rejected; container start to healthy: $timing;" \
    "$(grep -o -m1 'Started [A-Za-z]* in [0-9.]* seconds' <<< "$logs" || echo 'no Started line')"
}

t=$(date +%s)
stack_up=true
compose up -d
await_healthy "$t" "up -d"
up_to_healthy=$(( $(date +%s) - t ))
expect_aot_cache_used

# The admin token, as the README says.
admin="$(compose exec -T server cat /var/lib/faaspot/admin-token | tr -d '\r\n')"
[[ $admin == fst_* ]] || fail "no admin token in /var/lib/faaspot/admin-token"
account="$(api POST /api/admin/accounts "$admin" '{"username": "ci-operator"}')"
user="$(json token <<< "$account")"
log "account ci-operator made with the admin token"

# A deployment with a requirement from the package index, and a local spot.
hello='import six

def main(args, context):
    return {"hello": args.get("name", "?"), "six": six.__version__}
'
t=$(date +%s)
await_success "$user" "$(api PUT /api/deployments/ "$user" "$(deployment hello "$hello" six)" \
  | json)" > /dev/null
log "deployment hello (requirements: six) created in $(elapsed "$t")"
t=$(date +%s)
spot_ip="$(await_success "$user" "$(api PUT /api/spots/ "$user" | json)" | json output ip)"
[[ $spot_ip == 127.0.1.* ]] || fail "a local spot on $spot_ip, not on loopback 127.0.1.N"
log "local spot $spot_ip added in $(elapsed "$t")"

sync="$(api GET '/api/sync/deployments/hello/rpc/?name=sync' "$user")"
[[ "$(json hello <<< "$sync")" == sync ]] || fail "sync run answered $sync"
log "sync run answered $sync"
async_id="$(api GET '/api/deployments/hello/rpc/?name=async' "$user" | json)"
async_output="$(await_success "$user" "$async_id" | json output)"
[[ "$(json hello <<< "$async_output")" == async ]] || fail "async run gave $async_output"
log "async run $async_id gave $async_output"
ids="$(api POST /api/deployments/hello/bulk_rpc/ "$user" '[{"name": "a"}, {"name": "b"}]')"
for i in 0 1; do await_success "$user" "$(json "$i" <<< "$ids")" > /dev/null; done
bulk="$(api POST /api/executions/bulk "$user" "$ids" | python3 -c \
  'import json, sys; print(",".join(e["output"]["hello"] for e in json.load(sys.stdin)))')"
[[ $bulk == a,b ]] || fail "bulk run gave $bulk, not a,b"
log "bulk run of 2 gave $bulk, in order"

# A function cannot reach the server's secrets from inside the container.
peek='import os

SECRETS = ["/var/lib/faaspot/admin-token", "/var/lib/faaspot/secrets-key",
           "/var/lib/faaspot/tls/key.pem", "/run/faaspot-db/password",
           "/run/faaspot/secrets/spring.datasource.password"]

def readable(path):
    try:
        with open(path) as f:
            f.read(1)
        return True
    except OSError:
        return False

def main(args, context):
    return {
        "uid": os.getuid(),
        "secrets_in_environment": sorted(
            k for k in os.environ
            if k.startswith(("SPRING_DATASOURCE_PASSWORD", "FAASPOT_ADMIN_TOKEN",
                             "FAASPOT_SECRETS", "AWS_"))),
        "readable": [p for p in SECRETS if readable(p)],
    }
'
await_success "$user" "$(api PUT /api/deployments/ "$user" "$(deployment peek "$peek" "")" \
  | json)" > /dev/null
seen="$(api GET /api/sync/deployments/peek/rpc/ "$user")"
[[ "$(json uid <<< "$seen")" != 0 ]] || fail "functions run as root: $seen"
[[ "$(json secrets_in_environment <<< "$seen")" == '[]' ]] || fail "secrets in reach: $seen"
[[ "$(json readable <<< "$seen")" == '[]' ]] || fail "secret files readable: $seen"
# ...which do exist, so that the check above can fail.
for f in /var/lib/faaspot/admin-token /var/lib/faaspot/tls/key.pem /run/faaspot-db/password \
  /run/faaspot/secrets/spring.datasource.password; do
  compose exec -T server test -s "$f" || fail "$f is not in the server container"
done
log "a function (uid $(json uid <<< "$seen")) sees none of the server's secrets"

# Restarts keep the data.
t=$(date +%s)
compose restart server
await_healthy "$t" "restart server"
expect_data_kept "$user" "restart server" "$async_id" "$async_output"

compose down
t=$(date +%s)
compose up -d
await_healthy "$t" "down and up -d"
expect_data_kept "$user" "down and up" "$async_id" "$async_output"

# down -v removes it all.
compose down -v --remove-orphans
stack_up=false
left="$(docker ps -aq --filter "label=com.docker.compose.project=$project")"
left+="$(docker volume ls -q --filter "label=com.docker.compose.project=$project")"
[[ -z $left ]] || fail "down -v left containers or volumes: $left"
log "down -v removed the containers and volumes"

size() { docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%d MB", $1 / 1000000}'; }
server_image="$(docker images -q "${project}_server" | head -1)"
[[ -n $server_image ]] || server_image="$(docker images -q "${project}-server" | head -1)"
log "image sizes: server $(size "$server_image"), agent $(size faaspot-agent)," \
  "postgres:17 $(size postgres:17); up -d to healthy (first start): ${up_to_healthy} s"
