package io.faaspot.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The admin API under the names DESIGN.md fixes for operators and scripts ({@code POST
 * /api/admin/accounts} answering {@code {"username", "token"}}), the token calls of the README, who
 * may use them, how tokens are stored, and the admin account made at first start.
 */
class AdminApiTest extends ServerTest {
  @Autowired JdbcTemplate jdbcTemplate;
  @Autowired AccountRepository accounts;
  @Autowired ApiTokenRepository tokens;
  @Autowired IssueToken issueToken;
  @Autowired Clock clock;
  @Autowired PlatformTransactionManager transactions;

  @TempDir Path dataDir;

  @Test
  void creatingAnAccountAnswersItsUsernameAndATokenThatWorks() {
    // given a new username
    String username = unique("carol");

    // when the admin creates the account with a password
    var created =
        admin()
            .post(
                "/api/admin/accounts",
                "{\"username\": \"" + username + "\", \"password\": \"carols-password\"}");

    // then the answer names it and carries a working token
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().get("username").asString()).isEqualTo(username);
    String token = created.json().get("token").asString();
    assertThat(token).isNotBlank();
    var carol = new Http.User(http(), username, token);
    var deployments = carol.get("/api/deployments");
    assertThat(deployments.status()).isEqualTo(200);
    assertThat(deployments.json().isArray()).isTrue();
  }

  @Test
  void anAccountNeedsNoPassword() {
    // given a new username
    String username = unique("tokenonly");

    // when the admin creates the account without a password
    var created = admin().post("/api/admin/accounts", "{\"username\": \"" + username + "\"}");

    // then it exists and its token works
    assertThat(created.status()).isEqualTo(200);
    var user = new Http.User(http(), username, created.json().get("token").asString());
    assertThat(user.get("/api/deployments/").status()).isEqualTo(200);
  }

  @Test
  void aTakenUsernameIsAConflict() {
    // given an existing account
    var existing = newUser("taken");

    // when the admin creates another with the same username
    var again =
        admin().post("/api/admin/accounts", "{\"username\": \"" + existing.username() + "\"}");

    // then it is refused with 409, and the first account's token still works
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.message()).contains(existing.username());
    assertThat(existing.get("/api/deployments/").status()).isEqualTo(200);
  }

  @Test
  void anInvalidUsernameIsRefusedWith400AndCreatesNothing() {
    // given usernames that are empty, start with a symbol, hold spaces or slashes, or are too long
    List<String> invalid =
        List.of("", "-dash", "has space", "a/b", "x".repeat(65), "semi;colon", "ünï");

    for (String username : invalid) {
      // when the admin tries to create each
      var r =
          admin()
              .post(
                  "/api/admin/accounts",
                  "{\"username\": " + Http.JSON.writeValueAsString(username) + "}");

      // then it is a bad request, and no such account exists
      assertThat(r.status()).as("username %s", username).isEqualTo(400);
      assertThat(r.message()).as("username %s", username).contains("username");
      assertThat(accounts.findByUsername(username)).as("username %s", username).isEmpty();
    }
    assertThat(admin().post("/api/admin/accounts", "{}").status()).isEqualTo(400);
  }

  @Test
  void theAdminCanIssueAnotherWorkingTokenForAnAccount() {
    // given an account with its first token
    var dave = newUser("dave");

    // when the admin issues it another token
    var issued =
        admin().post("/api/admin/accounts/" + dave.username() + "/tokens", "{\"label\": \"ci\"}");

    // then the new token works, differs from the first, and the first still works
    assertThat(issued.status()).isEqualTo(200);
    assertThat(issued.json().get("username").asString()).isEqualTo(dave.username());
    String second = issued.json().get("token").asString();
    assertThat(second).isNotEqualTo(dave.token());
    assertThat(new Http.User(http(), dave.username(), second).get("/api/deployments").status())
        .isEqualTo(200);
    assertThat(dave.get("/api/deployments").status()).isEqualTo(200);
    var listed = admin().get("/api/admin/accounts/" + dave.username() + "/tokens");
    assertThat(listed.json().findValuesAsString("label")).contains("ci");
  }

  @Test
  void revokingATokenMakesItUnauthorizedAndLeavesTheOthersWorking() {
    // given an account with a second token labelled "laptop"
    var erin = newUser("erin");
    String laptop =
        admin()
            .post("/api/admin/accounts/" + erin.username() + "/tokens", "{\"label\": \"laptop\"}")
            .json()
            .get("token")
            .asString();
    var listed = admin().get("/api/admin/accounts/" + erin.username() + "/tokens");
    assertThat(listed.status()).isEqualTo(200);
    JsonNode row = tokenLabelled(listed.json(), "laptop");
    assertThat(row.get("revoked").isNull()).isTrue();
    // and in use, so that this server remembers it (faaspot.api.auth-cache-ttl)
    assertThat(new Http.User(http(), erin.username(), laptop).get("/api/deployments").status())
        .isEqualTo(200);

    // when the admin revokes it by its id
    var revoked = admin().delete("/api/admin/tokens/" + row.get("id").asLong());

    // then that token gets 401 at once, the account's other token still works, and the list
    // shows it
    assertThat(revoked.status()).isEqualTo(200);
    var withRevoked = new Http.User(http(), erin.username(), laptop).get("/api/deployments");
    assertThat(withRevoked.status()).isEqualTo(401);
    assertThat(erin.get("/api/deployments").status()).isEqualTo(200);
    var after = admin().get("/api/admin/accounts/" + erin.username() + "/tokens").json();
    assertThat(tokenLabelled(after, "laptop").get("revoked").isNull()).isFalse();
  }

  @Test
  void tokenCallsNamingAnUnknownAccountOrTokenAre404() {
    // given names that do not exist
    String nobody = unique("nobody");

    // when the admin issues, lists and revokes tokens by them
    var issue = admin().post("/api/admin/accounts/" + nobody + "/tokens", "{}");
    var list = admin().get("/api/admin/accounts/" + nobody + "/tokens");
    var revoke = admin().delete("/api/admin/tokens/" + Long.MAX_VALUE);

    // then each is 404 with a message, and nothing was made for that name
    assertThat(List.of(issue, list, revoke)).extracting(Http.Response::status).containsOnly(404);
    assertThat(issue.message()).contains(nobody);
    assertThat(accounts.findByUsername(nobody)).isEmpty();
  }

  @Test
  void theAdminSetsAndRemovesAPasswordAndTheOldOneStopsWorkingAtOnce() {
    // given an account whose password has just logged in (and is remembered for a while)
    Http.User dave = newUser("dave");
    assertThat(basic(dave.username(), dave.password()).status()).isEqualTo(200);

    // when the admin sets a new one
    Http.Response set =
        admin()
            .put(
                "/api/admin/accounts/" + dave.username() + "/password",
                "{\"password\": \"daves-new-password\"}");

    // then the new one works, the old one at once does not, and the token is unchanged
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("username").asString()).isEqualTo(dave.username());
    assertThat(set.json().get("password_set").asBoolean()).isTrue();
    assertThat(basic(dave.username(), dave.password()).status()).isEqualTo(401);
    assertThat(basic(dave.username(), "daves-new-password").status()).isEqualTo(200);
    assertThat(dave.get("/api/deployments/").status()).isEqualTo(200);

    // and null removes it: tokens only, under /v1/ too
    Http.Response removed =
        admin().put("/v1/admin/accounts/" + dave.username() + "/password/", "{\"password\": null}");
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    assertThat(removed.json().get("password_set").asBoolean()).isFalse();
    JsonNode listed = null;
    for (JsonNode a : admin().get("/api/admin/accounts").json()) {
      if (a.get("username").asString().equals(dave.username())) {
        listed = a;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("password_set").asBoolean()).isFalse();
    assertThat(basic(dave.username(), "daves-new-password").status()).isEqualTo(401);
    assertThat(dave.get("/api/deployments/").status()).isEqualTo(200);
  }

  @Test
  void aBadPasswordChangeIsRefusedAndChangesNothing() {
    Http.User erin = newUser("erin");
    String path = "/api/admin/accounts/" + erin.username() + "/password";

    assertThat(admin().put(path, "{\"password\": \"short\"}").message())
        .contains("8 to 72 characters");
    assertThat(admin().put(path, "{}").message()).contains("password is required");
    // 40 characters, 80 bytes: bcrypt reads 72 bytes at most
    Http.Response multibyte = admin().put(path, "{\"password\": \"" + "é".repeat(40) + "\"}");
    assertThat(multibyte.status()).as(multibyte.body()).isEqualTo(400);
    assertThat(multibyte.message()).contains("72 bytes");
    assertThat(basic(erin.username(), "é".repeat(40)).status()).isEqualTo(401);
    assertThat(admin().put(path, "{\"password\": 12345678}").message()).contains("string");
    assertThat(
            admin()
                .put(
                    "/api/admin/accounts/" + unique("nobody") + "/password", "{\"password\": null}")
                .status())
        .isEqualTo(404);
    assertThat(basic(erin.username(), erin.password()).status()).isEqualTo(200);
  }

  private Http.Response basic(String username, String password) {
    String pair = username + ":" + password;
    return http()
        .send(
            "GET",
            "/api/deployments/",
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
            null);
  }

  @Test
  void onlyTheAdminTokenMayCallTheAdminApi() {
    // given a normal account
    var mallory = newUser("mallory");

    // when it calls each admin endpoint
    List<Http.Response> answers =
        List.of(
            mallory.post("/api/admin/accounts", "{\"username\": \"" + unique("sock") + "\"}"),
            mallory.get("/api/admin/accounts"),
            mallory.post("/api/admin/accounts/" + mallory.username() + "/tokens", "{}"),
            mallory.get("/api/admin/accounts/" + mallory.username() + "/tokens"),
            mallory.put(
                "/api/admin/accounts/" + mallory.username() + "/password",
                "{\"password\": \"mallorys-own-choice\"}"),
            mallory.delete("/api/admin/tokens/1"));

    // then each is forbidden, and without any credentials it is unauthorized
    assertThat(answers).extracting(Http.Response::status).containsOnly(403);
    assertThat(http().send("GET", "/api/admin/accounts", null, null).status()).isEqualTo(401);
    assertThat(admin().get("/api/admin/accounts").status()).isEqualTo(200);
  }

  @Test
  void tokensAreStoredOnlyAsTheirDigests() {
    // given an account with a token
    var frank = newUser("frank");
    byte[] plain = frank.token().getBytes(StandardCharsets.UTF_8);

    // when the stored tokens are read
    List<byte[]> everyHash =
        jdbc.sql("SELECT token_hash FROM api_tokens").query(byte[].class).list();
    List<byte[]> franksHashes =
        jdbc.sql(
                "SELECT t.token_hash FROM api_tokens t JOIN accounts a ON a.id = t.account_id"
                    + " WHERE a.username = :u")
            .param("u", frank.username())
            .query(byte[].class)
            .list();

    // then no row holds a token itself, and frank's token is a 32-byte digest
    assertThat(everyHash).noneMatch(h -> Arrays.equals(h, plain));
    assertThat(franksHashes).hasSize(1);
    assertThat(franksHashes.getFirst()).hasSize(32).isNotEqualTo(plain);
  }

  @Test
  void theFirstStartWithoutAConfiguredTokenGeneratesOneAndWritesItForTheOwnerOnly() {
    asIfNoAdminExisted(
        () -> {
          // when the server starts for the first time with no faaspot.admin-token
          bootstrap(null);

          // then the admin token file holds a new token, readable by its owner only
          Path file = dataDir.resolve("admin-token");
          String token = read(file);
          assertThat(token).startsWith("fst_").hasSizeGreaterThan(40);
          assertThat(permissions(file)).isEqualTo("rw-------");
          // and that token is the new admin account's credential
          assertThat(tokens.findActiveCaller(Secrets.digest(token)))
              .hasValueSatisfying(
                  c -> {
                    assertThat(c.admin()).isTrue();
                    assertThat(c.username()).isEqualTo(AdminBootstrap.ADMIN_USERNAME);
                  });
        });
  }

  @Test
  void theFirstStartWithAConfiguredTokenMakesItTheAdminsCredential() {
    asIfNoAdminExisted(
        () -> {
          // when the server starts for the first time with faaspot.admin-token set
          String configured = unique("fst_configured");
          bootstrap(configured);

          // then that token is the admin's credential, and the file holds it for scripts
          assertThat(tokens.findActiveCaller(Secrets.digest(configured)))
              .hasValueSatisfying(c -> assertThat(c.admin()).isTrue());
          assertThat(read(dataDir.resolve("admin-token"))).isEqualTo(configured);
          assertThat(permissions(dataDir.resolve("admin-token"))).isEqualTo("rw-------");
        });
  }

  @Test
  void aTokenConfiguredAfterTheFirstStartIsAddedToTheExistingAdmin() {
    inRolledBackTransaction(
        () -> {
          // given a server that already made its admin account
          long adminsBefore = adminCount();

          // when it starts again with a new faaspot.admin-token
          String configured = unique("fst_later");
          bootstrap(configured);

          // then the token works for the same admin account, and no token file is rewritten
          assertThat(tokens.findActiveCaller(Secrets.digest(configured)))
              .hasValueSatisfying(
                  c -> assertThat(c.username()).isEqualTo(AdminBootstrap.ADMIN_USERNAME));
          assertThat(adminCount()).isEqualTo(adminsBefore);
          assertThat(dataDir.resolve("admin-token")).doesNotExist();
        });
  }

  private void bootstrap(String configuredToken) {
    new AdminBootstrap(
            jdbcTemplate,
            accounts,
            tokens,
            issueToken,
            new FaaspotProperties(dataDir, configuredToken, null),
            clock)
        .run(new DefaultApplicationArguments());
  }

  /**
   * Runs {@code body} in a transaction that is rolled back, after hiding the server's admin account
   * inside it, so that {@link AdminBootstrap} meets the database of a first start while the shared
   * server keeps its admin.
   */
  private void asIfNoAdminExisted(Runnable body) {
    inRolledBackTransaction(
        () -> {
          jdbc.sql(
                  "UPDATE accounts SET admin = false, username = username || '-hidden-' || id"
                      + " WHERE admin")
              .update();
          assertThat(accounts.firstAdmin()).isEmpty();
          body.run();
        });
  }

  private void inRolledBackTransaction(Runnable body) {
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              status.setRollbackOnly();
              body.run();
            });
  }

  private long adminCount() {
    return jdbc.sql("SELECT count(*) FROM accounts WHERE admin").query(Long.class).single();
  }

  private static JsonNode tokenLabelled(JsonNode list, String label) {
    for (JsonNode t : list) {
      if (t.path("label").isString() && label.equals(t.path("label").asString())) {
        return t;
      }
    }
    throw new AssertionError("no token labelled " + label + " in " + list);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
