package io.faaspot.api.execution;

import io.faaspot.api.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The id of a deployment named in a filter of executions (the API's {@code ?deployment=} and the
 * console's), within the caller's account; 404 when there is none, as for any unknown name.
 */
@Component
class DeploymentIds {
  private final JdbcClient jdbc;

  DeploymentIds(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  long find(long accountId, String name) {
    return jdbc.sql("SELECT id FROM deployments WHERE account_id = :a AND name = :n")
        .param("a", accountId)
        .param("n", name)
        .query(Long.class)
        .optional()
        .orElseThrow(() -> ApiException.notFound("no deployment named '" + name + "'"));
  }
}
