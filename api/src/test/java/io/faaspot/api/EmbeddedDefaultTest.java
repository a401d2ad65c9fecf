package io.faaspot.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one-command default: no database configured, the server runs its own PostgreSQL in the data
 * directory, creates the admin account on first start, and keeps everything across restarts.
 */
class EmbeddedDefaultTest {
  @TempDir Path dataDir;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(FaaspotServer.class)
        .run(
            "--server.port=0",
            "--faaspot.data-dir=" + dataDir,
            "--faaspot.embedded-db.binaries-dir=" + ServerTest.PG_BINARIES);
  }

  private static Http http(ConfigurableApplicationContext ctx) {
    int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    return new Http("http://127.0.0.1:" + port);
  }

  @Test
  void firstStartWritesTheAdminTokenForTheOwnerOnlyAndDataSurvivesARestart() throws Exception {
    String adminToken;
    Http.User alice;
    try (ConfigurableApplicationContext first = start()) {
      Path tokenFile = dataDir.resolve("admin-token");
      assertThat(tokenFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
          .isEqualTo("rw-------");
      adminToken = Files.readString(tokenFile).strip();
      assertThat(adminToken).startsWith("fst_").hasSizeGreaterThan(40);
      assertThat(dataDir.resolve("postgres")).isDirectory();

      alice = http(first).newUser(adminToken, "alice");
      var created =
          alice.put(
              "/api/deployments/",
              "{\"name\": \"hello\", \"code\": \"def%20main%28args%2C%20context%29%3A%20return%201\","
                  + " \"requirements\": \"\", \"context\": \"\"}");
      assertThat(created.status()).isEqualTo(200);
    }

    try (ConfigurableApplicationContext second = start()) {
      Http http = http(second);
      Http.User again = new Http.User(http, alice.username(), alice.token());

      var deployment = again.get("/api/deployments/hello");
      var admin = http.send("GET", "/api/admin/accounts", "Token " + adminToken, null);

      assertThat(deployment.status()).isEqualTo(200);
      assertThat(deployment.json().get("code").asString()).contains("def%20main");
      assertThat(admin.status()).isEqualTo(200);
      assertThat(admin.json().findValuesAsString("username")).containsOnlyOnce("admin");
      assertThat(Files.readString(dataDir.resolve("admin-token")).strip()).isEqualTo(adminToken);
    }
  }

  @Test
  void executionsWhoseIdsWereGivenSurviveACrashOfTheDatabase() throws Exception {
    List<String> ids = new ArrayList<>();
    Http.User alice;
    try (ConfigurableApplicationContext first = start()) {
      String adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
      alice = http(first).newUser(adminToken, "alice");
      assertThat(
              alice
                  .put(
                      "/api/deployments/",
                      "{\"name\": \"hello\", \"code\": \"def%20main%28args%2C%20context%29%3A%20return%201\"}")
                  .status())
          .isEqualTo(200);
      // No spot runs, so the calls stay queued. The database is killed the moment the last id
      // is answered: with asynchronous commit (the embedded library's own default) the last
      // commits are still in its memory then, and a crash loses them.
      for (int i = 0; i < 100; i++) {
        var r = alice.post("/api/deployments/hello/rpc/", "{\"i\": " + i + "}");
        assertThat(r.status()).isEqualTo(200);
        ids.add(r.json().asString());
      }
      // A process crash is all a test can cause; a machine crash also needs each commit flushed
      // to the disk, which the embedded library's fsync=off would skip.
      JdbcTemplate db = new JdbcTemplate(first.getBean(DataSource.class));
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertThat(db.queryForObject("SELECT current_setting(?)", String.class, setting))
            .as(setting)
            .isEqualTo("on");
      }
      killPostgres(dataDir.resolve("postgres"));
    }

    try (ConfigurableApplicationContext second = start()) {
      Http.User again = new Http.User(http(second), alice.username(), alice.token());
      List<String> lost = new ArrayList<>();
      for (String id : ids) {
        if (again.get("/api/executions/" + id).status() != 200) {
          lost.add(id);
        }
      }
      assertThat(lost).as("executions lost in the crash, of " + ids.size()).isEmpty();
    }
  }

  @Test
  void whileTheDatabaseRestartsCallersGet503AtOnceAndReadinessIsDownThenWorkGoesOn()
      throws Exception {
    try (ConfigurableApplicationContext ctx = start()) {
      String adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
      Http http = http(ctx);
      Http.User bob = http.newUser(adminToken, "bob");
      assertThat(bob.get("/api/deployments/").status()).isEqualTo(200);

      // Watched from before the crash: the restart may take well under a second.
      List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Duration> apiTimes = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.atomic.AtomicBoolean watching =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (watching.get()) {
                      var ready = http.send("GET", "/actuator/health/readiness", null, null);
                      long t0 = System.nanoTime();
                      var api = bob.get("/api/deployments/");
                      apiTimes.add(Duration.ofNanos(System.nanoTime() - t0));
                      seen.add(
                          "readiness "
                              + ready.status()
                              + ", api "
                              + api.status()
                              + " "
                              + api.header("Retry-After")
                              + " "
                              + (api.status() == 503
                                  ? api.json().get("error_code").asString()
                                  : ""));
                    }
                  });
      killPostgres(dataDir.resolve("postgres"));
      Instant killed = Instant.now();
      while (!seen.toString().contains("readiness 503")
          && Instant.now().isBefore(killed.plusSeconds(30))) {
        Thread.sleep(20);
      }
      Thread.sleep(200);
      while (!seen.getLast().startsWith("readiness 200, api 200")
          && Instant.now().isBefore(killed.plusSeconds(60))) {
        Thread.sleep(50);
      }
      watching.set(false);
      watcher.join();

      assertThat(seen)
          .as("readiness while the database restarts")
          .anyMatch(o -> o.startsWith("readiness 503"));
      assertThat(seen)
          .as("callers while the database restarts")
          .anyMatch(o -> o.contains("api 503 1 database_unavailable"));
      assertThat(seen)
          .as("nothing but 200 and the 503")
          .allMatch(
              o -> o.matches("readiness (200|503), api (200 null |503 [12] database_unavailable)"));
      assertThat(apiTimes)
          .as("no caller waited for the database")
          .allMatch(t -> t.compareTo(Duration.ofSeconds(2)) < 0);
      Instant deadline = Instant.now().plusSeconds(60);
      while (bob.get("/api/deployments/").status() != 200 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(bob.get("/api/deployments/").status()).as("work goes on").isEqualTo(200);
      assertThat(http.send("GET", "/actuator/health/readiness", null, null).status())
          .isEqualTo(200);
    }
  }

  /** {@code kill -9} of the postmaster and every process it started: a crash, not a shutdown. */
  private static void killPostgres(Path pgData) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(0, postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().get(10, TimeUnit.SECONDS);
    }
  }
}
