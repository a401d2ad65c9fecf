#!/usr/bin/env bash
# The spot-savings simulation (issue 21), in one command: bash bench/simulate.sh
#
# Builds the bench module, simulates a day of bursty load for 50 accounts under each strategy
# (one on-demand machine for the peak, fixed spots, autoscaled spots; seconds, deterministic for
# its seed) and writes bench/results/simulation.md (the table the README quotes),
# bench/results/simulation.csv and simulation-summary.csv (the chart's data) and
# bench/results/simulation.png. Extra arguments go to the simulation (--seed N, --band 5-10%,
# --spot-price USD, ...; --help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results

if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [[ -n ${JAVA_HOME:-} ]]; then export PATH="$JAVA_HOME/bin:$PATH"; fi

echo "simulate: building (./mvnw -B -q -pl bench -am -DskipTests package)" >&2
./mvnw -B -ntp -q -pl bench -am -DskipTests package
java -cp bench/target/faaspot-bench.jar io.faaspot.bench.sim.Simulate --out "$OUT" "$@"

PY=/usr/bin/python3 # Debian's, where python3-matplotlib lives (bench/run.sh installs it)
if "$PY" -c 'import matplotlib' 2> /dev/null; then
  "$PY" bench/sim_chart.py "$OUT/simulation.csv" "$OUT/simulation-summary.csv" "$OUT/simulation.png"
  echo "simulate: wrote $OUT/simulation.md and $OUT/simulation.png" >&2
else
  echo "simulate: wrote $OUT/simulation.md; no chart (python3-matplotlib missing)" >&2
fi
