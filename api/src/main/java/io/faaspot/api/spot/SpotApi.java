package io.faaspot.api.spot;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.JsonString;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The OpenAPI description of {@link SpotController}'s routes, with the old client's quirks it must
 * keep (springdoc reads the annotations from this interface). The controller keeps each route's
 * mapping and bindings beside its logic; a route's summary, body and answers are described here. It
 * stays one file over 200 lines: split by route group, springdoc would have to merge the "Spots"
 * tag across two interfaces, which no test here checks.
 */
@Tag(
    name = "Spots",
    description =
        "The caller's pool of spot VMs that run its functions, named by IP address (later"
            + " clients call them nodes, at the same URLs). Changes are tasks: the calls answer"
            + " the task's execution id as a bare JSON string.")
interface SpotApi {
  @Operation(
      operationId = "listSpots",
      summary = "List the spots",
      description =
          "A bare JSON array of the spots not yet terminated; the client prints `ip`,"
              + " `created`.")
  List<SpotView> list(Caller caller);

  @Operation(
      operationId = "getSpot",
      summary = "Get a spot",
      description = "404 for an IP that names none of the caller's spots.")
  SpotView get(
      Caller caller,
      @Parameter(description = "The spot's IP address.", example = "127.0.1.1") String ip);

  @Operation(
      operationId = "addSpot",
      summary = "Add a spot",
      description =
          "Asks for one more spot and answers the id of its `tasks.create_spot` execution, which"
              + " succeeds once the spot's agent has registered and takes work (so `fas spots add"
              + " --wait` returns with a ready spot).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description = "Optional; no body is fine.",
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties =
                          @SchemaProperty(
                              name = "availability_zone",
                              schema =
                                  @Schema(
                                      type = "string",
                                      description = "Where to start it (EC2 spots).",
                                      example = "us-east-1a")))))
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the `tasks.create_spot` task, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString add(Caller caller, HttpServletRequest request);

  @Operation(
      operationId = "removeAnySpot",
      summary = "Remove any one spot",
      description =
          "Removes the newest spot still in service (404 when there is none); see removing by"
              + " IP.")
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the `tasks.remove_spot` task, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString removeAny(Caller caller);

  @Operation(
      operationId = "removeSpot",
      summary = "Remove a spot",
      description =
          "The spot drains: it takes no new calls, finishes the running ones (at most"
              + " `faaspot.spots.drain-timeout`), then stops, which finishes the task. 409 when it"
              + " is already being removed.")
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the `tasks.remove_spot` task, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString remove(
      Caller caller,
      @Parameter(description = "The spot's IP address.", example = "127.0.1.1") String ip);

  @Operation(
      operationId = "updateSpots",
      summary = "Change worker settings, or refresh IPs",
      description =
          "Two kinds of body. `{\"min_workers\": \"1\", \"max_workers\": \"3\"}` (numbers,"
              + " as strings or not; either may be left out) bounds how many function processes"
              + " each spot keeps warm and runs at once, and answers the new settings."
              + " `{\"refresh_ip\": \"IP\"}` or `{\"refresh_ip\": \"all\"}`, as JSON or"
              + " **form-encoded** (`curl -X PATCH --data \"refresh_ip=all\" .../api/spots/`),"
              + " gives the spot (or every spot) a new public IP and answers the id of the"
              + " `tasks.refresh_ip` execution as a bare JSON string.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/json",
                    schemaProperties = {
                      @SchemaProperty(
                          name = "min_workers",
                          schema =
                              @Schema(
                                  types = {"string", "integer"},
                                  description = "Function processes each spot keeps warm.")),
                      @SchemaProperty(
                          name = "max_workers",
                          schema =
                              @Schema(
                                  types = {"string", "integer"},
                                  description = "Most calls each spot runs at once.")),
                      @SchemaProperty(
                          name = "refresh_ip",
                          schema = @Schema(type = "string", description = "A spot's IP, or `all`."))
                    },
                    examples = {
                      @ExampleObject(
                          name = "workers",
                          summary = "Worker settings (what `fas spots update` sends)",
                          value = "{\"min_workers\": \"1\", \"max_workers\": \"3\"}"),
                      @ExampleObject(
                          name = "refresh_ip",
                          summary = "New public IPs for every spot",
                          value = "{\"refresh_ip\": \"all\"}")
                    }),
                @Content(
                    mediaType = "application/x-www-form-urlencoded",
                    schemaProperties =
                        @SchemaProperty(
                            name = "refresh_ip",
                            schema =
                                @Schema(
                                    type = "string",
                                    description = "A spot's IP, or `all`.",
                                    example = "all")))
              }))
  @ApiResponse(
      responseCode = "200",
      description =
          "For worker settings, the new settings `{\"min_workers\", \"max_workers\","
              + " \"spots\"}`; for refresh_ip, the execution id of the task as a bare JSON"
              + " string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(oneOf = {WorkerSettings.class, java.util.UUID.class}),
              examples = {
                @ExampleObject(
                    name = "workers",
                    value = "{\"min_workers\": 1, \"max_workers\": 3, \"spots\": 1}"),
                @ExampleObject(
                    name = "refresh_ip",
                    value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")
              }))
  Object update(Caller caller, HttpServletRequest request);

  @Operation(
      operationId = "replaceSpot",
      summary = "Replace a spot with a new VM",
      description =
          "Starts the new spot first, then drains the old one. A GET, as the client sends it.")
  @ApiResponse(
      responseCode = "200",
      description = "The execution id of the `tasks.replace_spot` task, as a bare JSON string.",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "string", format = "uuid"),
              examples = @ExampleObject(value = "\"019af0c2-5e1b-7c3d-9a55-1b8e1f0f4d2a\"")))
  JsonString replace(
      Caller caller,
      @Parameter(description = "The spot's IP address.", example = "127.0.1.1") String ip);
}
