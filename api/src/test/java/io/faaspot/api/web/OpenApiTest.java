package io.faaspot.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.ServerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description and its UI are served without credentials, list the public API (and not
 * the agent protocol), and tell the old client's quirks: bare-string ids, URL-quoted code.
 */
class OpenApiTest extends ServerTest {
  private JsonNode spec() {
    var r = http().send("GET", "/v3/api-docs", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    return r.json();
  }

  @Test
  void theSpecIsServedWithoutCredentialsAndListsThePublicApi() {
    JsonNode spec = spec();
    assertThat(spec.path("openapi").asString()).startsWith("3.");
    List<String> paths = new ArrayList<>(spec.path("paths").propertyNames());
    assertThat(paths)
        .contains(
            "/api/deployments",
            "/api/deployments/{name}",
            "/api/deployments/{name}/rpc",
            "/api/sync/deployments/{name}/rpc",
            "/api/deployments/{name}/bulk_rpc",
            "/api/executions",
            "/api/executions/{id}",
            "/api/executions/bulk",
            "/api/spots",
            "/api/spots/{ip}",
            "/api/spots/replace/{ip}",
            "/api/admin/accounts");
    assertThat(paths).noneMatch(p -> p.startsWith("/agent/"));
  }

  @Test
  void createAnswersABareStringId() {
    JsonNode schema =
        spec()
            .path("paths")
            .path("/api/deployments")
            .path("put")
            .path("responses")
            .path("200")
            .path("content")
            .path("application/json")
            .path("schema");
    assertThat(type(schema)).isEqualTo("string");
    assertThat(schema.path("format").asString()).isEqualTo("uuid");
  }

  @Test
  void theDescriptionTellsTheQuirks() {
    JsonNode spec = spec();
    String description = spec.path("info").path("description").asString();
    assertThat(description).containsAnyOf("URL-quoted", "percent-encoded");
    assertThat(description).contains("/v1/", "functions", "trailing slash");
    assertThat(description).contains("\"message\"", "\"detail\"", "\"error_code\"");
    String sync =
        spec.path("paths")
            .path("/api/sync/deployments/{name}/rpc")
            .path("get")
            .path("description")
            .asString();
    assertThat(sync).contains("return value");
    JsonNode bulk =
        spec.path("paths")
            .path("/api/deployments/{name}/bulk_rpc")
            .path("post")
            .path("requestBody")
            .path("content")
            .path("application/json")
            .path("examples");
    assertThat(bulk.size()).isEqualTo(3);
    JsonNode error = spec.path("components").path("schemas").path("Error").path("properties");
    assertThat(error.has("message") && error.has("detail") && error.has("error_code")).isTrue();
  }

  @Test
  void theSecuritySchemesAreTokenAndBasic() {
    JsonNode schemes = spec().path("components").path("securitySchemes");
    JsonNode token = schemes.path("Token");
    assertThat(token.path("type").asString()).isEqualTo("apiKey");
    assertThat(token.path("in").asString()).isEqualTo("header");
    assertThat(token.path("name").asString()).isEqualTo("Authorization");
    assertThat(schemes.path("Basic").path("scheme").asString()).isEqualTo("basic");
  }

  @Test
  void theUiIsServedWithoutCredentials() {
    var ui = http().send("GET", "/swagger-ui/index.html", null, null);
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.body()).containsIgnoringCase("swagger");
    var config = http().send("GET", "/v3/api-docs/swagger-config", null, null);
    assertThat(config.status()).isEqualTo(200);
    var entry = http().send("GET", "/swagger-ui.html", null, null);
    assertThat(entry.status()).isIn(200, 302);
  }

  @Test
  void theApiItselfStillNeedsCredentials() {
    var r = http().send("GET", "/api/deployments/", null, null);
    assertThat(r.status()).isEqualTo(401);
  }

  /** {@code "type": "string"}, or in OpenAPI 3.1 possibly {@code "type": ["string"]}. */
  private static String type(JsonNode schema) {
    JsonNode t = schema.path("type");
    if (t.isArray() && t.size() == 1) {
      return t.get(0).asString();
    }
    return t.asString();
  }
}
