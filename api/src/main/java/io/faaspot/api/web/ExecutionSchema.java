package io.faaspot.api.web;

import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.List;
import java.util.Map;

/**
 * What springdoc cannot read from {@code ExecutionView}: its {@code output} and {@code args} are
 * any JSON (the view writes them raw), its {@code status} one of five words the client polls on,
 * and its {@code name} the old task name.
 */
final class ExecutionSchema {
  private ExecutionSchema() {}

  /** Completes the generated {@code ExecutionView} schema, when there is one. */
  @SuppressWarnings("rawtypes")
  static void complete(Map<String, Schema> schemas) {
    Schema<?> execution = schemas.get("ExecutionView");
    if (execution != null && execution.getProperties() != null) {
      execution.addProperty(
          "output",
          new Schema<>()
              .description(
                  "The function's return value (any JSON value); on failure the error text"
                      + " (the traceback); null while it runs."));
      execution.addProperty(
          "args",
          new Schema<>()
              .description(
                  "The call's args object (query parameters merged with the body); null for"
                      + " management tasks."));
      execution.addProperty(
          "status",
          new StringSchema()
              ._enum(List.of("Pending", "Started", "Success", "Failure", "Cancelled"))
              .description(
                  "Final once Success, Failure or Cancelled (the client stops polling on"
                      + " those)."));
      execution.addProperty(
          "name",
          new StringSchema().description("What the task is.").example("tasks.run_deployment"));
    }
  }
}
