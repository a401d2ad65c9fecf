package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.JsonString;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;

/**
 * The OpenAPI description of {@link RunController}'s routes, with the old client's quirks it must
 * keep (springdoc reads the annotations from this interface). The controller keeps each route's
 * mapping and bindings beside its logic; a route's summary, body and answers are described here,
 * the bulk run's in {@link BulkRunApi}.
 */
@Tag(
    name = "Runs",
    description =
        "Running a deployment: asynchronously (answers the execution id as a bare JSON string),"
            + " synchronously (answers the function's own return value) or in bulk. A call's"
            + " `args` are its query parameters merged with its JSON body object (the body wins);"
            + " the client sends every value as a string. `functions` is an alias of"
            + " `deployments` here too (`/v1/functions/NAME/rpc`, `/v1/sync/functions/NAME/rpc`).")
interface RunApi {
  @Operation(
      operationId = "runAsync",
      summary = "Run a deployment asynchronously",
      description =
          "Queues one call (`tasks.run_deployment`) and answers its execution id as a **bare"
              + " JSON string**, quotes included (`ID=$(curl ... | tr -d '\"')`); poll `GET"
              + " /api/executions/{id}` for its `status` and `output`. POST is what the client"
              + " sends; GET and PUT work the same.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description =
                  "Optional: a JSON object of args, merged over the query parameters. An empty"
                      + " body is fine.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              type = "object",
                              additionalPropertiesSchema = Object.class,
                              example = "{\"name\": \"user1\"}"))))
  @Parameter(
      name = "args",
      in = ParameterIn.QUERY,
      description = "The call's args, one query parameter each (`?name=user1&sec=2`); any names.",
      style = ParameterStyle.FORM,
      explode = Explode.TRUE,
      schema =
          @Schema(
              type = "object",
              additionalPropertiesSchema = String.class,
              example = "{\"name\": \"user1\"}"))
  @ApiResponse(
      responseCode = "200",
      description = "The execution id, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString runAsync(Caller caller, String name, HttpServletRequest request);

  @Operation(
      operationId = "runSync",
      summary = "Run a deployment and wait for its result",
      description =
          "Runs one call and answers **the function's own return value** as JSON (whatever"
              + " `main` returned: `\"Hello user1\"`, a number, an object, `null`), not an"
              + " execution object. This is a deployment's `runner_url`. If the function fails,"
              + " the answer is a 500 whose `message` is the error text (the traceback) and"
              + " whose `execution_id` names the execution. A call still running after the"
              + " server's sync wait (`faaspot.api.sync-wait`, 90 s by default) is not lost: the"
              + " answer is a 504 with `error_code` `still_running` and its `execution_id`, to"
              + " poll `GET /api/executions/{id}`.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description =
                  "Optional: a JSON object of args, merged over the query parameters. An empty"
                      + " body is fine.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              type = "object",
                              additionalPropertiesSchema = Object.class,
                              example = "{\"name\": \"user1\"}"))))
  @Parameter(
      name = "args",
      in = ParameterIn.QUERY,
      description = "The call's args, one query parameter each (`?name=user1&sec=2`); any names.",
      style = ParameterStyle.FORM,
      explode = Explode.TRUE,
      schema =
          @Schema(
              type = "object",
              additionalPropertiesSchema = String.class,
              example = "{\"name\": \"user1\"}"))
  @ApiResponse(
      responseCode = "200",
      description = "The function's return value itself, as JSON (any JSON value).",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(
                      types = {"string", "number", "integer", "boolean", "object", "array", "null"},
                      description = "Whatever the function returned."),
              examples = @ExampleObject(name = "hello", value = "\"Hello user1\"")))
  @ApiResponse(
      responseCode = "500",
      description =
          "The function failed: `message` is its error text, `execution_id` (and `uuid`) its"
              + " execution; `error_code` is `function_failed`.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  @ApiResponse(
      responseCode = "409",
      description = "The call was cancelled (`error_code` `cancelled`, with `execution_id`).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  @ApiResponse(
      responseCode = "504",
      description =
          "No result within the sync wait: the call goes on; `execution_id` names it, to poll"
              + " (`error_code` `still_running`).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(ref = "#/components/schemas/Error")))
  ResponseEntity<String> runSync(Caller caller, String name, HttpServletRequest request)
      throws InterruptedException;
}
