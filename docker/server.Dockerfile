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
# No ahead-of-time cache here (nor the extraction that goes with it): a cache holds for the JVM
# that made it, and this stage's JDK is not the run stage's JRE. The run stage trains its own
# (README, "Start and warm-up").
RUN ./mvnw -B -q -DskipTests -Dfaaspot.aot.skip=true package

# --- Extract: the server as a thin jar and its lib/, as an ahead-of-time cache needs it (the JVM
# caches classes from jars on the class path, not from jars nested in a Boot jar). On the run
# stage's own image, so its java; a stage of its own so that the fat jar is in no layer of the
# image (a file removed by a later RUN still weighs in the layer that added it). ---
FROM eclipse-temurin:25-jre AS extract
COPY --from=build /src/api/target/faaspot-server.jar /tmp/faaspot-server.jar
RUN java -Djarmode=tools -jar /tmp/faaspot-server.jar extract --destination /opt/faaspot/server

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
COPY --from=extract /opt/faaspot/server /opt/faaspot/server
COPY --from=build /src/spot-agent/target/faaspot-agent.jar /opt/faaspot/faaspot-agent.jar
COPY --from=build /src/api/src/aot/train.py /tmp/faaspot-aot/train.py
# The ahead-of-time caches of the server and of the local spots' agent, recorded here by this
# stage's JVM on these very jars at these very paths: a cache holds only for the JVM and the class
# path (absolute paths, the jars' sizes and times) that recorded it (README, "Start and warm-up").
# The training run (about 2-3 minutes) starts the server as root on a data directory in /tmp, with
# its embedded PostgreSQL (whose system user it creates), adds a local spot and drives the hot paths
# over HTTP; the spot's functions run as its uid 61000 + N alone, as bubblewrap cannot make its
# namespaces in a build step (the agent probes it at start and falls back, as in any container not
# given the rights; where they are given, it uses bubblewrap as before). It writes
# server/faaspot-server.aot and faaspot-agent.aot, and fails the build with its reason and the
# server's last lines if a step fails. Nothing else of the run stays in the layer: /tmp is emptied
# (its data directory, Tomcat's and the JVMs' files), and the account files go back as they were, as
# the server makes its database user on first start (useradd also rewrites the "-" backups, so
# deleting the user would not undo it).
RUN set -eu; \
    cd /; \
    accounts="etc/.pwd.lock etc/passwd* etc/group* etc/shadow* etc/gshadow*"; \
    tar -cpf /tmp/faaspot-aot/accounts.tar $(ls -d $accounts 2> /dev/null || true); \
    python3 /tmp/faaspot-aot/train.py /opt/faaspot/server /opt/faaspot/faaspot-agent.jar; \
    rm -f $accounts; \
    tar -xpf /tmp/faaspot-aot/accounts.tar; \
    find /tmp -mindepth 1 -delete; \
    test -s /opt/faaspot/server/faaspot-server.aot; \
    test -s /opt/faaspot/faaspot-agent.aot
COPY docker/server-entrypoint.sh /opt/faaspot/server-entrypoint.sh
RUN chmod 755 /opt/faaspot/server-entrypoint.sh

ENV FAASPOT_DATA_DIR=/var/lib/faaspot \
    FAASPOT_SPOTS_LOCAL_AGENT_JAR=/opt/faaspot/faaspot-agent.jar \
    FAASPOT_SERVER_JAR=/opt/faaspot/server/faaspot-server.jar \
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
