package io.faaspot.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one-command default: no database configured, the server runs its own PostgreSQL in the data
 * directory, creates the admin account on first start, and keeps everything across restarts.
 */
class EmbeddedDefaultTest {
  @TempDir Path dataDir;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(FaaspotServer.class)
        .run("--server.port=0", "--faaspot.data-dir=" + dataDir);
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
}
