package io.faaspot.api.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server as the README's command runs it, on the beans Spring's AOT processing
 * generated at build ({@code -Dspring.aot.enabled=true}). Those are fixed where no {@code
 * spring.datasource.url} was set: the same jar must still run its own PostgreSQL without one, and
 * use the one it is given when it runs (as the compose stack gives it), with its pool settings.
 */
class AheadOfTimeServerIT {
  private static final String ADMIN = "fst_aot-admin-token-0123456789ab";
  private static final String SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

  private ServerProcess embedded;
  private ServerProcess external;

  @AfterEach
  void stopServers() {
    if (external != null) {
      external.stop();
    }
    if (embedded != null) {
      embedded.stop();
    }
  }

  @Test
  void theAheadOfTimeBuiltServerRunsItsOwnDatabaseOrTheOneItsUrlNames() throws Exception {
    Path root = Chaos.traversableDir(Path.of("target/aot-it").toAbsolutePath(), "run-");
    embedded =
        new ServerProcess(
            "embedded",
            ServerProcess.freePort(),
            ServerProcess.dataDir(root, "one"),
            properties(Map.of()),
            AOT);
    embedded.start();
    String embeddedLog = Files.readString(embedded.log());
    assertThat(embeddedLog).contains("Starting AOT-processed FaaspotServer");
    Matcher pg =
        Pattern.compile("the embedded PostgreSQL accepts connections on 127\\.0\\.0\\.1:(\\d+)")
            .matcher(embeddedLog);
    assertThat(pg.find()).as(embeddedLog).isTrue();
    Http.User user = embedded.http().newUser(ADMIN, "aot");

    // A second server of the same jar, given the first one's database by URL.
    String password = Files.readString(embedded.dataDir().resolve("postgres-password")).strip();
    Path otherData = ServerProcess.dataDir(root, "two");
    external =
        new ServerProcess(
            "external",
            ServerProcess.freePort(),
            otherData,
            properties(
                Map.of(
                    "spring.datasource.url",
                    "jdbc:postgresql://127.0.0.1:" + pg.group(1) + "/postgres",
                    "spring.datasource.username",
                    "postgres",
                    "spring.datasource.password",
                    password,
                    "spring.datasource.hikari.pool-name",
                    "aot-external-pool",
                    "spring.datasource.hikari.maximum-pool-size",
                    "5")),
            AOT);
    external.start();

    String externalLog = Files.readString(external.log());
    assertThat(externalLog)
        .contains("Starting AOT-processed FaaspotServer")
        .contains("aot-external-pool - Start completed")
        .doesNotContain("starting the embedded PostgreSQL");
    assertThat(otherData.resolve("postgres")).doesNotExist();
    // The account made through the first server is there for the second: one database.
    Http.Response accounts =
        external.http().send("GET", "/api/admin/accounts", "Token " + ADMIN, null);
    assertThat(accounts.status()).as(accounts.body()).isEqualTo(200);
    assertThat(accounts.body()).contains("\"" + user.username() + "\"");
    // Ready without an embedded database to wait for.
    Http.Response ready = external.http().send("GET", "/actuator/health/readiness", null, null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("\"UP\"");
  }

  private static Map<String, String> properties(Map<String, String> more) {
    Map<String, String> p = new java.util.HashMap<>(more);
    p.put("faaspot.admin-token", ADMIN);
    p.put("faaspot.secrets-key", SECRETS_KEY);
    if (Files.isDirectory(ServerProcess.PG_BINARIES)) {
      p.put("faaspot.embedded-db.binaries-dir", ServerProcess.PG_BINARIES.toString());
    }
    return p;
  }
}
