package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The OpenAPI description of {@link ExecutionController}'s routes, with the old client's quirks it
 * must keep (springdoc reads the annotations from this interface). The controller keeps each
 * route's mapping and bindings beside its logic; a route's summary, body and answers are described
 * here.
 */
@Tag(
    name = "Executions",
    description =
        "Every asynchronous task is an execution: function runs (`tasks.run_deployment`) and"
            + " management tasks (`tasks.create_deployment`, `tasks.create_spot`, ...). `status`"
            + " is `Pending`, `Started`, `Success`, `Failure` or `Cancelled`; the client polls"
            + " every 3 s until it is final, then prints `output` (on failure the error text).")
interface ExecutionApi {
  @Operation(
      operationId = "listExecutions",
      summary = "List executions",
      description =
          "A bare JSON array, newest first; the client prints `name`, `status`, `output`,"
              + " `uuid`, `created`. Only unfinished ones unless `include_completed` is true.")
  List<ExecutionView> list(
      Caller caller,
      @Parameter(
              description =
                  "`True`, `true`, `1`, `yes` or `on` to include finished executions (the client"
                      + " sends `True` or `False`).",
              example = "True")
          String includeCompleted,
      @Parameter(description = "Only the executions of this deployment (404 if unknown).")
          String deployment,
      @Parameter(
              description =
                  "At most this many (1 to `faaspot.api.max-list-size`, which is also the"
                      + " default).")
          Integer limit,
      @Parameter(description = "Skip this many first.") Integer offset);

  @Operation(
      operationId = "getExecution",
      summary = "Get an execution",
      description =
          "What `--wait` polls. `output` is the function's return value once `Success`, the error"
              + " text (traceback) once `Failure`. 404 for an unknown or malformed id.")
  ExecutionView get(
      Caller caller,
      @Parameter(
              description = "The execution id (a UUID).",
              schema = @Schema(type = "string", format = "uuid"))
          String id);

  @Operation(
      operationId = "cancelExecution",
      summary = "Cancel an execution",
      description =
          "Answers the execution, now `Cancelled`; a running function is stopped. 409 when it"
              + " had already finished (also when it was cancelled before).")
  ExecutionView cancel(
      Caller caller,
      @Parameter(
              description = "The execution id (a UUID).",
              schema = @Schema(type = "string", format = "uuid"))
          String id);

  @Operation(
      operationId = "bulkGetExecutions",
      summary = "Get many executions",
      description =
          "Answers the executions in input order; 404 when any id is unknown. The body is"
              + " `{\"tasks\": \"<a JSON array of ids as a string>\"}` (what the client sends),"
              + " or a bare array `[\"id1\", \"id2\"]` (`{\"tasks\": [...]}` works too).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              types = {"object", "array"},
                              description =
                                  "`{\"tasks\": \"[...]\"}`, `{\"tasks\": [...]}` or a bare array"
                                      + " of ids."),
                      examples = {
                        @ExampleObject(
                            name = "client",
                            summary = "What the client sends: the ids as a JSON string",
                            value =
                                "{\"tasks\": \"[\\\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\\\","
                                    + " \\\"019af0c2-5e1c-7a10-8f7a-2b9c6d4e1f00\\\"]\"}"),
                        @ExampleObject(
                            name = "bare",
                            summary = "A bare array of ids",
                            value =
                                "[\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\","
                                    + " \"019af0c2-5e1c-7a10-8f7a-2b9c6d4e1f00\"]")
                      })))
  @ApiResponse(
      responseCode = "200",
      description = "The executions, in input order.",
      content =
          @Content(
              mediaType = "application/json",
              array = @ArraySchema(schema = @Schema(implementation = ExecutionView.class))))
  List<ExecutionView> bulk(Caller caller, HttpServletRequest request);
}
