# The FaaSpot spot agent, for manual spots (faaspot.spots.provider=manual) on machines of your
# own. Build from the repository root:
#   docker build -f docker/agent.Dockerfile -t faaspot-agent .
# Run with the spot's one-time secret (POST /api/admin/spots/ID/registration):
#   docker run -d -e FAASPOT_URL=https://server -e FAASPOT_REGISTRATION_SECRET=fsr_... \
#     -v faaspot-agent:/var/lib/faaspot-agent faaspot-agent

# --- Build: the agent jar, with the Maven wrapper. ---
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# Maven, plugins and dependencies first, in a layer that source changes do not invalidate.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY migrations/pom.xml migrations/pom.xml
COPY scheduler/pom.xml scheduler/pom.xml
COPY spot-agent/pom.xml spot-agent/pom.xml
COPY api/pom.xml api/pom.xml
COPY bench/pom.xml bench/pom.xml
RUN ./mvnw -B -q -pl spot-agent -am dependency:go-offline
COPY . .
RUN ./mvnw -B -q -DskipTests -pl spot-agent -am package

# --- Run: JRE 25 and python3 with venv and pip for the functions. ---
FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv python3-pip ca-certificates tini util-linux bubblewrap \
 && rm -rf /var/lib/apt/lists/*
# Functions and pip builds run as this unprivileged user (uid 10001), in bubblewrap where the
# container may make namespaces; the agent runs as root so that function
# code cannot read its credential (it starts each function process through setpriv as
# FAASPOT_RUN_AS).
RUN groupadd --system --gid 10001 faaspot \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin faaspot \
 && mkdir -p /opt/faaspot /var/lib/faaspot-agent \
 && chmod 755 /var/lib/faaspot-agent
COPY --from=build /src/spot-agent/target/faaspot-agent.jar /opt/faaspot/faaspot-agent.jar

# Settings: FAASPOT_URL and FAASPOT_REGISTRATION_SECRET (required), and the others of the
# README's "How functions run".
ENV FAASPOT_AGENT_DIR=/var/lib/faaspot-agent \
    FAASPOT_RUN_AS=faaspot
WORKDIR /var/lib/faaspot-agent
VOLUME /var/lib/faaspot-agent
# Healthy once registered: the agent keeps its credential from then on.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD test -s "$FAASPOT_AGENT_DIR/credential"
# tini reaps function processes orphaned by a crash, and passes signals on (SIGTERM: the agent
# finishes what it can and hands the rest back).
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/opt/faaspot/faaspot-agent.jar"]
