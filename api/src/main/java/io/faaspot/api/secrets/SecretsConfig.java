package io.faaspot.api.secrets;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SecretsProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes {@link Contexts} only once the key is checked and every stored context is sealed with it:
 * whatever reads contexts depends on it, so nothing reads them before, and a wrong key stops the
 * start before the server serves. The JdbcTemplate waits for Flyway.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfig {
  @Bean
  Contexts contexts(
      SecretsProperties secrets,
      FaaspotProperties faaspot,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      Clock clock) {
    ContextKeys keys = ContextKeys.load(secrets, faaspot.dataDir());
    new EncryptContextsAtStart(jdbc, new TransactionTemplate(transactions), keys, clock).run();
    return new Contexts(keys);
  }
}
