# Stand-in for eclipse-temurin:25-jdk and eclipse-temurin:25-jre where no image registry is
# reachable (docker/ci/base-images.sh builds it; never pushed anywhere). The official images are
# Ubuntu with Temurin in /opt/java/openjdk; this is Debian bookworm (debootstrap --variant=minbase,
# imported as faaspot-ci/debian:bookworm) with the Temurin 25 JDK of the machine, or a JRE made
# from it with jlink, in the same place. Not imitated: Ubuntu itself, the official entrypoint that
# adds /certificates to the trust store, the locales (C.UTF-8 here, en_US.UTF-8 there), fontconfig.
# Trust: as the machine's. Its extra CA certificates (/usr/local/share/ca-certificates: on our CI
# machines, the egress proxy's, which re-signs HTTPS to Maven Central) join the system store, for
# the Maven wrapper's curl; Java's cacerts is the one the machine's JDK uses (a copy, not a link).
ARG BASE=faaspot-ci/debian:bookworm
FROM ${BASE}
# What the official images carry and our Dockerfiles use: curl (the Maven wrapper downloads
# Maven with it), the CA certificates, tar and gzip.
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates tzdata \
 && update-ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY java/ /opt/java/openjdk/
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 LC_ALL=C.UTF-8
RUN java -version && test -s "$JAVA_HOME/lib/security/cacerts"
CMD ["jshell"]
