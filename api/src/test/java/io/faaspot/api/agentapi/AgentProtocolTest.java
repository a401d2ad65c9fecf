package io.faaspot.api.agentapi;

import static io.faaspot.api.testing.TestAgent.failure;
import static io.faaspot.api.testing.TestAgent.ids;
import static io.faaspot.api.testing.TestAgent.success;
import static io.faaspot.api.testing.TestFunctions.createBody;
import static io.faaspot.api.testing.TestFunctions.deploy;
import static io.faaspot.api.testing.TestFunctions.runAsync;
import static io.faaspot.api.testing.TestFunctions.status;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.testing.TestAgent;
import io.faaspot.api.testing.TestFunctions;
import io.faaspot.api.web.PercentCoding;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The agent protocol (docs/agent-protocol.md) over real HTTP, with {@link TestAgent} playing the
 * agent: registration, claims and their long-poll, results, heartbeats, cancellation, spot removal,
 * and the sync run that an agent answers.
 */
class AgentProtocolTest extends ServerTest {
  @Autowired SpotRegistrations registrations;

  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopBackgroundRequests() {
    background.shutdownNow();
  }

  @Test
  void registeringWithTheSecretMakesTheSpotReadyWithItsIpAndFinishesItsCreateTask() {
    // given a spot whose VM was launched but whose agent has not registered yet
    var user = newUser("register");
    var spot = TestAgent.launchSpot(user, registrations);
    assertThat(status(user, spot.createTask())).isEqualTo("Pending");

    // when its agent registers with the one-time secret
    var registered = TestAgent.registerResponse(http(), spot.secret());

    // then it gets a credential for that spot, and the spot is ready under its IP
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().get("credential").asString()).startsWith("fsa_");
    assertThat(registered.json().get("spot_id").asString()).isEqualTo(spot.spotId().toString());
    var shown = user.get("/api/spots/" + spot.ip());
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().get("state").asString()).isEqualTo("Ready");
    assertThat(shown.json().get("ip").asString()).isEqualTo(spot.ip());
    assertThat(user.get("/api/spots/").json().findValuesAsString("ip")).containsExactly(spot.ip());
    var task = user.get("/api/executions/" + spot.createTask()).json();
    assertThat(task.get("name").asString()).isEqualTo("tasks.create_spot");
    assertThat(task.get("status").asString()).isEqualTo("Success");
  }

  @Test
  void theAgentLearnsItsAccountsWorkerBoundsAtRegistrationAndInEveryHeartbeat() {
    // given an account whose spots may run 2 to 3 function processes each
    var user = newUser("workers");
    var bounds = user.patch("/api/spots/", "{\"min_workers\": \"2\", \"max_workers\": \"3\"}");
    assertThat(bounds.status()).isEqualTo(200);
    var spot = TestAgent.launchSpot(user, registrations);

    // when its agent registers, and heartbeats after the bounds changed to 1 to 5
    JsonNode registered = TestAgent.registerResponse(http(), spot.secret()).json();
    var agent = TestAgent.register(http(), TestAgent.launchSpot(user, registrations).secret());
    user.patch("/api/spots/", "{\"min_workers\": \"1\", \"max_workers\": \"5\"}");
    JsonNode beat = agent.heartbeat();

    // then each answer carries the bounds of its moment, and the protocol's timings
    assertThat(registered.get("min_workers").asInt()).isEqualTo(2);
    assertThat(registered.get("max_workers").asInt()).isEqualTo(3);
    assertThat(registered.get("heartbeat_seconds").asInt()).isPositive();
    assertThat(registered.get("lease_seconds").asInt())
        .isGreaterThan(registered.get("heartbeat_seconds").asInt());
    assertThat(beat.get("min_workers").asInt()).isEqualTo(1);
    assertThat(beat.get("max_workers").asInt()).isEqualTo(5);
  }

  @Test
  void aRegistrationSecretCanBeUsedOnlyOnce() {
    // given a secret that an agent already traded for a credential
    var user = newUser("once");
    var spot = TestAgent.launchSpot(user, registrations);
    TestAgent.register(http(), spot.secret());

    // when it is used again
    var again = TestAgent.registerResponse(http(), spot.secret());

    // then it is refused and the spot still has exactly one agent
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.message()).isNotBlank();
    assertThat(
            jdbc.sql("SELECT count(*) FROM spot_agents WHERE spot_id = :s")
                .param("s", spot.spotId())
                .query(Long.class)
                .single())
        .isEqualTo(1L);
  }

  @Test
  void theSecretOfASpotRemovedBeforeItsAgentRegisteredIsRefused() {
    // given a launched spot that the user removes before its agent registers
    var user = newUser("gone");
    var spot = TestAgent.launchSpot(user, registrations);
    assertThat(user.delete("/api/spots/" + spot.ip()).status()).isEqualTo(200);

    // when its agent registers
    var registered = TestAgent.registerResponse(http(), spot.secret());

    // then it is refused, and the spot does not come back
    assertThat(registered.status()).isEqualTo(401);
    assertThat(user.get("/api/spots/").json()).isEmpty();
    assertThat(status(user, spot.createTask())).isEqualTo("Cancelled");
  }

  @Test
  void aClaimHandsOutAPendingRunWithItsDecodedDeploymentVersionAndStartsIt() {
    // given a deployment whose code, requirements and context need URL-quoting, and a run of it
    var user = newUser("claim");
    String code = "def main(args, context):\n    return 'a/b %20 ü ' + context['KEY']\n";
    String requirements = "sh==1.14.3\n";
    String context = "KEY = \"x y\"\n";
    var created =
        user.put(
            "/api/deployments/",
            createBody("quoted", code, requirements, context, ", \"timeout\": \"7\""));
    assertThat(created.status()).isEqualTo(200);
    String id = runAsync(user, "quoted", "{\"name\": \"user1\"}");
    var agent = TestAgent.start(user, registrations);

    // when its agent claims work
    JsonNode claimed = agent.claim(4, 0);

    // then it gets that run, decoded, and the run is Started at attempt 1 on its spot
    assertThat(claimed.get("drain").asBoolean()).isFalse();
    assertThat(claimed.get("calls")).hasSize(1);
    JsonNode call = claimed.get("calls").get(0);
    assertThat(call.get("execution_id").asString()).isEqualTo(id);
    assertThat(call.get("kind").asString()).isEqualTo("tasks.run_deployment");
    assertThat(call.get("attempt").asInt()).isEqualTo(1);
    assertThat(call.get("args")).isEqualTo(Http.JSON.readTree("{\"name\": \"user1\"}"));
    JsonNode version = call.get("deployment");
    assertThat(version.get("name").asString()).isEqualTo("quoted");
    assertThat(version.get("version").asInt()).isEqualTo(1);
    assertThat(version.get("code").asString()).isEqualTo(code);
    assertThat(version.get("requirements").asString()).isEqualTo(requirements);
    assertThat(version.get("context").asString()).isEqualTo(context);
    assertThat(version.get("timeout_seconds").asInt()).isEqualTo(7);
    JsonNode execution = user.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Started");
    assertThat(execution.get("attempts").asInt()).isEqualTo(1);
    assertThat(execution.get("spot").asString()).isEqualTo(agent.spotId().toString());
  }

  @Test
  void aClaimedRunCarriesTheVersionItWasCreatedForEvenAfterTheDeploymentChanged() {
    // given a run of version 1, then an update to version 2 before any agent claims it
    var user = newUser("version");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    String newCode = "def main(args, context):\n    return 2\n";
    updateCode(user, "hello", newCode);
    String later = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);

    // when an agent claims both
    JsonNode calls = agent.claim(2, 0).get("calls");

    // then each carries the code of the version it was created for
    assertThat(calls.findValuesAsString("execution_id")).containsExactly(id, later);
    assertThat(calls.get(0).get("deployment").get("version").asInt()).isEqualTo(1);
    assertThat(calls.get(0).get("deployment").get("code").asString())
        .isEqualTo(TestFunctions.HELLO);
    assertThat(calls.get(1).get("deployment").get("version").asInt()).isEqualTo(2);
    assertThat(calls.get(1).get("deployment").get("code").asString()).isEqualTo(newCode);
  }

  /** Makes version 2 of the deployment, with {@code code}. */
  private static void updateCode(Http.User user, String name, String code) {
    var updated =
        user.patch("/api/deployments/" + name, "{\"code\": \"" + PercentCoding.quote(code) + "\"}");
    assertThat(updated.status()).isEqualTo(200);
  }

  @Test
  void aClaimsAnswerSendsEachVersionsContentOnce() {
    // given two runs of version 1, then two of version 2
    var user = newUser("once");
    deploy(user, "hello");
    String a = runAsync(user, "hello", "{}");
    String b = runAsync(user, "hello", "{}");
    String newCode = "def main(args, context):\n    return 2\n";
    updateCode(user, "hello", newCode);
    String c = runAsync(user, "hello", "{}");
    String d = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);

    // when an agent claims all four in one answer
    JsonNode calls = agent.claim(4, 0).get("calls");

    // then the first call of each version carries its content, the others repeat it by name
    assertThat(calls.findValuesAsString("execution_id")).containsExactly(a, b, c, d);
    JsonNode v1 = calls.get(0).get("deployment");
    JsonNode v1again = calls.get(1).get("deployment");
    JsonNode v2 = calls.get(2).get("deployment");
    JsonNode v2again = calls.get(3).get("deployment");
    assertThat(v1.get("code").asString()).isEqualTo(TestFunctions.HELLO);
    assertThat(v1.has("repeat")).isFalse();
    assertThat(v2.get("code").asString()).isEqualTo(newCode);
    assertThat(v2.has("repeat")).isFalse();
    for (JsonNode again : List.of(v1again, v2again)) {
      assertThat(again.get("repeat").asBoolean()).isTrue();
      assertThat(again.has("code")).isFalse();
      assertThat(again.has("requirements")).isFalse();
      assertThat(again.has("context")).isFalse();
      assertThat(again.get("name").asString()).isEqualTo("hello");
    }
    assertThat(v1again.get("version").asInt()).isEqualTo(1);
    assertThat(v2again.get("version").asInt()).isEqualTo(2);
    assertThat(v1again.get("id").asLong()).isEqualTo(v1.get("id").asLong());
    assertThat(v1again.get("requirements_hash")).isEqualTo(v1.get("requirements_hash"));
    assertThat(v1again.get("timeout_seconds")).isEqualTo(v1.get("timeout_seconds"));
  }

  @Test
  void runsOfADeletedDeploymentAreNeverClaimed() {
    // given a pending run of a deployment that is then deleted
    var user = newUser("deleted");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    assertThat(user.delete("/api/deployments/hello").status()).isEqualTo(200);
    var agent = TestAgent.start(user, registrations);

    // when an agent claims work
    JsonNode claimed = agent.claim(4, 0);

    // then it gets nothing, and the run shows Cancelled
    assertThat(claimed.get("calls")).isEmpty();
    assertThat(status(user, id)).isEqualTo("Cancelled");
  }

  @Test
  void aSuccessResultMakesTheExecutionShowExactlyThatOutputAndTheLogs() {
    // given two claimed runs
    var user = newUser("success");
    deploy(user, "hello");
    String first = runAsync(user, "hello", "{}");
    String second = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    JsonNode calls = agent.claim(2, 0).get("calls");
    assertThat(calls).hasSize(2);

    // when the agent reports a JSON object for one and a plain string for the other
    JsonNode answer =
        agent.results(
            success(calls.get(0), Map.of("a", List.of(1, 2)), "printed 1\n"),
            success(calls.get(1), "Hello user1", "printed 2\n"));

    // then both are accepted and each execution shows its output and logs as reported
    assertThat(ids(answer.get("accepted"))).containsExactlyInAnyOrder(first, second);
    assertThat(answer.get("rejected")).isEmpty();
    JsonNode one = user.get("/api/executions/" + first).json();
    assertThat(one.get("status").asString()).isEqualTo("Success");
    assertThat(one.get("output")).isEqualTo(Http.JSON.readTree("{\"a\": [1, 2]}"));
    assertThat(one.get("logs").asString()).isEqualTo("printed 1\n");
    assertThat(one.get("finished").isNull()).isFalse();
    JsonNode two = user.get("/api/executions/" + second).json();
    assertThat(two.get("status").asString()).isEqualTo("Success");
    assertThat(two.get("output").isString()).isTrue();
    assertThat(two.get("output").asString()).isEqualTo("Hello user1");
    assertThat(two.get("logs").asString()).isEqualTo("printed 2\n");
  }

  @Test
  void aFailureResultShowsFailureWithTheTracebackAsTheOutput() {
    // given a claimed run
    var user = newUser("failure");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    JsonNode call = agent.claimOne(0);
    String traceback =
        "Traceback (most recent call last):\n  File \"main.py\", line 2, in main\n"
            + "KeyError: 'name'\n";

    // when the agent reports that it failed
    JsonNode answer = agent.results(failure(call, traceback));

    // then the execution failed and its output is the traceback text
    assertThat(ids(answer.get("accepted"))).containsExactly(id);
    JsonNode execution = user.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Failure");
    assertThat(execution.get("output").asString()).isEqualTo(traceback);
  }

  @Test
  void aResultForAnotherAttemptIsRejectedAndChangesNothing() {
    // given a run claimed at attempt 1
    var user = newUser("attempt");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    JsonNode call = agent.claimOne(0);

    // when its agent reports a result for attempt 2
    JsonNode answer =
        agent.results(TestAgent.result(id, 2, "Success").put("output", "from the future"));

    // then the result is rejected and the run is still Started without output
    assertThat(ids(answer.get("rejected"))).containsExactly(id);
    assertThat(answer.get("accepted")).isEmpty();
    JsonNode execution = user.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Started");
    assertThat(execution.get("output").isNull()).isTrue();
    // and the right attempt's result is still taken
    assertThat(ids(agent.results(success(call, "ok", "")).get("accepted"))).containsExactly(id);
  }

  @Test
  void aResultFromAnotherAgentIsRejectedAndChangesNothing() {
    // given a run claimed by one agent, and a second agent of the same account
    var user = newUser("otheragent");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var owner = TestAgent.start(user, registrations);
    var other = TestAgent.start(user, registrations);
    JsonNode call = owner.claimOne(0);

    // when the other agent reports a result for it
    JsonNode answer = other.results(success(call, "not mine", ""));

    // then that result is rejected, and only the owner's result counts
    assertThat(ids(answer.get("rejected"))).containsExactly(id);
    assertThat(status(user, id)).isEqualTo("Started");
    assertThat(ids(owner.results(success(call, "mine", "")).get("accepted"))).containsExactly(id);
    assertThat(user.get("/api/executions/" + id).json().get("output").asString()).isEqualTo("mine");
  }

  @Test
  void aHeartbeatExtendsTheLeasesOfTheCallsTheAgentRunsAndLeavesAnIdWithNoRowOutOfEveryList() {
    // given a claimed run
    var user = newUser("heartbeat");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    agent.claimOne(0);
    OffsetDateTime leaseBefore = leaseOf(id);
    String unknown = UUID.randomUUID().toString();

    // when the agent heartbeats, naming it and an id it does not hold
    JsonNode answer = agent.heartbeat(id, unknown);

    // then the run's lease is extended; the other id, which has no row (a call handed over before
    // its insert committed on another node looks so), is neither lost nor cancelled
    assertThat(ids(answer.get("extended"))).containsExactly(id);
    assertThat(answer.get("lost")).isEmpty();
    assertThat(answer.get("cancel")).isEmpty();
    assertThat(answer.get("drain").asBoolean()).isFalse();
    assertThat(leaseOf(id)).isAfter(leaseBefore);
  }

  @Test
  void cancellingAStartedCallIsAnsweredInTheNextHeartbeatAndItsLateResultIsRejected() {
    // given a run that an agent claimed
    var user = newUser("cancel");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var agent = TestAgent.start(user, registrations);
    JsonNode call = agent.claimOne(0);

    // when the user cancels it
    var cancelled = user.delete("/api/executions/" + id);

    // then the agent is told to stop it, and its late result is dropped
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("Cancelled");
    JsonNode beat = agent.heartbeat(id);
    assertThat(ids(beat.get("cancel"))).containsExactly(id);
    assertThat(beat.get("extended")).isEmpty();
    JsonNode answer = agent.results(success(call, "too late", ""));
    assertThat(ids(answer.get("rejected"))).containsExactly(id);
    JsonNode execution = user.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Cancelled");
    assertThat(execution.get("output").asString()).isNotEqualTo("too late");
  }

  @Test
  void aWaitingClaimReturnsARunPromptlyOnceItIsEnqueued() throws Exception {
    // given an agent whose claim is waiting for work
    var user = newUser("longpoll");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);
    CompletableFuture<JsonNode> claim =
        CompletableFuture.supplyAsync(() -> agent.claim(1, 10), background);
    assertThatThrownBy(() -> claim.get(500, MILLISECONDS)).isInstanceOf(TimeoutException.class);

    // when a run is enqueued
    long enqueuedAt = System.nanoTime();
    String id = runAsync(user, "hello", "{\"name\": \"a\"}");

    // then the waiting claim answers with it well within its 10 s
    JsonNode claimed = claim.get(3, SECONDS);
    Duration waited = Duration.ofNanos(System.nanoTime() - enqueuedAt);
    assertThat(claimed.get("calls")).hasSize(1);
    assertThat(claimed.get("calls").get(0).get("execution_id").asString()).isEqualTo(id);
    assertThat(waited).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aClaimWithNoWorkAnswersAnEmptyListAfterItsWait() {
    // given an agent of an account with nothing to run
    var user = newUser("idle");
    var agent = TestAgent.start(user, registrations);

    // when it claims with a 1 s wait
    long start = System.nanoTime();
    JsonNode claimed = agent.claim(4, 1);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // then it gets no calls, after about that second
    assertThat(claimed.get("calls").isArray()).isTrue();
    assertThat(claimed.get("calls")).isEmpty();
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
  }

  @Test
  void aRemovedSpotDrainsThenLosesItsCredentialAndItsUnfinishedCallGoesBackToTheQueue() {
    // given a spot whose agent holds a started call, and another spot of the account
    var user = newUser("remove");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var spot = TestAgent.launchSpot(user, registrations);
    var agent = TestAgent.register(http(), spot.secret());
    JsonNode call = agent.claimOne(0);
    var survivor = TestAgent.start(user, registrations);

    // when the user removes the first spot
    var removed = user.delete("/api/spots/" + spot.ip());

    // then it drains at once: no new work, but its running call is still its own
    assertThat(removed.status()).isEqualTo(200);
    String removeTask = removed.json().asString();
    JsonNode claim = agent.claim(1, 0);
    assertThat(claim.get("drain").asBoolean()).isTrue();
    assertThat(claim.get("calls")).isEmpty();
    JsonNode beat = agent.heartbeat(id);
    assertThat(beat.get("drain").asBoolean()).isTrue();
    assertThat(ids(beat.get("extended"))).containsExactly(id);

    // and once its drain time is up, the call it never finished goes to the other spot
    JsonNode again = survivor.claimOne(10);
    assertThat(again.get("execution_id").asString()).isEqualTo(id);
    assertThat(again.get("attempt").asInt()).isEqualTo(2);
    // and the removed spot's agent is locked out, its late result refused
    assertThat(agent.claimResponse(1, 0).status()).isEqualTo(401);
    assertThat(agent.heartbeatResponse().status()).isEqualTo(401);
    assertThat(agent.resultsResponse(List.of(success(call, "late", ""))).status()).isEqualTo(401);
    assertThat(user.get("/api/spots/" + spot.ip()).status()).isEqualTo(404);
    JsonNode task = user.get("/api/executions/" + removeTask).json();
    assertThat(task.get("name").asString()).isEqualTo("tasks.remove_spot");
    assertThat(task.get("status").asString()).isEqualTo("Success");
  }

  @Test
  void aRemovedSpotThatFinishesItsCallsStopsBeforeItsDrainTimeIsUp() {
    // given a spot whose agent holds a started call
    var user = newUser("drained");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var spot = TestAgent.launchSpot(user, registrations);
    var agent = TestAgent.register(http(), spot.secret());
    JsonNode call = agent.claimOne(0);

    // when the user removes the spot and its agent then reports the call's result
    assertThat(user.delete("/api/spots/" + spot.ip()).status()).isEqualTo(200);
    JsonNode answer = agent.results(success(call, "finished while draining", ""));

    // then the result counts, and the spot stops well before the 3 s drain timeout
    assertThat(ids(answer.get("accepted"))).containsExactly(id);
    assertThat(status(user, id)).isEqualTo("Success");
    await().atMost(Duration.ofMillis(2500)).until(() -> agent.claimResponse(1, 0).status() == 401);
    assertThat(user.get("/api/spots/").json()).isEmpty();
  }

  @Test
  void aCallHandedBackByAStoppingAgentGoesBackToTheQueueWithoutCountingTheAttempt() {
    // given a run claimed by one agent, and another agent of the account
    var user = newUser("handback");
    deploy(user, "hello");
    String id = runAsync(user, "hello", "{}");
    var stopping = TestAgent.start(user, registrations);
    var other = TestAgent.start(user, registrations);
    stopping.claimOne(0);
    String notHeld = UUID.randomUUID().toString();

    // when the first agent hands it back, with an id it never held
    JsonNode answer = stopping.release(id, notHeld);

    // then only its own call is taken back: Pending, and claimed next at attempt 1 again
    assertThat(ids(answer.get("released"))).containsExactly(id);
    JsonNode execution = user.get("/api/executions/" + id).json();
    assertThat(execution.get("status").asString()).isEqualTo("Pending");
    assertThat(execution.get("attempts").asInt()).isZero();
    JsonNode again = other.claimOne(0);
    assertThat(again.get("execution_id").asString()).isEqualTo(id);
    assertThat(again.get("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void aDeploymentChangedWhileASpotIsReadyIsBuiltByItsAgent() {
    // given a deployment and a ready spot of its account
    var user = newUser("build");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);

    // when the deployment's requirements change, and the agent claims the build
    var updated = user.patch("/api/deployments/hello", "{\"requirements\": \"sh%0A\"}");
    assertThat(updated.status()).isEqualTo(200);
    String task = updated.json().get("uuid").asString();
    assertThat(updated.json().get("status").asString()).isEqualTo("Pending");
    JsonNode build = agent.claimOne(5);

    // then the build names the new version, and the agent's report finishes the task
    assertThat(build.get("execution_id").asString()).isEqualTo(task);
    assertThat(build.get("kind").asString()).isEqualTo("tasks.create_deployment");
    assertThat(build.get("deployment").get("version").asInt()).isEqualTo(2);
    assertThat(build.get("deployment").get("requirements").asString()).isEqualTo("sh\n");
    agent.results(failure(build, "ERROR: No matching distribution found for sh"));
    JsonNode finished = user.get("/api/executions/" + task).json();
    assertThat(finished.get("name").asString()).isEqualTo("tasks.create_deployment");
    assertThat(finished.get("status").asString()).isEqualTo("Failure");
    assertThat(finished.get("output").asString()).contains("No matching distribution");
  }

  @Test
  void aUserTokenIsNotAcceptedAsAnAgentCredential() {
    // given a user with a valid token
    var user = newUser("notagent");

    // when it calls the agent protocol with it, in either scheme
    var asToken = http().send("POST", "/agent/v1/claim", user.auth(), "{}");
    var asBearer = http().send("POST", "/agent/v1/claim", "Bearer " + user.token(), "{}");
    var without = http().send("POST", "/agent/v1/claim", null, "{}");

    // then it is unauthorized
    assertThat(asToken.status()).isEqualTo(401);
    assertThat(asBearer.status()).isEqualTo(401);
    assertThat(without.status()).isEqualTo(401);
    assertThat(asBearer.message()).isNotBlank();
  }

  @Test
  void anAgentCredentialIsNotAcceptedOnThePublicApi() {
    // given a registered agent
    var agent = TestAgent.start(newUser("notuser"), registrations);

    // when it calls the public API with its credential
    var asBearer = http().send("GET", "/api/deployments", agent.auth(), null);
    var asToken = http().send("GET", "/api/deployments", "Token " + agent.credential(), null);

    // then it is unauthorized
    assertThat(asBearer.status()).isEqualTo(401);
    assertThat(asToken.status()).isEqualTo(401);
  }

  @Test
  void aSyncRunAnsweredByTheAgentAnswersTheFunctionsOutputItself() throws Exception {
    // given a deployment and an agent of its account
    var user = newUser("sync");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);

    // when a sync run is waiting and the agent runs it
    CompletableFuture<Http.Response> sync =
        CompletableFuture.supplyAsync(
            () -> user.get("/api/sync/deployments/hello/rpc/?x=1"), background);
    JsonNode call = agent.claimOne(10);
    assertThat(call.get("args")).isEqualTo(Http.JSON.readTree("{\"x\": \"1\"}"));
    JsonNode answer = agent.results(success(call, Map.of("sum", 3, "x", "1"), ""));

    // then the sync request answers 200 with the function's output as its whole body
    assertThat(ids(answer.get("accepted"))).hasSize(1);
    Http.Response response = sync.get(10, SECONDS);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json()).isEqualTo(Http.JSON.readTree("{\"sum\": 3, \"x\": \"1\"}"));
  }

  @Test
  void aSyncRunWhoseFunctionFailsAnswers500WithTheErrorAndTheExecutionId() throws Exception {
    // given a deployment and an agent of its account
    var user = newUser("syncfail");
    deploy(user, "hello");
    var agent = TestAgent.start(user, registrations);
    String traceback = "Traceback (most recent call last):\nZeroDivisionError: division by zero";

    // when a sync run is waiting and the agent reports that it failed
    CompletableFuture<Http.Response> sync =
        CompletableFuture.supplyAsync(
            () -> user.get("/api/sync/deployments/hello/rpc/?x=1"), background);
    JsonNode call = agent.claimOne(10);
    agent.results(failure(call, traceback));

    // then the sync request fails with the error text and names the execution
    Http.Response response = sync.get(10, SECONDS);
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.message()).isEqualTo(traceback);
    assertThat(response.json().get("execution_id").asString())
        .isEqualTo(call.get("execution_id").asString());
  }

  private OffsetDateTime leaseOf(String id) {
    return jdbc.sql("SELECT lease_expires_at FROM executions WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query(OffsetDateTime.class)
        .single();
  }
}
