package io.faaspot.api.secrets;

import static io.faaspot.api.testing.TestFunctions.createBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faaspot.api.FaaspotServer;
import io.faaspot.api.testing.Http;
import io.faaspot.api.web.PercentCoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The key across restarts: each test starts its own servers, one after the other, on a data
 * directory of its own with the embedded PostgreSQL, as an operator would.
 */
class SecretsKeyTest {
  static final String ADMIN_TOKEN = "fst_secrets-key-test-admin-token-0123";
  static final String CODE = "def main(args, context):\n    return context\n";
  static final String CONTEXT = "API_KEY=sk-live-0123456789\n";
  static final String KEY_A = ContextKey.generate();
  static final String KEY_B = ContextKey.generate();

  @TempDir Path dataDir;

  @Test
  void aRestartWithTheGeneratedKeyReadsTheContextAndAnotherKeyIsRefusedAtStart() throws Exception {
    // given a first start without a configured key, and a deployment with a context
    Http.User alice;
    try (var first = start()) {
      alice = http(first).newUser(ADMIN_TOKEN, "alice");
      assertThat(
              alice.put("/api/deployments/", createBody("hello", CODE, "", CONTEXT, "")).status())
          .isEqualTo(200);
    }
    Path keyFile = dataDir.resolve("secrets-key");
    String generated = Files.readString(keyFile).strip();

    // when the server restarts, and when it starts with another key
    String context;
    try (var second = start()) {
      context = again(second, alice).get("/api/deployments/hello").json().get("context").asString();
    }
    Throwable refused = startFailure("--faaspot.secrets-key=" + KEY_B);

    // then the key file is the owner's alone and opens the context; the other key stops the start
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(ContextKeys.decode(generated, "the file").id()).hasSize(8);
    assertThat(context).isEqualTo(PercentCoding.quote(CONTEXT));
    assertThat(refused)
        .hasMessageContaining(
            "faaspot.secrets-key does not match the key the contexts were encrypted with")
        .hasMessageContaining("see README, Secrets")
        .hasMessageNotContaining(KEY_B)
        .hasMessageNotContaining(generated);
    assertThat(Files.readString(keyFile).strip()).isEqualTo(generated);
  }

  @Test
  void aLostKeyFileIsAStartUpErrorNotANewKey() throws Exception {
    // given contexts encrypted with the generated key
    try (var first = start()) {
      http(first)
          .newUser(ADMIN_TOKEN, "bob")
          .put("/api/deployments/", createBody("hello", CODE, "", CONTEXT, ""));
    }

    // when the key file is lost and the server starts again
    Files.delete(dataDir.resolve("secrets-key"));
    Throwable refused = startFailure();

    // then it refuses, naming the file it made
    assertThat(refused)
        .hasMessageContaining("does not match the key the contexts were encrypted with")
        .hasMessageContaining(dataDir.resolve("secrets-key").toString());
  }

  @Test
  void aKeyOfTheWrongLengthOrNotBase64IsAStartUpError() {
    // given keys that are not 32 bytes of base64
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);

    // when the server starts with them
    Throwable tooShort = startFailure("--faaspot.secrets-key=" + shortKey);
    Throwable notBase64 = startFailure("--faaspot.secrets-key=not a key!");

    // then it says what a key must be, without quoting it
    assertThat(tooShort)
        .hasMessageContaining("faaspot.secrets-key must be the base64 of 32 random bytes")
        .hasMessageContaining("holds 16 bytes")
        .hasMessageNotContaining(shortKey);
    assertThat(notBase64)
        .hasMessageContaining("faaspot.secrets-key is not base64")
        .hasMessageNotContaining("not a key!");
  }

  @Test
  void plainTextContextsOfAnOlderVersionAreEncryptedAtStart() throws Exception {
    // given a database as an older server left it: contexts in plain text, and no key check
    Http.User carol;
    try (var first = start("--faaspot.secrets-key=" + KEY_A)) {
      carol = http(first).newUser(ADMIN_TOKEN, "carol");
      carol.put("/api/deployments/", createBody("one", CODE, "", CONTEXT, ""));
      carol.put("/api/deployments/", createBody("two", CODE, "", "", ""));
      JdbcTemplate db = db(first);
      db.update(
          "UPDATE deployment_versions SET context = ? WHERE deployment_id = ?",
          CONTEXT,
          deploymentId(db, "one"));
      db.update("DELETE FROM secrets_key_check");
      assertThat(storedContexts(db)).contains(CONTEXT);
    }

    // when the server starts
    try (var second = start("--faaspot.secrets-key=" + KEY_A)) {
      JdbcTemplate db = db(second);

      // then every context is sealed with the key, the key check is written, and both read back
      assertThat(storedContexts(db)).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("v1:"));
      assertThat(storedContexts(db)).noneMatch(c -> c.contains("sk-live"));
      assertThat(db.queryForObject("SELECT count(*) FROM secrets_key_check", Integer.class))
          .isEqualTo(1);
      Http.User again = again(second, carol);
      assertThat(again.get("/api/deployments/one").json().get("context").asString())
          .isEqualTo(PercentCoding.quote(CONTEXT));
      assertThat(again.get("/api/deployments/two").json().get("context").asString()).isEmpty();
    }
    // and another key is refused now
    assertThat(startFailure("--faaspot.secrets-key=" + KEY_B))
        .hasMessageContaining("does not match the key the contexts were encrypted with");
  }

  @Test
  void aRotationReEncryptsEveryContextWithTheNewKeyAndRetiresThePreviousOne() throws Exception {
    // given contexts encrypted with key A
    Http.User dave;
    List<String> before;
    try (var first = start("--faaspot.secrets-key=" + KEY_A)) {
      dave = http(first).newUser(ADMIN_TOKEN, "dave");
      dave.put("/api/deployments/", createBody("one", CODE, "", CONTEXT, ""));
      dave.patch("/api/deployments/one", "{\"context\": \"V=2\"}");
      before = storedContexts(db(first));
    }

    // when the server starts with key B and A as the previous key, then with B alone
    List<String> after;
    try (var rotating =
        start("--faaspot.secrets-key=" + KEY_B, "--faaspot.secrets-previous-key=" + KEY_A)) {
      after = storedContexts(db(rotating));
    }
    String context;
    try (var rotated = start("--faaspot.secrets-key=" + KEY_B)) {
      context = again(rotated, dave).get("/api/deployments/one").json().get("context").asString();
    }

    // then every context changed keys, B alone reads them, and A alone is refused
    String idA = ContextKeys.decode(KEY_A, "A").id();
    String idB = ContextKeys.decode(KEY_B, "B").id();
    assertThat(before).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("v1:" + idA + ":"));
    assertThat(after).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("v1:" + idB + ":"));
    assertThat(context).isEqualTo("V%3D2");
    assertThat(startFailure("--faaspot.secrets-key=" + KEY_A))
        .hasMessageContaining("does not match the key the contexts were encrypted with")
        .hasMessageContaining("key " + idB + " in the database");
  }

  private ConfigurableApplicationContext start(String... extra) {
    List<String> args = new ArrayList<>(arguments());
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(FaaspotServer.class).run(args.toArray(String[]::new));
  }

  /** The root cause of a start that fails. */
  private Throwable startFailure(String... extra) {
    var failure = assertThatThrownBy(() -> start(extra).close()).actual();
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  private List<String> arguments() {
    return List.of(
        "--server.port=0",
        "--faaspot.data-dir=" + dataDir,
        "--faaspot.admin-token=" + ADMIN_TOKEN,
        "--faaspot.spots.provider=manual");
  }

  private static Http http(ConfigurableApplicationContext ctx) {
    int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    return new Http("http://127.0.0.1:" + port);
  }

  private static Http.User again(ConfigurableApplicationContext ctx, Http.User user) {
    return new Http.User(http(ctx), user.username(), user.token());
  }

  private static JdbcTemplate db(ConfigurableApplicationContext ctx) {
    return new JdbcTemplate(ctx.getBean(DataSource.class));
  }

  private static long deploymentId(JdbcTemplate db, String name) {
    return db.queryForObject("SELECT id FROM deployments WHERE name = ?", Long.class, name);
  }

  private static List<String> storedContexts(JdbcTemplate db) {
    return db.queryForList(
        "SELECT context FROM deployment_versions ORDER BY deployment_id, version", String.class);
  }
}
