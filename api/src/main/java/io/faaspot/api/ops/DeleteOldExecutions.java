package io.faaspot.api.ops;

import io.faaspot.api.config.ExecutionsProperties;
import io.faaspot.api.store.Sql;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Deletes finished executions older than the retention, in batches. */
final class DeleteOldExecutions {
  private static final Logger log = LoggerFactory.getLogger(DeleteOldExecutions.class);

  private final JdbcClient jdbc;
  private final ExecutionsProperties props;
  private final Clock clock;

  DeleteOldExecutions(JdbcClient jdbc, ExecutionsProperties props, Clock clock) {
    this.jdbc = jdbc;
    this.props = props;
    this.clock = clock;
  }

  int deleteOnce() {
    int total = 0;
    int n;
    do {
      n =
          jdbc.sql(
                  """
                  DELETE FROM executions WHERE id IN (
                    SELECT id FROM executions
                    WHERE status IN ('Success', 'Failure', 'Cancelled') AND finished_at < :cutoff
                    LIMIT 5000)
                  """)
              .param("cutoff", Sql.utc(clock.instant().minus(props.retention())))
              .update();
      total += n;
    } while (n == 5000);
    if (total > 0) {
      log.info("deleted {} execution(s) finished more than {} ago", total, props.retention());
    }
    return total;
  }
}
