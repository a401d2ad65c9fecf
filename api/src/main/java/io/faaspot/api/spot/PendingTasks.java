package io.faaspot.api.spot;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pool's tasks waiting for the reconciler (refresh_ip, replace, deployment builds), and their
 * ending with a message; shared by the passes that carry each kind out.
 */
@Component
class PendingTasks {
  private final ExecutionQueue queue;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  PendingTasks(ExecutionQueue queue, JdbcClient jdbc, JsonMapper json) {
    this.queue = queue;
    this.jdbc = jdbc;
    this.json = json;
  }

  List<PendingTask> of(String kind) {
    return jdbc.sql(
            "SELECT id, account_id, spot_id, args::text AS args FROM executions"
                + " WHERE kind = :kind AND status = 'Pending' AND "
                + ExecutionKind.NOT_A_CALL
                + " ORDER BY created_at LIMIT 500")
        .param("kind", kind)
        .query(
            (rs, i) ->
                new PendingTask(
                    rs.getObject("id", UUID.class),
                    rs.getLong("account_id"),
                    rs.getObject("spot_id", UUID.class),
                    json.readTree(rs.getString("args"))))
        .list();
  }

  /** Ends the task; its output is the message as a JSON string. */
  void finish(PendingTask task, ExecutionStatus status, String message) {
    queue.finishTask(task.id(), status, json.writeValueAsString(message));
  }
}
