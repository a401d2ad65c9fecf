package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The OpenAPI description of {@link RunController}'s bulk run, apart from {@link RunApi}'s single
 * calls because its body takes three shapes, each with its example. Its tag is {@link RunApi}'s,
 * which springdoc finds on the controller.
 */
interface BulkRunApi {
  @Operation(
      operationId = "runBulk",
      summary = "Run a deployment once per args object",
      description =
          "Queues one call per element and answers their execution ids, in input order. The"
              + " body comes in three shapes, all accepted: `{\"values\": \"<a JSON array as a"
              + " string>\"}` (what the client sends), `{\"values\": [{...}, ...]}` and a bare"
              + " array `[{...}, ...]`. Each element is one call's args object. At most"
              + " `faaspot.api.max-bulk` (10000) calls per request (413 beyond).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description =
                  "An array of args objects, or an object whose `values` is that array or that"
                      + " array encoded as a JSON string.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              types = {"object", "array"},
                              description =
                                  "`{\"values\": \"[...]\"}`, `{\"values\": [...]}` or"
                                      + " `[...]`."),
                      examples = {
                        @ExampleObject(
                            name = "client",
                            summary = "What the client sends: the array as a string",
                            value =
                                "{\"values\": \"[{\\\"name\\\": \\\"a\\\"},"
                                    + " {\\\"name\\\": \\\"b\\\"}]\"}"),
                        @ExampleObject(
                            name = "values",
                            summary = "The array under values",
                            value = "{\"values\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}"),
                        @ExampleObject(
                            name = "bare",
                            summary = "A bare array",
                            value = "[{\"name\": \"a\"}, {\"name\": \"b\"}]")
                      })))
  @ApiResponse(
      responseCode = "200",
      description = "The execution ids, in input order.",
      content =
          @Content(
              mediaType = "application/json",
              array = @ArraySchema(schema = @Schema(type = "string", format = "uuid"))))
  List<String> runBulk(Caller caller, String name, HttpServletRequest request);
}
