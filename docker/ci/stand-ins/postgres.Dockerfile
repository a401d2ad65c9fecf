# Stand-in for postgres:17 where no image registry is reachable (docker/ci/base-images.sh builds
# it; never pushed anywhere). PostgreSQL 15 from Debian bookworm's packages, not 17: bookworm has
# no 17, and nothing else may be fetched here. It honours what docker-compose.yml and
# Testcontainers rely on from the official image: POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD
# (or POSTGRES_PASSWORD_FILE), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
# docker-entrypoint.sh on the PATH, initialisation on first start by a temporary server that
# listens on no TCP port, /docker-entrypoint-initdb.d (*.sh, *.sql), pg_isready and the other
# client tools on the PATH, the data directory /var/lib/postgresql/data (PGDATA, a volume), the
# postgres user (uid 999) the server drops to, port 5432, stop by SIGINT. Not imitated: version 17
# itself (a dump of a real 17 will not load into 15), the en_US.utf8 locale (C.UTF-8 here),
# *.sql.gz/xz/zst init scripts, POSTGRES_INITDB_WALDIR, running as an arbitrary --user, the
# alpine variants' musl (postgres:17-alpine is tagged to this image too).
ARG BASE=faaspot-ci/debian:bookworm
FROM ${BASE}
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /var/lib/postgresql /etc/postgresql-common/createcluster.d \
 && chown postgres:postgres /var/lib/postgresql \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/no-main.conf
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" \
      /usr/share/postgresql/15/postgresql.conf.sample
ENV PG_MAJOR=15 \
    PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
RUN mkdir -p /var/run/postgresql /docker-entrypoint-initdb.d "$PGDATA" \
 && chown postgres:postgres /var/run/postgresql "$PGDATA" \
 && chmod 3777 /var/run/postgresql \
 && chmod 1777 "$PGDATA"
VOLUME /var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
