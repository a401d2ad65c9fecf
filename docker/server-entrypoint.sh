#!/usr/bin/env bash
# The server image's entry point: sets up TLS and secrets from the environment, then runs the
# server jar (arguments are passed on to it).
#
#   FAASPOT_TLS=self-signed  (default) HTTPS on 8443 with a certificate made on first start in
#                            $FAASPOT_DATA_DIR/tls/ (cert.pem, key.pem); delete them to renew.
#                            Its names: localhost, 127.0.0.1, ::1, the host of FAASPOT_PUBLIC_URL and
#                            FAASPOT_TLS_HOSTNAMES (comma-separated names or addresses).
#   FAASPOT_TLS=pem          HTTPS on 8443 with the operator's PEM certificate (chain) and key:
#                            FAASPOT_TLS_CERT, FAASPOT_TLS_KEY (default: the same two files).
#   FAASPOT_TLS=off          plain HTTP on 8080 (behind a proxy that terminates TLS).
#
#   FAASPOT_AOT_CACHE=auto   (default) start with the JDK's ahead-of-time cache when one sits beside
#                            the server jar (faaspot-server.aot, made in the image build; README,
#                            "Start and warm-up"): a JVM that finds it does not fit says so in its
#                            first lines and starts without it.
#   FAASPOT_AOT_CACHE=off    start without it.
#   FAASPOT_SPRING_AOT=on    (default) run on the bean definitions Spring's AOT processing wrote when
#                            the jar was built (-Dspring.aot.enabled=true; README, "Start and
#                            warm-up"): Spring Boot's conditions were read then, with the build's
#                            settings; faaspot.*, spring.datasource.*, ports and TLS are still read
#                            at start.
#   FAASPOT_SPRING_AOT=off   read the configuration classes and their conditions at start (for a
#                            setting that turns one of Spring Boot's features on or off).
#   FAASPOT_SERVER_JAR       the server jar (default /opt/faaspot/server/faaspot-server.jar).
#
# SERVER_PORT overrides the port. Secrets may come as VAR or VAR_FILE (Docker secrets):
# SPRING_DATASOURCE_PASSWORD, FAASPOT_ADMIN_TOKEN, FAASPOT_SECRETS_KEY,
# FAASPOT_SECRETS_PREVIOUS_KEY. They are handed to the server as a Spring
# config tree readable by its owner only and removed from the environment, because the server passes
# its environment on to local spots' agents and their functions (which run as each spot's own
# unprivileged uid); for the same reason AWS credentials are dropped with local spots. Empty
# FAASPOT_*, SPRING_*, SERVER_*, PIP_* and AWS_* variables (what compose makes of an unset
# ${VAR:-}) are treated as unset.
#
# Local spots' agents reach this server over HTTPS on loopback and verify its certificate: they
# get a trust store (the JRE's CAs plus this certificate) through JDK_JAVA_OPTIONS.
#
# Modes other than starting the server:
#   --print-env    print the settings the server would get and its command, run nothing
#   --healthcheck  exit 0 if the server answers ready (the image's HEALTHCHECK)
set -euo pipefail

log() { echo "faaspot-entrypoint: $*" >&2; }
die() { log "$*"; exit 1; }

mode=run
case "${1:-}" in
  --print-env) mode=print; shift ;;
  --healthcheck) mode=health; shift ;;
esac

for name in $(compgen -e); do
  if [[ $name =~ ^(FAASPOT|SPRING|SERVER|PIP|AWS)_ && -z "${!name}" ]]; then
    unset "$name"
  fi
done

# Local spots need no AWS credentials, and would hand them to every function.
if [[ "${FAASPOT_SPOTS_PROVIDER:-local}" == local ]]; then
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
fi

data_dir="${FAASPOT_DATA_DIR:-/var/lib/faaspot}"
export FAASPOT_DATA_DIR="$data_dir"
tls="${FAASPOT_TLS:-self-signed}"
case "$tls" in
  self-signed | pem) scheme=https; port="${SERVER_PORT:-8443}" ;;
  off) scheme=http; port="${SERVER_PORT:-8080}" ;;
  *) die "FAASPOT_TLS must be self-signed, pem or off, not '$tls'" ;;
esac

if [[ $mode == health ]]; then
  url="${FAASPOT_HEALTHCHECK_URL:-$scheme://127.0.0.1:$port/actuator/health/readiness}"
  # -k: the certificate is often self-signed, and this only asks our own process on loopback.
  exec curl -fsSk --max-time 4 -o /dev/null "$url"
fi

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/$1" ]]; then
    echo "$JAVA_HOME/bin/$1"
  else
    local java
    java="$(readlink -f "$(command -v java)")" || die "no java on the PATH and no JAVA_HOME"
    echo "$(dirname "$java")/$1"
  fi
}

# "subjectAltName" entries for the self-signed certificate.
alt_names() {
  local names=(localhost 127.0.0.1 ::1) host entries=() name
  if [[ -n "${FAASPOT_PUBLIC_URL:-}" ]]; then
    host="${FAASPOT_PUBLIC_URL#*://}"
    host="${host%%/*}"
    host="${host##*@}"
    if [[ $host == \[* ]]; then
      host="${host#\[}"
      host="${host%%]*}"
    else
      host="${host%%:*}"
    fi
    names+=("$host")
  fi
  IFS=',' read -r -a extra <<< "${FAASPOT_TLS_HOSTNAMES:-}"
  names+=("${extra[@]}")
  for name in "${names[@]}"; do
    name="${name// /}"
    [[ -n $name ]] || continue
    if [[ $name =~ ^[0-9]+(\.[0-9]+){3}$ || $name == *:* ]]; then
      entry="IP:$name"
    else
      entry="DNS:$name"
    fi
    [[ " ${entries[*]} " == *" $entry "* ]] || entries+=("$entry")
  done
  local IFS=','
  echo "${entries[*]}"
}

generate_certificate() {
  local dir="$1" config
  mkdir -p "$dir"
  config="$(mktemp)"
  cat > "$config" <<EOF
[req]
distinguished_name = dn
[dn]
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $(alt_names)
EOF
  # The key is written aside and readable by its owner only; cert.pem appears last, so a start
  # interrupted half-way makes a new pair next time.
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/CN=FaaSpot server" -config "$config" -extensions server \
    -keyout "$dir/key.pem.new" -out "$dir/cert.pem.new" 2> "$dir/openssl.log") ||
    die "openssl could not make a certificate: $(cat "$dir/openssl.log")"
  rm -f "$config" "$dir/openssl.log"
  chmod 644 "$dir/cert.pem.new"
  mv -f "$dir/key.pem.new" "$dir/key.pem"
  mv -f "$dir/cert.pem.new" "$dir/cert.pem"
  log "made a self-signed certificate for $(alt_names) in $dir"
}

# The JRE's CAs plus the served certificate, for the local spots' agents.
write_trust_store() {
  local cert="$1" store="$2" cacerts keytool
  keytool="$(java_bin keytool)"
  cacerts="$(dirname "$(dirname "$keytool")")/lib/security/cacerts"
  [[ -f $cacerts ]] || die "no CA certificates at $cacerts"
  mkdir -p "$(dirname "$store")"
  cp "$cacerts" "$store.new"
  chmod 644 "$store.new"
  # The first certificate of the file: the server's own (a CA-issued one's CAs are in cacerts).
  openssl x509 -in "$cert" -out "$store.pem" 2> /dev/null || die "$cert holds no PEM certificate"
  "$keytool" -importcert -noprompt -alias faaspot-server -file "$store.pem" \
    -keystore "$store.new" -storetype PKCS12 -storepass changeit > /dev/null 2>&1 ||
    die "keytool could not add $cert to the trust store"
  rm -f "$store.pem"
  mv -f "$store.new" "$store"
}

if [[ $tls != off ]]; then
  tls_dir="$data_dir/tls"
  if [[ $tls == self-signed ]]; then
    cert="$tls_dir/cert.pem"
    key="$tls_dir/key.pem"
    [[ -s $cert && -s $key ]] || generate_certificate "$tls_dir"
  else
    cert="${FAASPOT_TLS_CERT:-$tls_dir/cert.pem}"
    key="${FAASPOT_TLS_KEY:-$tls_dir/key.pem}"
    [[ -r $cert && -r $key ]] ||
      die "FAASPOT_TLS=pem needs a readable certificate and key: $cert, $key (FAASPOT_TLS_CERT, FAASPOT_TLS_KEY)"
    if [[ "${FAASPOT_SPOTS_PROVIDER:-local}" == local && -z "${FAASPOT_PUBLIC_URL:-}" ]] &&
      ! openssl x509 -noout -in "$cert" -checkip 127.0.0.1 2> /dev/null | grep -q ' does match'; then
      log "warning: local spots reach the server at $scheme://127.0.0.1:$port, which $cert does" \
        "not name: set FAASPOT_PUBLIC_URL to a URL of the certificate that this container reaches"
    fi
  fi
  trust_store="$tls_dir/truststore.p12"
  write_trust_store "$cert" "$trust_store"
  export SERVER_SSL_ENABLED=true
  export SERVER_SSL_CERTIFICATE="file:$cert"
  export SERVER_SSL_CERTIFICATE_PRIVATE_KEY="file:$key"
  trust_options="-Djavax.net.ssl.trustStore=$trust_store -Djavax.net.ssl.trustStoreType=PKCS12"
  trust_options+=" -Djavax.net.ssl.trustStorePassword=changeit"
  export JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:+$JDK_JAVA_OPTIONS }$trust_options"
else
  export SERVER_SSL_ENABLED=false
fi
export SERVER_PORT="$port"

# Secrets: from VAR or VAR_FILE into a config tree (one file per property), out of the environment.
secrets_dir="${FAASPOT_SECRETS_DIR:-/run/faaspot/secrets}"
secret_count=0
for pair in SPRING_DATASOURCE_PASSWORD=spring.datasource.password \
  FAASPOT_ADMIN_TOKEN=faaspot.admin-token \
  FAASPOT_SECRETS_KEY=faaspot.secrets-key \
  FAASPOT_SECRETS_PREVIOUS_KEY=faaspot.secrets-previous-key; do
  var="${pair%%=*}"
  property="${pair#*=}"
  file_var="${var}_FILE"
  value="${!var:-}"
  if [[ -z $value && -n "${!file_var:-}" ]]; then
    [[ -r "${!file_var}" ]] || die "$file_var names ${!file_var}, which cannot be read"
    value="$(< "${!file_var}")"
  fi
  unset "$var" "$file_var"
  rm -f "$secrets_dir/$property"
  [[ -n $value ]] || continue
  (umask 077 && mkdir -p "$secrets_dir" && printf '%s' "$value" > "$secrets_dir/$property")
  secret_count=$((secret_count + 1))
done
if ((secret_count > 0)); then
  import="optional:configtree:$secrets_dir/"
  export SPRING_CONFIG_IMPORT="${SPRING_CONFIG_IMPORT:+$SPRING_CONFIG_IMPORT,}$import"
fi

server_jar="${FAASPOT_SERVER_JAR:-/opt/faaspot/server/faaspot-server.jar}"
# The ahead-of-time cache is the jar's name with .aot. Before JAVA_OPTS, so that an operator's own
# -XX:AOTCache or -XX:AOTMode there has the last word.
aot_cache="${server_jar%.jar}.aot"
aot_options=()
case "${FAASPOT_AOT_CACHE:-auto}" in
  auto)
    if [[ -f $aot_cache ]]; then
      aot_options=("-XX:AOTCache=$aot_cache")
      aot_note="ahead-of-time cache used: $aot_cache (a JVM that cannot use it says so next)"
    else
      aot_note="ahead-of-time cache not used: there is no $aot_cache"
    fi ;;
  off) aot_note="ahead-of-time cache not used: FAASPOT_AOT_CACHE=off" ;;
  *) die "FAASPOT_AOT_CACHE must be auto or off, not '${FAASPOT_AOT_CACHE}'" ;;
esac
case "${FAASPOT_SPRING_AOT:-on}" in
  on) aot_options+=("-Dspring.aot.enabled=true") ;;
  off) aot_note+="; Spring's AOT-processed beans not used: FAASPOT_SPRING_AOT=off" ;;
  *) die "FAASPOT_SPRING_AOT must be on or off, not '${FAASPOT_SPRING_AOT}'" ;;
esac
# JAVA_OPTS is split into words on purpose: it holds several options.
# shellcheck disable=SC2206
command=("$(java_bin java)" "${aot_options[@]}" ${JAVA_OPTS:-} -jar "$server_jar" "$@")

if [[ $mode == print ]]; then
  for name in FAASPOT_DATA_DIR FAASPOT_TLS SERVER_PORT SERVER_SSL_ENABLED SERVER_SSL_CERTIFICATE \
    SERVER_SSL_CERTIFICATE_PRIVATE_KEY JDK_JAVA_OPTIONS SPRING_CONFIG_IMPORT; do
    if [[ -n "${!name+set}" ]]; then
      echo "$name=${!name}"
    fi
  done
  echo "COMMAND=${command[*]}"
  exit 0
fi

log "$aot_note"
log "starting the server: $scheme on port $port"
exec "${command[@]}"
