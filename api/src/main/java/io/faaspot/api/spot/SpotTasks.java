package io.faaspot.api.spot;

import io.faaspot.api.store.Sql;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionQueue;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A spot's own open tasks (its create, remove, refresh and replace executions), ended as the spot
 * comes to be ready, fails, or is removed; one place for the steps of its life that end them.
 */
@Component
class SpotTasks {
  private final ExecutionQueue queue;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  SpotTasks(ExecutionQueue queue, JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.queue = queue;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /** Ends the spot's pending tasks of that kind; their output is {@code output} as JSON. */
  void finish(UUID spotId, String kind, ExecutionStatus status, Object output) {
    jdbc.sql(
            "SELECT id FROM executions WHERE spot_id = :spot AND kind = :kind AND status = 'Pending'"
                + " AND "
                + ExecutionKind.NOT_A_CALL)
        .param("spot", spotId)
        .param("kind", kind)
        .query(UUID.class)
        .list()
        .forEach(id -> queue.finishTask(id, status, json.writeValueAsString(output)));
  }

  /** A removed spot's unfinished create/refresh/replace tasks can no longer happen. */
  void cancelOpen(UUID spotId) {
    jdbc.sql(
            """
            UPDATE executions SET status = 'Cancelled', finished_at = :now,
                   output = to_jsonb('Cancelled: the spot was removed'::text), version = version + 1
            WHERE spot_id = :spot AND kind <> :run AND status = ANY(:from::text[])
            """)
        .param("now", Sql.utc(clock.instant()))
        .param("spot", spotId)
        .param("run", ExecutionKind.RUN_DEPLOYMENT)
        .param("from", ExecutionStatus.sourcesOf(ExecutionStatus.Cancelled))
        .update();
  }
}
