package io.faaspot.api.deployment;

import static io.faaspot.api.deployment.DeploymentContractTest.HELLO;
import static io.faaspot.api.deployment.DeploymentContractTest.createBody;
import static io.faaspot.api.deployment.DeploymentContractTest.json;
import static io.faaspot.api.deployment.DeploymentContractTest.pyQuote;
import static io.faaspot.api.deployment.DeploymentContractTest.pyUnquote;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.config.FaaspotProperties;
import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Requirements are requirements, over real HTTP: a create or update whose requirements hold more
 * than package specifiers answers 400 naming the line, under /api/deployments and /v1/functions,
 * and changes nothing. The policy's other side (the operator's settings on) is
 * RequirementsPolicyContractTest; the many line forms are RequirementsCheckTest.
 */
class RequirementsContractTest extends ServerTest {
  static final String SHA =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final List<String> PREFIXES = List.of("/api/deployments", "/v1/functions");

  @Autowired FaaspotProperties faaspot;

  /** The forms an attacker used or could use; {@code ADMIN_TOKEN_FILE} is this server's. */
  static Stream<String> refused() {
    return Stream.of(
        "-r ADMIN_TOKEN_FILE",
        "-r /etc/shadow",
        "--requirement=x",
        "-c constraints.txt",
        "-e .",
        "/tmp/evil",
        "./pkg",
        "../x",
        "file:///tmp/x",
        "name @ file:///tmp/x",
        "--index-url https://evil.example.com/simple",
        "--extra-index-url https://evil.example.com/simple",
        "--trusted-host evil.example.com",
        "-f /tmp",
        "git+https://example.com/x.git",
        "pkg.tar.gz",
        "name @ https://example.com/pkg-1.0.tar.gz");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aCreateWithRefusedRequirementsIs400NamingTheLineAndCreatesNothing(String line) {
    // given
    var user = newUser("req-create");
    String bad = line.replace("ADMIN_TOKEN_FILE", adminTokenFile());
    String requirements = "six\n" + bad + "\nsh\n";

    for (String prefix : PREFIXES) {
      // when
      var r = user.put(prefix + "/", createBody("evil", HELLO, requirements, ""));

      // then
      assertRefusedAtLine2(r, bad);
      assertThat(user.get(prefix + "/evil").status()).isEqualTo(404);
    }
    assertThat(rows(user)).isEqualTo(Map.of("deployments", 0L, "executions", 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void anUpdateWithRefusedRequirementsIs400NamingTheLineAndKeepsTheOldVersion(String line) {
    // given
    var user = newUser("req-update");
    var created = user.put("/api/deployments/", createBody("hello", HELLO, "six\n", ""));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String bad = line.replace("ADMIN_TOKEN_FILE", adminTokenFile());

    for (String prefix : PREFIXES) {
      // when: new requirements alone, and with new code and a rename
      var alone = user.patch(prefix + "/hello", json(Map.of("requirements", pyQuote(bad))));
      var withMore =
          user.patch(
              prefix + "/hello",
              json(
                  Map.of(
                      "requirements",
                      pyQuote("six\n" + bad),
                      "code",
                      pyQuote("def main(a, c):\n  return 2\n"),
                      "name",
                      "renamed")));

      // then
      assertRefused(alone, 1, bad);
      assertRefusedAtLine2(withMore, bad);
    }
    JsonNode d = user.get("/api/deployments/hello").json();
    assertThat(d.get("version").asInt()).isEqualTo(1);
    assertThat(pyUnquote(d.get("requirements").asString())).isEqualTo("six\n");
    assertThat(pyUnquote(d.get("code").asString())).isEqualTo(HELLO);
    assertThat(user.get("/api/deployments/renamed").status()).isEqualTo(404);
    assertThat(rows(user)).isEqualTo(Map.of("deployments", 1L, "executions", 1L));
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("six"),
        Arguments.of("requests[socks]>=2.0,<3 ; python_version >= \"3.8\"\n"),
        Arguments.of("Django==4.*"),
        Arguments.of("# the samples' package\nsh==1.12.14  # pinned\n\n"),
        Arguments.of("requests \\\n    >=2.0\n"),
        Arguments.of("six==1.16.0 \\\n    --hash=" + SHA + "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void plainRequirementsAreAcceptedOnCreateAndUpdateAndStoredAsGiven(String requirements) {
    // given
    var user = newUser("req-ok");

    for (String prefix : PREFIXES) {
      String name = prefix.startsWith("/api") ? "a" : "b";
      // when
      var created = user.put(prefix + "/", createBody(name, HELLO, requirements, ""));
      var updated =
          user.patch(prefix + "/" + name, json(Map.of("requirements", pyQuote(requirements))));

      // then
      assertThat(created.status()).as(created.body()).isEqualTo(200);
      assertThat(updated.status()).as(updated.body()).isEqualTo(200);
      JsonNode d = user.get(prefix + "/" + name).json();
      assertThat(d.get("version").asInt()).isEqualTo(2);
      assertThat(pyUnquote(d.get("requirements").asString())).isEqualTo(requirements);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"code", "context", "timeout"})
  void anUpdateWithoutRequirementsIsNotCheckedAgainstTheStoredOnes(String field) {
    // given a version stored before the check existed, with requirements it would refuse now
    var user = newUser("req-old");
    var created = user.put("/api/deployments/", createBody("old", HELLO, "six", ""));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    jdbc.sql(
            """
            UPDATE deployment_versions SET requirements = '-r /etc/shadow'
            WHERE deployment_id = (SELECT d.id FROM deployments d JOIN accounts a
                                   ON a.id = d.account_id WHERE a.username = :u)
            """)
        .param("u", user.username())
        .update();

    // when
    var r = user.patch("/v1/functions/old", json(Map.of(field, "30")));

    // then
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(user.get("/api/deployments/old").json().get("version").asInt()).isEqualTo(2);
  }

  private String adminTokenFile() {
    return faaspot.dataDir().toAbsolutePath().resolve("admin-token").toString();
  }

  private Map<String, Long> rows(Http.User user) {
    return jdbc.sql(
            """
            SELECT (SELECT count(*) FROM deployments d WHERE d.account_id = a.id) AS deployments,
                   (SELECT count(*) FROM executions e WHERE e.account_id = a.id) AS executions
            FROM accounts a WHERE a.username = :u
            """)
        .param("u", user.username())
        .query(
            (rs, i) ->
                Map.of(
                    "deployments", rs.getLong("deployments"),
                    "executions", rs.getLong("executions")))
        .single();
  }

  static void assertRefusedAtLine2(Http.Response r, String line) {
    assertRefused(r, 2, line);
  }

  static void assertRefused(Http.Response r, int number, String line) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().get("error_code").asString()).isEqualTo("invalid_requirements");
    String shown = line.length() > 80 ? line.substring(0, 77) : line;
    assertThat(r.message()).startsWith("requirements line " + number + ": \"" + shown);
  }
}
