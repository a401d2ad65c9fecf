#!/usr/bin/env bash
# The stand-in postgres image's entry point (see postgres.Dockerfile): the official image's
# contract, written anew. As root it prepares the data directory and runs itself again as
# postgres; on an empty data directory it initialises the cluster (user, password, database,
# /docker-entrypoint-initdb.d) with a temporary server on the socket only; then it runs the command.
set -Eeo pipefail

log() { echo "docker-entrypoint.sh: $*" >&2; }

# VAR or VAR_FILE (Docker secrets), not both.
file_env() {
  local var="$1" file_var="${1}_FILE" value="${2:-}"
  if [[ -n "${!var:-}" && -n "${!file_var:-}" ]]; then
    log "both $var and $file_var are set (but are exclusive)"
    exit 1
  fi
  if [[ -n "${!var:-}" ]]; then
    value="${!var}"
  elif [[ -n "${!file_var:-}" ]]; then
    value="$(< "${!file_var}")"
  fi
  export "$var"="$value"
  unset "$file_var"
}

if [[ "${1:0:1}" == - ]]; then
  set -- postgres "$@"
fi

if [[ "$1" == postgres ]]; then
  # As root, before dropping to postgres: a secret file is often readable by root only.
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
fi

if [[ "$1" == postgres && "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ "$1" == postgres && ! -s "$PGDATA/PG_VERSION" ]]; then
  auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [[ -z "$POSTGRES_PASSWORD" && "$auth" != trust ]]; then
    log "the database is uninitialized and no superuser password is given:"
    log "set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE), or POSTGRES_HOST_AUTH_METHOD=trust"
    exit 1
  fi
  # shellcheck disable=SC2086 # the extra arguments are words, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    $POSTGRES_INITDB_ARGS
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

  # The temporary server: on the socket only, so that nothing connects before initialisation ends.
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [[ "$POSTGRES_DB" != postgres ]]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        if [[ -x "$f" ]]; then log "running $f"; "$f"; else log "sourcing $f"; . "$f"; fi ;;
      *.sql) log "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *) [[ -e "$f" ]] && log "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
fi

exec "$@"
