package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ReadableJson;
import io.faaspot.scheduler.execution.ExecutionQueries;
import io.faaspot.scheduler.execution.ExecutionStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One execution as the console's execution page shows it, and polls while it runs: JSON made
 * readable, a failure's text as its traceback rather than its output.
 */
@Component
class ShownExecutions {
  /** The execution, its args and output readable, and whether it is final. */
  record Shown(ExecutionView view, String args, String output, String traceback, boolean done) {}

  private final ExecutionQueries queries;
  private final JsonMapper json;

  ShownExecutions(ExecutionQueries queries, JsonMapper json) {
    this.queries = queries;
    this.json = json;
  }

  /** The caller's execution of that id; 404 when there is none. */
  Shown find(Caller caller, String id) {
    ExecutionView v =
        ExecutionView.of(
            queries
                .find(caller.accountId(), ExecutionIds.parse(id))
                .orElseThrow(() -> ApiException.notFound("no execution with id " + id)));
    boolean done = ExecutionStatus.valueOf(v.status()).isFinal();
    String output = readable(v.output());
    boolean failed = v.status().equals(ExecutionStatus.Failure.name());
    return new Shown(v, readable(v.args()), failed ? null : output, failed ? output : null, done);
  }

  private String readable(String raw) {
    return ReadableJson.of(json, raw);
  }
}
