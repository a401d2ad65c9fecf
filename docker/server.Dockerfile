# The FaaSpot server, with the agent and Python for local spots (agent processes in this
# container, the default provider). Build from the repository root:
#   docker build -f docker/server.Dockerfile -t faaspot-server .

# --- Build: the server and agent jars, with the Maven wrapper. ---
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
RUN ./mvnw -B -q dependency:go-offline
COPY . .
# No ahead-of-time cache here: a cache holds for the JDK that made it, and this stage's JDK is not
# the run stage's JRE (README, "Start and warm-up").
RUN ./mvnw -B -q -DskipTests -Dfaaspot.aot.skip=true package

# --- Run: JRE 25, python3 with venv and pip for the functions, openssl for the certificate. ---
FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv python3-pip openssl curl ca-certificates tini util-linux bubblewrap \
 && rm -rf /var/lib/apt/lists/*
# The server and the local spots' agents run as root so that function code cannot read what they
# hold: the admin token file, the TLS key, the database password, the agents' credentials. Each
# local spot runs its functions and pip builds as a uid of its own (61000 + N, no user needed),
# in bubblewrap where the container is given the rights for it (README, "Isolation"), else under
# that uid alone.
RUN mkdir -p /opt/faaspot /var/lib/faaspot \
 && chmod 711 /var/lib/faaspot
COPY --from=build /src/api/target/faaspot-server.jar /opt/faaspot/faaspot-server.jar
COPY --from=build /src/spot-agent/target/faaspot-agent.jar /opt/faaspot/faaspot-agent.jar
COPY docker/server-entrypoint.sh /opt/faaspot/server-entrypoint.sh
RUN chmod 755 /opt/faaspot/server-entrypoint.sh

ENV FAASPOT_DATA_DIR=/var/lib/faaspot \
    FAASPOT_SPOTS_LOCAL_AGENT_JAR=/opt/faaspot/faaspot-agent.jar \
    FAASPOT_SERVER_JAR=/opt/faaspot/faaspot-server.jar \
    FAASPOT_TLS=self-signed \
    FAASPOT_SECRETS_DIR=/run/faaspot/secrets
WORKDIR /var/lib/faaspot
VOLUME /var/lib/faaspot
# 8443: HTTPS (FAASPOT_TLS=self-signed or pem); 8080: plain HTTP (FAASPOT_TLS=off).
EXPOSE 8443 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["/opt/faaspot/server-entrypoint.sh", "--healthcheck"]
# tini reaps the processes of local spots whose agent died, and passes signals on.
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/faaspot/server-entrypoint.sh"]
