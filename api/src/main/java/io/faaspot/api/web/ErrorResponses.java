package io.faaspot.api.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;

/**
 * The OpenAPI description of what every operation may answer besides its success: the JSON error
 * body ({@link ErrorBody}) as a component schema, and as each operation's default answer. Added by
 * {@link OpenApiConfig}'s customizer after springdoc has generated the rest.
 */
final class ErrorResponses {
  private ErrorResponses() {}

  /** Every answer of the operation as JSON, and the error body as its default answer. */
  static void describe(Operation op) {
    if (op.getResponses() == null) {
      return;
    }
    op.getResponses()
        .values()
        .forEach(
            r -> {
              Content content = r.getContent();
              if (content != null && content.containsKey("*/*")) {
                MediaType any = content.remove("*/*");
                content.putIfAbsent(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, any);
              }
            });
    if (!op.getResponses().containsKey("default")) {
      op.getResponses().addApiResponse("default", errorResponse());
    }
  }

  private static ApiResponse errorResponse() {
    return new ApiResponse()
        .description(
            "An error: a non-200 status (400, 401, 403, 404, 409, 413, ...) with the JSON error"
                + " body.")
        .content(
            new Content()
                .addMediaType(
                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                    new MediaType()
                        .schema(
                            new Schema<>().$ref("#/components/schemas/" + OpenApiConfig.ERROR))));
  }

  /** The component schema of the error body, named {@link OpenApiConfig#ERROR}. */
  static Schema<?> schema() {
    return new ObjectSchema()
        .description(
            "The error body. Some errors add fields, such as `execution_id` and `uuid` when a sync"
                + " run failed or is still running.")
        .addProperty(
            "message",
            new StringSchema()
                .description("What the old client prints.")
                .example("no deployment named 'hello'"))
        .addProperty(
            "detail",
            new StringSchema()
                .description("The same text: the client's fallback when message is absent."))
        .addProperty(
            "error_code",
            new StringSchema().description("A stable word for scripts.").example("not_found"))
        .addProperty("status", new IntegerSchema().description("The HTTP status.").example(404))
        .required(List.of("message", "detail", "error_code"))
        .additionalProperties(Boolean.TRUE);
  }
}
