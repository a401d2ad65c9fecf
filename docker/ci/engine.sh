#!/usr/bin/env bash
# A Docker engine for CI and for developers without one: `engine.sh start` installs Debian's
# docker.io (and docker-compose 1.29) when missing and starts dockerd as root when no engine
# answers; `engine.sh stop` stops that dockerd again, by the pid it recorded, and nothing else.
# An engine that was already running is left alone by both.
set -euo pipefail

state_dir="${FAASPOT_CI_STATE_DIR:-/tmp/faaspot-ci}"
pid_file="$state_dir/dockerd.pid"
log_file="$state_dir/dockerd.log"

log() { echo "engine: $*" >&2; }

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "$@" > /dev/null
}

start() {
  if docker info > /dev/null 2>&1; then
    log "a Docker engine already runs: using it ($(docker info --format '{{.ServerVersion}}'))"
    return
  fi
  if ! command -v dockerd > /dev/null || ! command -v docker-compose > /dev/null; then
    [[ $(id -u) == 0 ]] || { log "no Docker engine, and only root can install one"; exit 1; }
    log "installing Debian's docker.io and docker-compose"
    apt_install docker.io docker-compose
  fi
  [[ $(id -u) == 0 ]] || { log "no Docker engine runs, and only root can start dockerd"; exit 1; }
  mkdir -p "$state_dir"
  # setsid: the engine outlives this script (the caller stops it with `engine.sh stop`).
  setsid dockerd > "$log_file" 2>&1 < /dev/null &
  echo $! > "$pid_file"
  for _ in $(seq 1 60); do
    if docker info > /dev/null 2>&1; then
      log "started dockerd (pid $(cat "$pid_file"), $(docker info --format \
        '{{.ServerVersion}}, {{.Driver}}, cgroup v{{.CgroupVersion}}'), log $log_file"
      return
    fi
    if ! kill -0 "$(cat "$pid_file")" 2> /dev/null; then
      log "dockerd exited:"; tail -20 "$log_file" >&2; rm -f "$pid_file"; exit 1
    fi
    sleep 1
  done
  log "dockerd did not answer within 60 s:"; tail -20 "$log_file" >&2
  exit 1
}

stop() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2> /dev/null; then
    kill "$pid"
    # dockerd stops its containers (10 s grace each) and its containerd before it exits.
    for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
    if kill -0 "$pid" 2> /dev/null; then log "dockerd (pid $pid) still runs after 60 s"; fi
  fi
  rm -f "$pid_file"
  log "stopped the dockerd this script started (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
