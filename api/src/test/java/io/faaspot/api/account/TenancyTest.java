package io.faaspot.api.account;

import static io.faaspot.api.testing.TestFunctions.deploy;
import static io.faaspot.api.testing.TestFunctions.runAsync;
import static io.faaspot.api.testing.TestFunctions.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.testing.TestAgent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * DESIGN.md's tenancy guarantee: no account can read or touch another's deployments, executions or
 * spots (it gets 404, as for a name that does not exist), and one account's code never runs on
 * another account's spot.
 */
class TenancyTest extends ServerTest {
  @Autowired SpotRegistrations registrations;

  @Test
  void anotherAccountCannotSeeOrTouchADeployment() {
    // given alice's deployment
    var alice = newUser("alice");
    var bob = newUser("bob");
    deploy(alice, "secret-fn");

    // when bob names it in every deployment call
    List<Http.Response> answers =
        List.of(
            bob.get("/api/deployments/secret-fn"),
            bob.post("/api/deployments/secret-fn/rpc/", "{}"),
            bob.get("/api/deployments/secret-fn/rpc/?name=x"),
            bob.get("/api/sync/deployments/secret-fn/rpc/?name=x"),
            bob.post("/api/deployments/secret-fn/bulk_rpc/", "[{\"name\": \"a\"}]"),
            bob.patch("/api/deployments/secret-fn", "{\"code\": \"def%20main%28a%2Cc%29%3A%201\"}"),
            bob.patch("/api/deployments/secret-fn", "{\"name\": \"stolen\"}"),
            bob.delete("/api/deployments/secret-fn"));

    // then each is 404, bob sees no deployment or execution, and alice's is unchanged
    assertThat(answers).extracting(Http.Response::status).containsOnly(404);
    assertThat(bob.get("/api/deployments/").json()).isEmpty();
    assertThat(bob.get("/api/executions/?include_completed=True").json()).isEmpty();
    var mine = alice.get("/api/deployments/secret-fn");
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().get("version").asInt()).isEqualTo(1);
    assertThat(alice.get("/api/deployments/").json().findValuesAsString("name"))
        .containsExactly("secret-fn");
    assertThat(
            alice
                .get("/api/executions/?include_completed=True&deployment=secret-fn")
                .json()
                .findValuesAsString("name"))
        .containsExactly("tasks.create_deployment");
  }

  @Test
  void anotherAccountCannotSeeOrTouchAnExecution() {
    // given alice's pending run
    var alice = newUser("alice");
    var bob = newUser("bob");
    deploy(alice, "hello");
    String id = runAsync(alice, "hello", "{\"name\": \"a\"}");

    // when bob gets it, cancels it and names it in a bulk get
    var get = bob.get("/api/executions/" + id);
    var cancel = bob.delete("/api/executions/" + id);
    var bulk = bob.post("/api/executions/bulk", "{\"tasks\": \"[\\\"" + id + "\\\"]\"}");
    var bareBulk = bob.post("/api/executions/bulk", "[\"" + id + "\"]");

    // then each is 404, his list does not show it, and it is still pending for alice
    assertThat(List.of(get, cancel, bulk, bareBulk))
        .extracting(Http.Response::status)
        .containsOnly(404);
    assertThat(bob.get("/api/executions/?include_completed=True").json()).isEmpty();
    assertThat(bob.get("/api/executions/").json()).isEmpty();
    assertThat(status(alice, id)).isEqualTo("Pending");
    assertThat(alice.get("/api/executions/").json().findValuesAsString("uuid")).contains(id);
  }

  @Test
  void anotherAccountCannotSeeOrTouchASpot() {
    // given alice's ready spot
    var alice = newUser("alice");
    var bob = newUser("bob");
    var spot = TestAgent.launchSpot(alice, registrations);
    TestAgent.register(http(), spot.secret());

    // when bob gets, replaces, refreshes and removes it by its IP
    List<Http.Response> answers =
        List.of(
            bob.get("/api/spots/" + spot.ip()),
            bob.get("/api/spots/replace/" + spot.ip()),
            bob.patch("/api/spots/", "{\"refresh_ip\": \"" + spot.ip() + "\"}"),
            bob.delete("/api/spots/" + spot.ip()),
            bob.get("/api/executions/" + spot.createTask()));

    // then each is 404, bob has no spots, and alice's spot is still ready
    assertThat(answers).extracting(Http.Response::status).containsOnly(404);
    assertThat(bob.get("/api/spots/").json()).isEmpty();
    var mine = alice.get("/api/spots/" + spot.ip());
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().get("state").asString()).isEqualTo("Ready");
  }

  @Test
  void anAgentOfOneAccountNeverClaimsAnotherAccountsWork() {
    // given alice's pending runs, and agents on alice's and on bob's spots
    var alice = newUser("alice");
    var bob = newUser("bob");
    deploy(alice, "hello");
    String first = runAsync(alice, "hello", "{}");
    String second = runAsync(alice, "hello", "{}");
    var bobsAgent = TestAgent.start(bob, registrations);
    var alicesAgent = TestAgent.start(alice, registrations);

    // when bob's agent claims first, with a wait
    var bobsClaim = bobsAgent.claim(8, 1);

    // then it gets nothing, the runs stay pending, and alice's agent gets both
    assertThat(bobsClaim.get("calls")).isEmpty();
    assertThat(status(alice, first)).isEqualTo("Pending");
    assertThat(status(alice, second)).isEqualTo("Pending");
    var alicesClaim = alicesAgent.claim(8, 0);
    assertThat(alicesClaim.get("calls").findValuesAsString("execution_id"))
        .containsExactly(first, second);
  }

  @Test
  void anAgentOfOneAccountCannotReportOrKeepAnotherAccountsCalls() {
    // given alice's run, started on alice's spot
    var alice = newUser("alice");
    var bob = newUser("bob");
    deploy(alice, "hello");
    String id = runAsync(alice, "hello", "{}");
    var alicesAgent = TestAgent.start(alice, registrations);
    var bobsAgent = TestAgent.start(bob, registrations);
    var call = alicesAgent.claimOne(0);

    // when bob's agent reports a result for it and names it in its heartbeat
    var results = bobsAgent.results(TestAgent.success(call, "forged", ""));
    var beat = bobsAgent.heartbeat(id);

    // then the result is rejected, the lease is not bob's (nor is anything said of alice's run),
    // and the run is untouched
    assertThat(TestAgent.ids(results.get("rejected"))).containsExactly(id);
    assertThat(beat.get("extended")).isEmpty();
    assertThat(beat.get("cancel")).isEmpty();
    assertThat(beat.get("lost")).isEmpty();
    var execution = alice.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Started");
    assertThat(execution.get("output").isNull()).isTrue();
  }
}
