package io.faaspot.api.secrets;

import static io.faaspot.api.testing.TestFunctions.createBody;
import static io.faaspot.api.testing.TestFunctions.runAsync;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.config.SecretsProperties;
import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.testing.TestAgent;
import io.faaspot.api.web.PercentCoding;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Contexts are stored encrypted; their owner and the agents see them as they were written. */
class ContextEncryptionTest extends ServerTest {
  static final String CODE = "def main(args, context):\n    return context['API_KEY']\n";
  static final String CONTEXT = "API_KEY = \"sk-live-0123456789\"\nREGION=eu\n";

  @Autowired SpotRegistrations registrations;
  @Autowired FaaspotProperties faaspot;
  @Autowired JdbcTemplate jdbcTemplate;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void theContextColumnHoldsNoPlaintextAfterADeploymentWithAContextIsCreated() {
    // given a user
    Http.User user = newUser("sealed");

    // when they create a deployment with a context
    var created = user.put("/api/deployments/", createBody("sealed", CODE, "", CONTEXT, ""));

    // then the database holds it sealed, and its owner reads it back as before, URL-quoted
    assertThat(created.status()).isEqualTo(200);
    String stored = storedContext(user, "sealed", 1);
    assertThat(stored).startsWith("v1:").doesNotContain("sk-live").doesNotContain("REGION");
    JsonNode got = user.get("/api/deployments/sealed").json();
    assertThat(got.get("context").asString()).isEqualTo(PercentCoding.quote(CONTEXT));
  }

  @Test
  void anAgentReceivesThePlainContextOfTheVersionItRunsAndAnUpdateKeepsIt() {
    // given a deployment with a context, updated with new code only
    Http.User user = newUser("agent");
    user.put("/api/deployments/", createBody("keeps", CODE, "", CONTEXT, ""));
    String newCode = "def main(args, context):\n    return 2\n";
    var updated =
        user.patch(
            "/api/deployments/keeps", "{\"code\": \"" + PercentCoding.quote(newCode) + "\"}");
    assertThat(updated.status()).isEqualTo(200);
    String id = runAsync(user, "keeps", "{}");
    var agent = TestAgent.start(user, registrations);

    // when its agent claims the run
    JsonNode call = agent.claimOne(5);

    // then the call carries version 2 with the context in plain text, stored sealed as well
    assertThat(call.get("execution_id").asString()).isEqualTo(id);
    JsonNode version = call.get("deployment");
    assertThat(version.get("version").asInt()).isEqualTo(2);
    assertThat(version.get("code").asString()).isEqualTo(newCode);
    assertThat(version.get("context").asString()).isEqualTo(CONTEXT);
    assertThat(storedContext(user, "keeps", 2)).startsWith("v1:").doesNotContain("sk-live");
  }

  @Test
  void aSealedContextCopiedIntoAnotherTenantsDeploymentIsNeverOpenedForIt() {
    // given two tenants' deployments, and someone with write access to the database who copies
    // the first one's sealed context into the second's row
    Http.User owner = newUser("victim");
    Http.User other = newUser("thief");
    owner.put("/api/deployments/", createBody("keys", CODE, "", CONTEXT, ""));
    other.put("/api/deployments/", createBody("keys", CODE, "", "MINE=1\n", ""));
    jdbc.sql(
            "UPDATE deployment_versions SET context = :sealed"
                + " WHERE deployment_id = (SELECT id FROM deployments WHERE name = 'keys'"
                + " AND account_id = (SELECT id FROM accounts WHERE username = :thief))")
        .param("sealed", storedContext(owner, "keys", 1))
        .param("thief", other.username())
        .update();

    // when the second tenant reads its deployment
    var got = other.get("/api/deployments/keys");

    // then the copied context does not open: the request fails rather than answer it
    assertThat(got.status()).isEqualTo(500);
    assertThat(got.body()).doesNotContain("sk-live");
  }

  @Test
  void twoServersStartingAtOnceEncryptEachPlainTextContextOnce() throws Exception {
    // given plain-text contexts, as an older server left them
    Http.User user = newUser("twice");
    for (String name : List.of("a", "b", "c")) {
      user.put("/api/deployments/", createBody(name, CODE, "", CONTEXT + name, ""));
      jdbc.sql(
              "UPDATE deployment_versions SET context = :plain WHERE deployment_id ="
                  + " (SELECT d.id FROM deployments d JOIN accounts a ON a.id = d.account_id"
                  + " WHERE a.username = :user AND d.name = :name)")
          .param("plain", CONTEXT + name)
          .param("user", user.username())
          .param("name", name)
          .update();
    }
    ContextKeys keys = ContextKeys.load(new SecretsProperties(null, null), faaspot.dataDir());

    // when two servers run their start-up encryption at the same moment
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<EncryptContextsAtStart.Done>> starts;
    try (ExecutorService two = Executors.newFixedThreadPool(2)) {
      starts =
          List.of(1, 2).stream()
              .map(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            await(go);
                            return new EncryptContextsAtStart(
                                    jdbcTemplate,
                                    new TransactionTemplate(transactions),
                                    keys,
                                    Clock.systemUTC())
                                .run();
                          },
                          two))
              .toList();
      go.countDown();
    }

    // then one of them encrypted all three, the other found nothing left, and all three open
    assertThat(starts)
        .extracting(f -> f.get(10, TimeUnit.SECONDS).encrypted())
        .containsExactlyInAnyOrder(3, 0);
    for (String name : List.of("a", "b", "c")) {
      assertThat(storedContext(user, name, 1)).startsWith("v1:").doesNotContain("sk-live");
      assertThat(user.get("/api/deployments/" + name).json().get("context").asString())
          .isEqualTo(PercentCoding.quote(CONTEXT + name));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String storedContext(Http.User user, String name, int version) {
    return jdbc.sql(
            """
            SELECT v.context FROM deployment_versions v
            JOIN deployments d ON d.id = v.deployment_id
            JOIN accounts a ON a.id = d.account_id
            WHERE a.username = :user AND d.name = :name AND v.version = :version
            """)
        .param("user", user.username())
        .param("name", name)
        .param("version", version)
        .query(String.class)
        .single();
  }
}
