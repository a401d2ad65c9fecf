package io.faaspot.api.deployment;

import static io.faaspot.api.deployment.DeploymentContractTest.HELLO;
import static io.faaspot.api.deployment.DeploymentContractTest.createBody;
import static io.faaspot.api.deployment.DeploymentContractTest.json;
import static io.faaspot.api.deployment.DeploymentContractTest.pyQuote;
import static io.faaspot.api.deployment.DeploymentContractTest.pyUnquote;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.scheduler.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server whose operator set {@code faaspot.deployments.allow-index-options} and {@code
 * allow-url-requirements}: index options and https URL references are accepted, files and local
 * paths still are not. Its own server (and database), since the settings are read at start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequirementsPolicyContractTest {
  static final String ADMIN_TOKEN = "fst_requirements-policy-test-admin-token";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    String data = Files.createTempDirectory("faaspot-requirements-policy").toString();
    r.add("faaspot.data-dir", () -> data);
    r.add("faaspot.admin-token", () -> ADMIN_TOKEN);
    r.add("faaspot.spots.provider", () -> "manual");
    r.add("faaspot.deployments.allow-index-options", () -> "true");
    r.add("faaspot.deployments.allow-url-requirements", () -> "true");
    if ("testcontainers".equals(System.getProperty(TestPostgres.SWITCH))) {
      TestPostgres.Server.Database db = TestPostgres.newEmptyDatabase();
      r.add("spring.datasource.url", db::url);
      r.add("spring.datasource.username", db::user);
      r.add("spring.datasource.password", db::password);
    }
  }

  Http.User newUser(String prefix) {
    return new Http("http://127.0.0.1:" + port).newUser(ADMIN_TOKEN, prefix);
  }

  @Test
  void indexOptionsAndHttpsUrlReferencesAreAcceptedOnCreateAndUpdate() {
    // given
    var user = newUser("policy-ok");
    String requirements =
        "--index-url https://pypi.example.com/simple\n"
            + "--extra-index-url https://mirror.example.com/simple\n"
            + "--trusted-host mirror.example.com\n"
            + "--find-links https://downloads.example.com/wheels/\n"
            + "pkg @ https://downloads.example.com/pkg-1.0-py3-none-any.whl\n"
            + "six\n";

    // when
    var created = user.put("/api/deployments/", createBody("hello", HELLO, requirements, ""));
    var updated =
        user.patch("/v1/functions/hello", json(Map.of("requirements", pyQuote(requirements))));

    // then
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    var d = user.get("/api/deployments/hello").json();
    assertThat(d.get("version").asInt()).isEqualTo(2);
    assertThat(pyUnquote(d.get("requirements").asString())).isEqualTo(requirements);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "-r /etc/shadow",
        "-e .",
        "/tmp/evil",
        "-f /tmp",
        "--find-links file:///tmp/wheels",
        "name @ file:///tmp/x",
        "name @ https://example.com/../../../../tmp/evil",
        "git+https://example.com/x.git",
        "--no-index"
      })
  void filesAndLocalPathsAreStillRefused(String line) {
    // given
    var user = newUser("policy-refused");

    // when
    var r = user.put("/v1/functions/", createBody("evil", HELLO, "six\n" + line, ""));

    // then
    RequirementsContractTest.assertRefused(r, 2, line);
    assertThat(user.get("/api/deployments/evil").status()).isEqualTo(404);
  }
}
