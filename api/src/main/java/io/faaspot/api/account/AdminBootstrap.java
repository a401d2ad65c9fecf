package io.faaspot.api.account;

import io.faaspot.api.config.FaaspotProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On the first start, creates the admin account and its token: the configured {@code
 * faaspot.admin-token}, or a random one. The token is printed once and written to {@code
 * <data-dir>/admin-token}, readable by the owner only.
 */
@Component
class AdminBootstrap implements ApplicationRunner {
  static final String ADMIN_USERNAME = "admin";

  /**
   * The advisory lock key ("FSADM" in ASCII): servers started at once on one database (replicas)
   * take turns, so that one creates the admin account and the others find it.
   */
  private static final long LOCK = 0x465341444dL;

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final AccountRepository accounts;
  private final ApiTokenRepository tokens;
  private final IssueToken issueToken;
  private final FaaspotProperties props;
  private final Clock clock;
  private final JdbcTemplate jdbc;

  AdminBootstrap(
      JdbcTemplate jdbc,
      AccountRepository accounts,
      ApiTokenRepository tokens,
      IssueToken issueToken,
      FaaspotProperties props,
      Clock clock) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.issueToken = issueToken;
    this.props = props;
    this.clock = clock;
    this.jdbc = jdbc;
  }

  @Override
  @Transactional
  public void run(ApplicationArguments args) {
    // Held to the end of this transaction, on its connection.
    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> {}, LOCK);
    Account admin = accounts.firstAdmin().orElse(null);
    String configured = props.adminToken();
    if (admin == null) {
      admin = accounts.insert(new Account(ADMIN_USERNAME, null, true, clock.instant()));
      String token =
          configured != null
              ? issueToken.issue(admin, "admin (configured)", configured).token()
              : issueToken.issue(admin, "admin (generated)").token();
      Path file = writeTokenFile(token);
      if (configured == null) {
        log.warn(
            "\n\n  FaaSpot admin account created. Its token (shown once, also in {}):\n\n    {}\n",
            file,
            token);
      } else {
        log.info("FaaSpot admin account created with the configured faaspot.admin-token");
      }
    } else if (configured != null && tokens.findByTokenHash(Secrets.digest(configured)).isEmpty()) {
      // An operator who sets the token later (e.g. in the compose file) expects it to work.
      issueToken.issue(admin, "admin (configured)", configured);
      log.info("added the configured faaspot.admin-token to the admin account");
    }
  }

  private Path writeTokenFile(String token) {
    Path file = props.dataDir().toAbsolutePath().resolve("admin-token");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token to " + file, e);
    }
  }
}
