package io.faaspot.api.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
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

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(FaaspotProperties props) throws IOException {
    Path dir = props.dataDir().toAbsolutePath().resolve("postgres");
    Files.createDirectories(dir.getParent());
    log.info("no spring.datasource.url: starting the embedded PostgreSQL in {}", dir);
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        // Spring stops it after everything that uses it; its own JVM hook would stop it first.
        .setRegisterShutdownHook(false)
        .setServerConfig("max_connections", "200")
        // A commit is on disk before it is answered, as on any PostgreSQL left at its defaults.
        // The embedded library turns both off for tests' sake (fsync with a -F flag, which a
        // later setting overrides); an id we hand out must survive a crash of the database or of
        // the machine, and without fsync a machine crash can also corrupt the database.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(EmbeddedPostgres pg) {
    HikariConfig cfg = new HikariConfig();
    cfg.setPoolName("faaspot-embedded");
    cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    cfg.setMaximumPoolSize(32);
    cfg.setMinimumIdle(2);
    return new HikariDataSource(cfg);
  }

  static final class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }
}
