package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.FaaspotServer;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.MotoEc2;
import io.faaspot.scheduler.leader.PostgresLeaderLock;
import io.faaspot.scheduler.spot.Ec2SpotProvider;
import io.faaspot.scheduler.testing.MotoServer;
import io.faaspot.scheduler.testing.TestPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Two server replicas on one database and one EC2: only the leader launches; the other takes over.
 */
class TwoReplicasTest {
  static final String ADMIN_TOKEN = "fst_two-replicas-admin-token";
  static final String CLUSTER = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
  // Replicas share the key contexts are encrypted with (README, Secrets): each has a data
  // directory of its own, where it would otherwise generate a key of its own.
  static final String SECRETS_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  ConfigurableApplicationContext start(TestPostgres.Server.Database db) throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    return new SpringApplicationBuilder(FaaspotServer.class)
        .run(
            "--server.port=0",
            "--faaspot.data-dir=" + Files.createTempDirectory("replica"),
            "--faaspot.admin-token=" + ADMIN_TOKEN,
            "--faaspot.secrets-key=" + SECRETS_KEY,
            "--spring.datasource.url=" + db.url(),
            "--spring.datasource.username=" + db.user(),
            "--spring.datasource.password=" + db.password(),
            "--faaspot.spots.provider=ec2",
            "--faaspot.spots.reconcile-interval=200ms",
            "--faaspot.ec2.endpoint=" + MotoServer.endpoint(),
            "--faaspot.ec2.cluster=" + CLUSTER,
            "--faaspot.ec2.image-id=" + MotoEc2.imageId());
  }

  static Http http(ConfigurableApplicationContext ctx) {
    return new Http(
        "http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
  }

  static List<String> instancesOf(String spotId) {
    return Ec2SpotsTest.EC2
        .describeInstances(
            b ->
                b.filters(
                    Filter.builder()
                        .name("tag:" + Ec2SpotProvider.TAG_SPOT)
                        .values(spotId)
                        .build()))
        .reservations()
        .stream()
        .flatMap(r -> r.instances().stream())
        .map(i -> i.instanceId())
        .toList();
  }

  static String addSpot(Http.User user) {
    String task = user.put("/api/spots/", null).json().asString();
    return user.get("/api/executions/" + task).json().get("spot").asString();
  }

  static void awaitInstance(String spotId) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (instancesOf(spotId).isEmpty()) {
      assertThat(Instant.now()).as("spot " + spotId + " launched in time").isBefore(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void onlyTheLeaderLaunchesAndTheOtherTakesOverWhenItStops() throws Exception {
    TestPostgres.Server.Database db = TestPostgres.newEmptyDatabase();
    ConfigurableApplicationContext a = start(db);
    ConfigurableApplicationContext b = start(db);
    try {
      Http.User user = http(a).newUser(ADMIN_TOKEN, "replicas");

      String first = addSpot(user);
      awaitInstance(first);
      // Both replicas reconcile every 200 ms; give the other one many chances to launch too.
      Thread.sleep(2000);

      assertThat(instancesOf(first)).as("launched once").hasSize(1);
      boolean aLeads = a.getBean(PostgresLeaderLock.class).isLeader();
      assertThat(b.getBean(PostgresLeaderLock.class).isLeader()).isNotEqualTo(aLeads);
      ConfigurableApplicationContext leader = aLeads ? a : b;
      ConfigurableApplicationContext other = aLeads ? b : a;

      leader.close();
      Http.User same = new Http.User(http(other), user.username(), user.token());
      String second = addSpot(same);
      awaitInstance(second);

      assertThat(instancesOf(second)).hasSize(1);
      assertThat(other.getBean(PostgresLeaderLock.class).isLeader()).isTrue();
    } finally {
      a.close();
      b.close();
    }
  }
}
