package io.faaspot.api.config.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.faaspot.api.config.FaaspotProperties;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no {@code spring.datasource.url}, the server runs its own PostgreSQL
 * whose data lives in {@code <data-dir>/postgres} and survives restarts. One command from a fresh
 * clone gives a working server; production points {@code spring.datasource.url} at a real one.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfig.NoDatasourceUrl.class)
class EmbeddedDatabaseConfig {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

  /**
   * The one {@link EarlyEmbeddedPostgres} started as the context began, else one started now.
   * Stopped after the DataSource, which depends on it, is closed.
   */
  @Bean(destroyMethod = "close")
  EmbeddedPostgresServer embeddedPostgres(
      FaaspotProperties props,
      EmbeddedDbProperties db,
      ObjectProvider<EarlyEmbeddedPostgres.Starting> early)
      throws Exception {
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
  DataSource dataSource(EmbeddedPostgresServer pg) {
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
    return new HikariDataSource(cfg);
  }

  /** Readiness (management.endpoint.health.group.readiness) includes it. */
  @Bean
  HealthIndicator embeddedDatabase(EmbeddedPostgresServer pg) {
    return () ->
        (pg.running() ? Health.up() : Health.down().withDetail("state", "restarting"))
            .withDetail("restarts", pg.restarts())
            .build();
  }

  static final class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return matches(context.getEnvironment());
    }

    static boolean matches(Environment env) {
      String url = env.getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
