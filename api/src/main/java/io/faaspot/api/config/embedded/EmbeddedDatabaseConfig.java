package io.faaspot.api.config.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.faaspot.api.config.FaaspotProperties;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The server's database. The embedded default: with no {@code spring.datasource.url}, the server
 * runs its own PostgreSQL whose data lives in {@code <data-dir>/postgres} and survives restarts.
 * One command from a fresh clone gives a working server; production points {@code
 * spring.datasource.url} at a real one, and gets the pool Spring Boot would make of it (Hikari,
 * {@code spring.datasource.*} and {@code spring.datasource.hikari.*}).
 *
 * <p>Decided when the beans are made, not by a condition on this class: a server built ahead of
 * time ({@code -Dspring.aot.enabled=true}, README "Start and warm-up") has its beans fixed at
 * build, where no URL is set, and must still follow the URL it is given when it runs.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedDatabaseConfig {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

  /**
   * The one {@link EarlyEmbeddedPostgres} started as the context began, else one started now; none
   * (a null bean) with {@code spring.datasource.url}. Stopped after the DataSource, which depends
   * on it, is closed.
   */
  @Bean(destroyMethod = "close")
  EmbeddedPostgresServer embeddedPostgres(
      Environment env,
      FaaspotProperties props,
      EmbeddedDbProperties db,
      ObjectProvider<EarlyEmbeddedPostgres.Starting> early)
      throws Exception {
    if (!embedded(env)) {
      return null;
    }
    Path dir = props.dataDir().toAbsolutePath();
    EarlyEmbeddedPostgres.Starting starting = early.getIfAvailable();
    EmbeddedPostgresServer started = starting == null ? null : starting.take(dir, db);
    if (started != null) {
      return started;
    }
    log.info("no spring.datasource.url: starting the embedded PostgreSQL in {}", dir);
    return EmbeddedPostgresServer.start(dir, db);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      Environment env,
      ObjectProvider<EmbeddedPostgresServer> embedded,
      DataSourceProperties external) {
    EmbeddedPostgresServer pg = embedded.getIfAvailable();
    return pg == null ? externalPool(env, external) : embeddedPool(pg);
  }

  /** As Spring Boot's own: the URL and credentials, then {@code spring.datasource.hikari.*}. */
  private static HikariDataSource externalPool(Environment env, DataSourceProperties external) {
    HikariDataSource pool =
        external.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    if (external.getName() != null) {
      pool.setPoolName(external.getName());
    }
    Binder.get(env).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
    return pool;
  }

  HikariDataSource embeddedPool(EmbeddedPostgresServer pg) {
    HikariConfig cfg = new HikariConfig();
    cfg.setPoolName("faaspot-embedded");
    cfg.setJdbcUrl(pg.jdbcUrl());
    cfg.setUsername(pg.username());
    cfg.setPassword(pg.password());
    cfg.setMaximumPoolSize(32);
    cfg.setMinimumIdle(2);
    // While the postmaster restarts (under a second, more in a crash loop) a request waits this
    // long for a connection, then fails, rather than Hikari's default 30 s.
    cfg.setConnectionTimeout(5_000);
    cfg.setValidationTimeout(2_000);
    HikariDataSource pool =
        new HikariDataSource(cfg) {
          // While PostgreSQL is down, a request that is already in (DatabaseAway turns away the
          // ones that come then) gets its 503 at once too, rather than waiting on a connection.
          @Override
          public Connection getConnection() throws SQLException {
            if (!pg.running()) {
              throw new SQLTransientConnectionException("the embedded PostgreSQL is restarting");
            }
            return super.getConnection();
          }
        };
    // After a crash every pooled connection leads to a backend of the dead postmaster. Hikari
    // checks a connection before handing it out only if it has been idle for 500 ms, so a request
    // soon after the restart would get one and fail; evicted, each is closed instead.
    pg.whenPostmasterDies(
        () -> {
          HikariPoolMXBean connections = pool.getHikariPoolMXBean();
          if (connections != null) {
            connections.softEvictConnections();
            log.info("dropped the pool's connections to the dead embedded PostgreSQL");
          }
        });
    return pool;
  }

  /** Readiness (management.endpoint.health.group.readiness) includes it; none without one. */
  @Bean
  HealthIndicator embeddedDatabase(ObjectProvider<EmbeddedPostgresServer> embedded) {
    EmbeddedPostgresServer pg = embedded.getIfAvailable();
    if (pg == null) {
      return null;
    }
    return () ->
        (pg.running() ? Health.up() : Health.down().withDetail("state", "restarting"))
            .withDetail("restarts", pg.restarts())
            .build();
  }

  /** Whether the server runs its own PostgreSQL: no {@code spring.datasource.url}. */
  static boolean embedded(Environment env) {
    String url = env.getProperty("spring.datasource.url");
    return url == null || url.isBlank();
  }
}
