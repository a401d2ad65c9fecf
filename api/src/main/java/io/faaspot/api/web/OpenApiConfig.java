package io.faaspot.api.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of the public API, served by springdoc at {@code /v3/api-docs} (the UI at
 * {@code /swagger-ui.html}), without credentials. The controllers describe their endpoints; this
 * says what holds for all of them: the old client's rules of API.md, the aliases {@link
 * ApiPathFilter} maps, the error body and the two ways to authenticate.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
  /** The scheme of {@code Authorization: Token <token>}. */
  static final String TOKEN = "Token";

  /** The scheme of {@code Authorization: Basic <base64(user:password)>}. */
  static final String BASIC = "Basic";

  /** The component schema of the JSON error body ({@link ErrorBody}). */
  static final String ERROR = "Error";

  static final String DESCRIPTION =
      """
      A self-hosted FaaSpot: upload a Python function (`def main(args, context)`) with its pip \
      requirements and context, and run it synchronously or asynchronously on a pool of spot VMs.
      This API is the HTTP contract of the old `fas` command-line client, so its quirks are \
      deliberate:

      - **Aliases.** `/v1/...` is the same as `/api/...`, and `functions` the same as \
      `deployments` (`/v1/functions/NAME/rpc`, `/api/sync/functions/NAME/rpc`). Every path \
      works with and without a trailing slash (the client sends one: `/api/deployments/`). \
      Only the canonical `/api/...` spelling without the slash is listed here.
      - **Credentials.** `Authorization: Token <token>`, or `Authorization: Basic \
      <base64(user:password)>` in the standard or the URL-safe base64 alphabet (also wrapped as \
      `b'...'`, as the client sends it under Python 3). `/api/admin/**` is for the admin account \
      only.
      - **Bodies.** Every request may carry `Content-type: application/json`, also GET and \
      DELETE, and an empty body is accepted everywhere. Bodies are JSON objects whose values the \
      client sends as strings; form-encoded bodies (`refresh_ip=all`) are read as an object of \
      strings; the bulk calls also take arrays.
      - **Success is always HTTP 200 with a JSON body**: never 201, 202 or 204, never empty.
      - **Bare-string ids.** Calls that start a task answer its execution id as a bare JSON \
      string, quotes included: `"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a"` (a time-ordered UUID, 36 \
      characters). Poll `GET /api/executions/{id}` until `status` is `Success`, `Failure` or \
      `Cancelled`.
      - **URL-quoted code.** A deployment's `code`, `requirements` and `context` travel \
      URL-quoted both ways: percent-encoded UTF-8 with `/` kept as it is (Python's \
      `urllib.parse.quote`), the empty string when absent.
      - **Sync runs** (`/api/sync/deployments/{name}/rpc`) answer the function's own return \
      value as JSON, not an execution object.
      - **Lists** are bare JSON arrays; paging, where there is any, is in optional query \
      parameters. Timestamps are ISO-8601 in UTC.
      - **Errors** are a non-200 status with the body \
      `{"message": "...", "detail": "...", "error_code": "...", "status": 404}` (`message` is \
      what the client prints, `detail` its fallback, `error_code` a stable word for scripts; \
      some errors add fields such as `execution_id`). Statuses: 400 bad input, 401 no or bad \
      credentials, 403 not allowed, 404 unknown name or id, 409 conflict, 413 too large, 429 \
      too many failed logins or password checks (wait the `Retry-After` seconds), 504 a sync \
      run still going.
      """;

  /** The version is the build's, where Maven wrote build-info; else the jar's, else "dev". */
  @Bean
  OpenAPI faaspotOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties info = build.getIfAvailable();
    String version =
        info != null
            ? info.getVersion()
            : OpenApiConfig.class.getPackage().getImplementationVersion();
    return new OpenAPI()
        .info(
            new Info()
                .title("FaaSpot API")
                .version(version == null ? "dev" : version)
                .description(DESCRIPTION))
        .components(
            new Components()
                .addSecuritySchemes(
                    TOKEN,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("Authorization")
                        .description(
                            "The header `Authorization: Token <token>`: enter `Token fst_...` as"
                                + " the value (the word `Token`, a space, then the account's"
                                + " token)."))
                .addSecuritySchemes(
                    BASIC,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("basic")
                        .description(
                            "The account's username and password (accounts made with a"
                                + " password only). The URL-safe base64 alphabet is accepted"
                                + " too.")))
        .addSecurityItem(new SecurityRequirement().addList(TOKEN))
        .addSecurityItem(new SecurityRequirement().addList(BASIC));
  }

  /**
   * Model properties in snake_case, as the server writes them ({@code
   * spring.jackson.property-naming-strategy}); springdoc's own Jackson 2 mapper does not know it.
   */
  @Bean
  ModelConverter snakeCaseModelResolver() {
    return new ModelResolver(
        Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }

  /**
   * What the annotations cannot say: every answer is JSON, and every operation may answer the error
   * body (a schema added here, after springdoc has set the generated ones); an execution's {@code
   * output} and {@code args} are any JSON (they are written raw).
   */
  @Bean
  OpenApiCustomizer faaspotOpenApiCustomizer() {
    return openApi -> {
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      openApi.getComponents().addSchemas(ERROR, ErrorResponses.schema());
      if (openApi.getPaths() != null) {
        openApi
            .getPaths()
            .values()
            .forEach(item -> item.readOperations().forEach(ErrorResponses::describe));
      }
      ExecutionSchema.complete(openApi.getComponents().getSchemas());
    };
  }
}
