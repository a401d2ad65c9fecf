package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.scheduler.testing.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two replicas on one database and one EC2: the autoscaler's decisions are taken once. */
class AutoscaleTwoReplicasTest {

  @Test
  void twoReplicasLaunchWhatTheQueueNeedsOnceNotTwice() throws Exception {
    TestPostgres.Server.Database db = TestPostgres.newEmptyDatabase();
    TwoReplicasTest replicas = new TwoReplicasTest();
    ConfigurableApplicationContext a = replicas.start(db);
    ConfigurableApplicationContext b = replicas.start(db);
    try {
      Http.User user = TwoReplicasTest.http(a).newUser(TwoReplicasTest.ADMIN_TOKEN, "autoscale2");
      Ec2SpotsTest.deploy(user, "hello", Ec2SpotsTest.HELLO);
      user.patch(
          "/api/account/scaling", "{\"autoscale\": true, \"min_spots\": 0, \"max_spots\": 3}");
      Http.User other = new Http.User(TwoReplicasTest.http(b), user.username(), user.token());
      StringBuilder bulk = new StringBuilder("[");
      for (int i = 0; i < 40; i++) {
        bulk.append(i == 0 ? "" : ",").append("{\"name\": \"n").append(i).append("\"}");
      }
      // Half the calls reach each replica; both see the whole queue.
      user.post("/api/deployments/hello/bulk_rpc/", bulk + "]");
      other.post("/api/deployments/hello/bulk_rpc/", bulk + "]");

      JdbcClient jdbc = a.getBean(JdbcClient.class);
      List<String> spotIds =
          Ec2SpotsTest.await(
              "three spots launched",
              () ->
                  jdbc.sql(
                          "SELECT s.id::text FROM spots s JOIN accounts a ON a.id = s.account_id"
                              + " WHERE a.username = :u AND s.instance_id IS NOT NULL")
                      .param("u", user.username())
                      .query(String.class)
                      .list(),
              ids -> ids.size() >= 3);
      // Both replicas reconcile every 200 ms: give the other many chances to launch more.
      Thread.sleep(2000);

      int spots =
          jdbc.sql(
                  "SELECT count(*) FROM spots s JOIN accounts a ON a.id = s.account_id"
                      + " WHERE a.username = :u")
              .param("u", user.username())
              .query(Integer.class)
              .single();
      assertThat(spots).as("spots asked for, all told").isEqualTo(3);
      for (String id : spotIds) {
        assertThat(TwoReplicasTest.instancesOf(id)).as("instances of spot " + id).hasSize(1);
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
