package io.faaspot.api.deployment;

import io.faaspot.scheduler.execution.ExecutionKind;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A deployment's environment's last build, as its console page shows it: the create task of the
 * current version, with pip's output when it failed.
 */
@Component
class LastBuilds {
  private final JdbcClient jdbc;
  private final ConsoleJson json;

  LastBuilds(JdbcClient jdbc, ConsoleJson json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<ShownOutcome> of(long accountId, Deployment d) {
    return jdbc.sql(
            """
            SELECT id, status, output::text AS output FROM executions
            WHERE account_id = :a AND deployment_id = :d AND kind = :kind
              AND deployment_version = :v
            ORDER BY created_at DESC LIMIT 1
            """)
        .param("a", accountId)
        .param("d", d.id())
        .param("kind", ExecutionKind.CREATE_DEPLOYMENT)
        .param("v", d.currentVersion())
        .query(
            (rs, i) ->
                new ShownOutcome(
                    rs.getObject("id", UUID.class),
                    rs.getString("status"),
                    json.readable(rs.getString("output"))))
        .optional();
  }
}
