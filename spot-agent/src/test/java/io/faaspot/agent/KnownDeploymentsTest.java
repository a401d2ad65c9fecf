package io.faaspot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class KnownDeploymentsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final KnownDeployments known = new KnownDeployments();

  private static JsonNode call(String deployment) {
    return JSON.readTree("{\"execution_id\": \"x\", \"deployment\": " + deployment + "}");
  }

  @Test
  void aRepeatGetsTheContentOfItsVersionAsFirstSent() {
    JsonNode full =
        call(
            "{\"id\": 3, \"name\": \"hello\", \"version\": 2, \"code\": \"def main(a, c): pass\","
                + " \"requirements\": \"six\", \"context\": \"K = 1\","
                + " \"requirements_hash\": \"h\", \"timeout_seconds\": 9}");
    JsonNode other =
        call(
            "{\"id\": 3, \"name\": \"hello\", \"version\": 1, \"code\": \"old\", \"repeat\": null}");
    known.fill(full);
    known.fill(other);

    JsonNode repeat =
        call(
            "{\"id\": 3, \"name\": \"hello\", \"version\": 2, \"requirements_hash\": \"h\","
                + " \"timeout_seconds\": 9, \"repeat\": true}");
    known.fill(repeat);

    JsonNode d = repeat.get("deployment");
    assertThat(KnownDeployments.missing(d)).isFalse();
    assertThat(d.get("code").asString()).isEqualTo("def main(a, c): pass");
    assertThat(d.get("requirements").asString()).isEqualTo("six");
    assertThat(d.get("context").asString()).isEqualTo("K = 1");
    assertThat(d.get("version").asInt()).isEqualTo(2);
    assertThat(KnownDeployments.missing(full.get("deployment"))).isFalse();
  }

  @Test
  void aRepeatOfAVersionNeverSentStaysMissing() {
    known.fill(call("{\"id\": 3, \"name\": \"hello\", \"version\": 1, \"code\": \"one\"}"));

    JsonNode repeat = call("{\"id\": 3, \"name\": \"hello\", \"version\": 2, \"repeat\": true}");
    known.fill(repeat);

    assertThat(KnownDeployments.missing(repeat.get("deployment"))).isTrue();
    assertThat(repeat.get("deployment").has("code")).isFalse();
    assertThat(KnownDeployments.missing(null)).isTrue();
  }
}
