package io.faaspot.api.deployment;

import io.faaspot.api.account.Caller;
import io.faaspot.api.execution.ExecutionView;
import io.faaspot.api.web.JsonString;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The OpenAPI description of {@link DeploymentController}'s routes, with the old client's quirks it
 * must keep (springdoc reads the annotations from this interface). The controller keeps each
 * route's mapping and bindings beside its logic; a route's summary, body and answers are described
 * here.
 */
@Tag(
    name = "Deployments",
    description =
        "A deployment is one Python function (`def main(args, context)`) with its pip requirements"
            + " and context (`KEY=Value` lines). `functions` is an alias of `deployments`"
            + " (`/v1/functions/...`). Code, requirements and context travel URL-quoted both ways:"
            + " percent-encoded UTF-8, `/` kept as it is.")
interface DeploymentApi {
  @Operation(
      operationId = "listDeployments",
      summary = "List the deployments",
      description =
          "A bare JSON array, by name; the client prints `name`, `requirements` and `runner_url`."
              + " Here `requirements` is plain text; the get answers it URL-quoted.")
  List<DeploymentSummary> list(Caller caller);

  @Operation(
      operationId = "getDeployment",
      summary = "Get a deployment",
      description =
          "The current version, with `code`, `requirements` and `context` **URL-quoted**"
              + " (percent-encoded UTF-8, `/` kept, as Python's `urllib.parse.quote`): the client"
              + " unquotes them. 404 for an unknown name.")
  DeploymentDetail get(Caller caller, String name);

  @Operation(
      operationId = "createDeployment",
      summary = "Create a deployment",
      description =
          "The body's `code`, `requirements` and `context` are **URL-quoted** (percent-encoded"
              + " UTF-8, `/` kept; the empty string when absent); the server stores the decoded"
              + " text. Optional `timeout`: seconds per call, 1 to 900 (default 60). Answers the"
              + " id of the `tasks.create_deployment` execution as a **bare JSON string**; that"
              + " task builds the environment and imports the function on a ready spot (with no"
              + " spot running it succeeds at once). 409 when the name is taken; 400 when the"
              + " requirements are more than package specifiers (`-r`, `-e`, local paths, `file:`"
              + " and VCS URLs; index options and `name @ https://...` unless the operator allows"
              + " them): the message names the line.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description =
                  "A JSON object (a form-encoded body is read as one too). All four keys are"
                      + " strings; the client always sends all four.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "name",
                            schema =
                                @Schema(
                                    type = "string",
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    description = "The deployment's name.",
                                    example = "hello")),
                        @SchemaProperty(
                            name = "code",
                            schema =
                                @Schema(
                                    type = "string",
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    description =
                                        "The Python file defining `main(args, context)`,"
                                            + " URL-quoted.")),
                        @SchemaProperty(
                            name = "requirements",
                            schema =
                                @Schema(
                                    type = "string",
                                    description = "The pip requirements file, URL-quoted.")),
                        @SchemaProperty(
                            name = "context",
                            schema =
                                @Schema(
                                    type = "string",
                                    description =
                                        "The context file (`KEY=Value` lines), URL-quoted.")),
                        @SchemaProperty(
                            name = "timeout",
                            schema =
                                @Schema(
                                    types = {"integer", "string"},
                                    description =
                                        "Seconds a call may run, 1 to 900; a number or a"
                                            + " string."))
                      },
                      examples =
                          @ExampleObject(
                              name = "hello",
                              summary = "What `fas deployments create` sends",
                              value =
                                  "{\"name\": \"hello\", \"code\": \"def%20main%28args%2C%20"
                                      + "context%29%3A%0A%20%20%20%20return%20%22Hello%20%22%20"
                                      + "%2B%20args%5B%22name%22%5D%0A\", \"requirements\":"
                                      + " \"\", \"context\": \"\"}"))))
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the create task, as a bare JSON string (quotes included).",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString create(Caller caller, HttpServletRequest request);

  @Operation(
      operationId = "updateDeployment",
      summary = "Update or rename a deployment",
      description =
          "The body holds any of `code`, `requirements`, `context` (URL-quoted, as on create),"
              + " `name` (a rename) and `timeout`. Answers the **execution object** of the"
              + " `tasks.create_deployment` task (a dict with `uuid`, not a bare string: the"
              + " client's `--wait` reads `uuid` from it). New requirements are checked as on"
              + " create (400 naming the refused line).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "code",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "requirements",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "context",
                            schema = @Schema(type = "string", description = "URL-quoted.")),
                        @SchemaProperty(
                            name = "name",
                            schema = @Schema(type = "string", description = "The new name.")),
                        @SchemaProperty(
                            name = "timeout",
                            schema =
                                @Schema(
                                    types = {"integer", "string"},
                                    description = "Seconds a call may run, 1 to 900."))
                      },
                      examples =
                          @ExampleObject(
                              name = "new requirements",
                              value = "{\"requirements\": \"requests%3D%3D2.31.0%0A\"}"))))
  ExecutionView update(Caller caller, String name, HttpServletRequest request);

  @Operation(
      operationId = "deleteDeployment",
      summary = "Delete a deployment",
      description =
          "Answers the execution object of the delete task (a dict with `uuid`). 404 for an"
              + " unknown name.")
  ExecutionView delete(Caller caller, String name);
}
