#!/usr/bin/env bash
# The public base images our Dockerfiles and docker-compose.yml name, in the local engine:
# eclipse-temurin:25-jdk, eclipse-temurin:25-jre and postgres:17. Pulled where a registry is
# reachable; where none is (as on our CI machines), stand-ins are built under those names from
# Debian's packages and the machine's JDK (docker/ci/stand-ins/*.Dockerfile say what they are and
# what they do not imitate). Images already present are kept: FAASPOT_CI_REBUILD_STAND_INS=1
# rebuilds the stand-ins.
#
# Needs: a running engine (engine.sh start), root for debootstrap, a JDK 25 (JAVA_HOME, else the
# Temurin 25 of these machines).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
images=(eclipse-temurin:25-jdk eclipse-temurin:25-jre postgres:17)
label=io.faaspot.stand-in

log() { echo "base-images: $*" >&2; }
present() { docker image inspect "$1" > /dev/null 2>&1; }
now() { date +%s; }

missing=()
for image in "${images[@]}"; do
  if [[ ${FAASPOT_CI_REBUILD_STAND_INS:-} == 1 ]] && present "$image" \
    && [[ -n "$(docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$image")" ]]; then
    missing+=("$image")
  elif ! present "$image" && ! docker pull -q "$image" > /dev/null 2>&1; then
    missing+=("$image")
  fi
done
if [[ ${#missing[@]} == 0 ]]; then
  log "present: ${images[*]}"
  exit 0
fi
log "no registry gives ${missing[*]}: building stand-ins"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Debian bookworm, minimal, as a base image of its own (not a stand-in for a public image).
base=faaspot-ci/debian:bookworm
if ! present "$base"; then
  command -v debootstrap > /dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends debootstrap > /dev/null; }
  t=$(now)
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/cache/apt/*.bin \
    "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' - "$base" > /dev/null
  rm -rf "$work/rootfs"
  log "$base: debootstrap --variant=minbase and import in $(( $(now) - t )) s"
fi

java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ "$("$java_home/bin/java" -version 2>&1)" == *'"25'* ]] \
  || { log "$java_home is not a JDK 25: set JAVA_HOME"; exit 1; }

# The build context of a Temurin stand-in: java/ (filled by the caller) and the machine's trust.
temurin_context() {
  mkdir -p "$1/java" "$1/extra-ca"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$1/extra-ca/"
  fi
}
# Java's trust store, the file itself: Debian's JDKs link it to /etc/ssl/certs/java/cacerts.
copy_cacerts() {
  rm -f "$1/lib/security/cacerts"
  cp -L "$java_home/lib/security/cacerts" "$1/lib/security/cacerts"
}

build() { # tag, Dockerfile, context
  local t
  t=$(now)
  docker build -q --label "$label=$(basename "$2")" -t "$1" -f "$2" "$3" > /dev/null
  log "$1: stand-in built in $(( $(now) - t )) s"
}

for image in "${missing[@]}"; do
  case "$image" in
    eclipse-temurin:25-jdk)
      temurin_context "$work/jdk"
      cp -a "$java_home/." "$work/jdk/java"
      copy_cacerts "$work/jdk/java"
      build "$image" "$here/stand-ins/temurin.Dockerfile" "$work/jdk"
      rm -rf "$work/jdk" ;;
    eclipse-temurin:25-jre)
      # A JRE as Temurin's: the JDK's modules without its development tools, stripped.
      temurin_context "$work/jre"
      rmdir "$work/jre/java"
      modules="$("$java_home/bin/java" --list-modules | sed 's/@.*//' \
        | grep -Ev '^jdk\.(compiler|javadoc|jshell|jdeps|jlink|jpackage|jartool|hotspot\.agent|jconsole|jdi|jdwp\.agent|editpad|jstatd|jcmd|internal\.(ed|le|opt|jvmstat|md)|incubator\..*)$' \
        | paste -sd, -)"
      "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages \
        --no-header-files --output "$work/jre/java"
      copy_cacerts "$work/jre/java"
      build "$image" "$here/stand-ins/temurin.Dockerfile" "$work/jre"
      rm -rf "$work/jre" ;;
    postgres:17)
      build "$image" "$here/stand-ins/postgres.Dockerfile" "$here/stand-ins" ;;
  esac
done
