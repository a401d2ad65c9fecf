package io.faaspot.api.spot;

import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.spot.SpotProvider;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reconciler's autoscale pass (only where spots are launched): the demand of every account with
 * autoscaling on, read in one query, then each account scaled by {@link Autoscale} in a transaction
 * of its own.
 */
@Component
class ScaleAccounts {
  private static final Logger log = LoggerFactory.getLogger(ScaleAccounts.class);

  /** Counting further than this many waiting calls changes no decision (max_spots × workers). */
  static final int COUNT_CAP = 5000;

  private final Autoscale autoscale;
  private final SpotProvider provider;
  private final JdbcClient jdbc;

  ScaleAccounts(Autoscale autoscale, SpotProvider provider, JdbcClient jdbc) {
    this.autoscale = autoscale;
    this.provider = provider;
    this.jdbc = jdbc;
  }

  void run() {
    if (!provider.launches()) {
      return;
    }
    for (AccountDemand demand : demands()) {
      try {
        autoscale.scale(demand);
      } catch (RuntimeException e) {
        // One account's trouble (say, a concurrent change) must not stop the others' scaling.
        log.warn("autoscale of account {} failed: {}", demand.accountId(), e.toString());
      }
    }
  }

  List<AccountDemand> demands() {
    return jdbc.sql(
            """
            SELECT a.id,
              (SELECT count(*) FROM (SELECT 1 FROM executions e WHERE e.account_id = a.id
                 AND e.status = 'Pending' AND e.kind = :run LIMIT :cap) p) AS pending,
              (SELECT min(e.created_at) FROM executions e WHERE e.account_id = a.id
                 AND e.status = 'Pending' AND e.kind = :run) AS oldest,
              (SELECT count(*) FROM (SELECT 1 FROM executions e WHERE e.account_id = a.id
                 AND e.status = 'Started' AND e.kind = :run LIMIT :cap) r) AS running
            FROM accounts a WHERE a.autoscale ORDER BY a.id
            """)
        .param("run", ExecutionKind.RUN_DEPLOYMENT)
        .param("cap", COUNT_CAP)
        .query(
            (rs, i) -> {
              OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
              return new AccountDemand(
                  rs.getLong("id"),
                  rs.getInt("pending"),
                  oldest == null ? null : oldest.toInstant(),
                  rs.getInt("running"));
            })
        .list();
  }
}
