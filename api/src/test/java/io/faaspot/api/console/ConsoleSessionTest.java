package io.faaspot.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.web.PercentCoding;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's sessions and tenancy over real HTTP: the cookie's flags, CSRF, sign-out, a session
 * that ends when its token is revoked, another account's pages answering 404, and an API that stays
 * as it was (no session, no CSRF).
 */
class ConsoleSessionTest extends ServerTest {
  private ConsoleClient console() {
    return new ConsoleClient("http://127.0.0.1:" + port);
  }

  private static String deploy(Http.User user, String name) {
    String body =
        "{\"name\": \""
            + name
            + "\", \"code\": \""
            + PercentCoding.quote("def main(args, context):\n    return 1\n")
            + "\", \"requirements\": \"\", \"context\": \""
            + PercentCoding.quote("API_KEY=secret-value\n")
            + "\"}";
    Http.Response r = user.put("/api/deployments/", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return name;
  }

  @Test
  void signingInWithAPasswordGivesAStrictHttpOnlySessionCookieAndTheConsole() {
    Http.User user = newUser("pw");
    ConsoleClient console = console();

    ConsoleClient.Page signedIn = console.signInWithPassword(user.username(), user.password());

    assertThat(signedIn.status()).isEqualTo(302);
    assertThat(signedIn.location()).endsWith("/console/executions");
    assertThat(signedIn.setCookie())
        .contains("JSESSIONID=")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/console");
    ConsoleClient.Page page = console.get("/console/executions");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains(user.username());
  }

  @Test
  void aWrongPasswordIsRefusedWithTheApisMessageAndNoSession() {
    Http.User user = newUser("wrong");
    ConsoleClient console = console();

    ConsoleClient.Page refused = console.signInWithPassword(user.username(), "not-the-password");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("wrong username or password");
    assertThat(console.get("/console/executions").status()).isEqualTo(302);
  }

  @Test
  void pagesWithoutASessionSendTheBrowserToSignIn() {
    ConsoleClient.Page page = console().get("/console/deployments");

    assertThat(page.status()).isEqualTo(302);
    assertThat(page.location()).endsWith("/console/sign-in");
  }

  @Test
  void aSpotHeldByTheBudgetShowsWhyOnTheSpotsPage() {
    Http.User user = newUser("held");
    assertThat(user.put("/api/spots/", null).status()).isEqualTo(200);
    String spot = user.get("/api/spots/").json().get(0).get("id").asString();
    // What the budget check writes when it refuses the launch (AutoscaleLocalTest makes it so).
    jdbc.sql("UPDATE spots SET held_reason = 'held: budget_per_day 1.5 reached' WHERE id = :id")
        .param("id", java.util.UUID.fromString(spot))
        .update();
    ConsoleClient console = console();
    console.signInWithToken(user.token());

    ConsoleClient.Page spots = console.get("/console/spots");

    assertThat(spots.status()).isEqualTo(200);
    assertThat(spots.body()).contains("held: budget_per_day 1.5 reached");
  }

  @Test
  void anotherAccountsDeploymentExecutionAndSpotPagesAnswer404() {
    Http.User owner = newUser("owner");
    deploy(owner, "private");
    String execution = owner.get("/api/deployments/private/rpc/").json().asString();
    assertThat(owner.put("/api/spots/", null).status()).isEqualTo(200);
    String spot = owner.get("/api/spots/").json().get(0).get("id").asString();
    Http.User other = newUser("other");
    ConsoleClient console = console();
    console.signInWithToken(other.token());

    ConsoleClient.Page deployment = console.get("/console/deployments/private");
    ConsoleClient.Page run = console.get("/console/executions/" + execution);
    ConsoleClient.Page spotPage = console.get("/console/spots/" + spot);
    ConsoleClient.Page cancel =
        console.post("/console/executions/" + execution + "/cancel", Map.of());
    ConsoleClient.Page remove = console.post("/console/spots/" + spot + "/remove", Map.of());

    assertThat(deployment.status()).isEqualTo(404);
    assertThat(deployment.body()).contains("no deployment named");
    assertThat(run.status()).isEqualTo(404);
    assertThat(spotPage.status()).isEqualTo(404);
    assertThat(cancel.status()).isEqualTo(404);
    assertThat(remove.status()).isEqualTo(404);
    assertThat(owner.get("/api/executions/" + execution).json().get("status").asString())
        .isNotEqualTo("Cancelled");
    // The owner sees them, context key names but never the values.
    ConsoleClient ownConsole = console();
    ownConsole.signInWithToken(owner.token());
    ConsoleClient.Page mine = ownConsole.get("/console/deployments/private");
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body()).contains("API_KEY").doesNotContain("secret-value");
    assertThat(ownConsole.get("/console/executions/" + execution).status()).isEqualTo(200);
    assertThat(ownConsole.get("/console/spots/" + spot).status()).isEqualTo(200);
  }

  @Test
  void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
    Http.User user = newUser("csrf");
    ConsoleClient console = console();
    console.signInWithToken(user.token());

    ConsoleClient.Page refused =
        console.postWithout(
            "/console/deployments",
            Map.of("name", "forged", "code", "def main(args, context):\n    return 1\n"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(user.get("/api/deployments/forged").status()).isEqualTo(404);
    console.get("/console/deployments");
    ConsoleClient.Page created =
        console.post(
            "/console/deployments",
            Map.of("name", "genuine", "code", "def main(args, context):\n    return 1\n"));
    assertThat(created.status()).isEqualTo(302);
    assertThat(user.get("/api/deployments/genuine").status()).isEqualTo(200);
  }

  @Test
  void signingOutEndsTheSession() {
    Http.User user = newUser("out");
    ConsoleClient console = console();
    console.signInWithPassword(user.username(), user.password());
    console.get("/console/executions");

    ConsoleClient.Page out = console.post("/console/sign-out", Map.of());

    assertThat(out.status()).isEqualTo(302);
    assertThat(out.location()).contains("/console/sign-in");
    assertThat(console.get("/console/executions").status()).isEqualTo(302);
  }

  @Test
  void revokingTheTokenASessionSignedInWithEndsIt() {
    Http.User user = newUser("revoked");
    ConsoleClient console = console();
    console.signInWithToken(user.token());
    assertThat(console.get("/console/executions").status()).isEqualTo(200);
    long tokenId =
        admin()
            .get("/api/admin/accounts/" + user.username() + "/tokens")
            .json()
            .get(0)
            .get("id")
            .asLong();

    assertThat(admin().delete("/api/admin/tokens/" + tokenId).status()).isEqualTo(200);

    ConsoleClient.Page after = console.get("/console/executions");
    assertThat(after.status()).isEqualTo(302);
    assertThat(after.location()).endsWith("/console/sign-in");
  }

  @Test
  void changingThePasswordASessionSignedInWithEndsIt() {
    Http.User user = newUser("repassword");
    ConsoleClient console = console();
    console.signInWithPassword(user.username(), user.password());
    assertThat(console.get("/console/executions").status()).isEqualTo(200);

    Http.Response set =
        admin()
            .put(
                "/api/admin/accounts/" + user.username() + "/password",
                "{\"password\": \"another-long-password\"}");

    assertThat(set.status()).as(set.body()).isEqualTo(200);
    ConsoleClient.Page after = console.get("/console/executions");
    assertThat(after.status()).isEqualTo(302);
    assertThat(after.location()).endsWith("/console/sign-in");
  }

  @Test
  void theAdminSetsAndRemovesAPasswordOnTheAccountsPage() {
    Http.User user = newUser("console-pw");
    ConsoleClient admin = console();
    admin.signInWithToken(ADMIN_TOKEN);
    admin.get("/console/accounts");
    String form = "/console/accounts/" + user.username() + "/password";

    ConsoleClient.Page tooShort = admin.post(form, Map.of("password", "short"));
    ConsoleClient.Page set = admin.post(form, Map.of("password", "set-on-the-page"));

    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(tooShort.body()).contains("8 to 72 characters");
    assertThat(set.status()).isEqualTo(302);
    assertThat(console().signInWithPassword(user.username(), "set-on-the-page").status())
        .isEqualTo(302);
    assertThat(console().signInWithPassword(user.username(), user.password()).status())
        .isEqualTo(401);
    assertThat(admin.get("/console/accounts").body())
        .contains("Remove the password of " + user.username());

    ConsoleClient.Page removed = admin.post(form, Map.of("remove", "1"));

    assertThat(removed.status()).isEqualTo(302);
    assertThat(console().signInWithPassword(user.username(), "set-on-the-page").status())
        .isEqualTo(401);
    assertThat(console().signInWithToken(user.token()).status()).isEqualTo(302);
  }

  @Test
  void onlyTheAdminSeesTheAccountsPage() {
    Http.User user = newUser("plain");
    ConsoleClient console = console();
    console.signInWithToken(user.token());
    ConsoleClient adminConsole = console();
    adminConsole.signInWithToken(ADMIN_TOKEN);

    assertThat(console.get("/console/accounts").status()).isEqualTo(403);
    ConsoleClient.Page accounts = adminConsole.get("/console/accounts");
    assertThat(accounts.status()).isEqualTo(200);
    assertThat(accounts.body()).contains(user.username());
  }

  @Test
  void theApiKeepsItsTokenAuthWithoutSessionsOrCsrf() {
    Http.User user = newUser("api");

    Http.Response list = user.get("/api/deployments/");
    Http.Response created =
        user.put(
            "/api/deployments/",
            "{\"name\": \"plain\", \"code\": \"def%20main%28args%2C%20context%29%3A%20return%201\"}");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.header("Set-Cookie")).isNull();
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.header("Set-Cookie")).isNull();
  }

  @Test
  void theConsolesAddressOpensOnTheExecutions() {
    Http.User user = newUser("home");
    ConsoleClient console = console();
    console.signInWithToken(user.token());

    ConsoleClient.Page home = console.get("/console/");

    assertThat(home.status()).isEqualTo(302);
    assertThat(home.location()).endsWith("/console/executions");
  }

  @Test
  void theChartsCountTheAccountsOwnCallsPerMinuteAndTheQueueDepth() {
    Http.User user = newUser("charts");
    deploy(user, "counted");
    for (int i = 0; i < 3; i++) {
      assertThat(user.get("/api/deployments/counted/rpc/").status()).isEqualTo(200);
    }
    Http.User other = newUser("uncounted");
    deploy(other, "elsewhere");
    assertThat(other.get("/api/deployments/elsewhere/rpc/").status()).isEqualTo(200);
    ConsoleClient console = console();
    console.signInWithToken(user.token());

    ConsoleClient.Page data = console.get("/console/charts/data?range=hour");

    assertThat(data.status()).isEqualTo(200);
    JsonNode series = Http.JSON.readTree(data.body());
    assertThat(series.get("t")).hasSize(60);
    // No spot runs here (the manual provider): the calls wait, in the last bucket.
    assertThat(series.get("per_minute").get("Pending").get(59).asDouble()).isEqualTo(3.0);
    assertThat(series.get("queue_depth").get(59).asLong()).isEqualTo(3);
    assertThat(series.get("latency_ms").get("p50").get(59).isNull()).isTrue();
  }

  @Test
  void theExecutionsListFiltersByStatusAndDeployment() {
    Http.User user = newUser("filter");
    deploy(user, "first");
    deploy(user, "second");
    String waiting = user.get("/api/deployments/first/rpc/").json().asString();
    String cancelled = user.get("/api/deployments/first/rpc/").json().asString();
    String other = user.get("/api/deployments/second/rpc/").json().asString();
    assertThat(user.delete("/api/executions/" + cancelled).status()).isEqualTo(200);
    ConsoleClient console = console();
    console.signInWithToken(user.token());

    String onlyCancelled = console.get("/console/executions/rows?status=Cancelled").body();
    String firstPending =
        console.get("/console/executions/rows?status=Pending&deployment=first").body();
    String all = console.get("/console/executions").body();

    assertThat(onlyCancelled).contains(cancelled).doesNotContain(waiting).doesNotContain(other);
    assertThat(firstPending).contains(waiting).doesNotContain(cancelled).doesNotContain(other);
    assertThat(all).contains(waiting, cancelled, other);
  }
}
