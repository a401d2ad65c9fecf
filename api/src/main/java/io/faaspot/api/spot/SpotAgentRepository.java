package io.faaspot.api.spot;

import io.faaspot.api.store.Sql;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Agents' credentials: issued at registration, looked up on every agent request, revoked. */
@Repository
class SpotAgentRepository {
  private final JdbcClient jdbc;

  SpotAgentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(SpotAgent a) {
    jdbc.sql(
            "insert into spot_agents (id, spot_id, credential_hash, agent_version,"
                + " python_version, hostname, registered_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            a.id(),
            a.spotId(),
            a.credentialHash(),
            a.agentVersion(),
            a.pythonVersion(),
            a.hostname(),
            Sql.utc(a.registeredAt()))
        .update();
  }

  /** Revokes the spot's credentials not revoked yet; a revoked one keeps its first time. */
  void revokeAll(UUID spotId, Instant now) {
    jdbc.sql("update spot_agents set revoked_at = ? where spot_id = ? and revoked_at is null")
        .params(Sql.utc(now), spotId)
        .update();
  }

  /** One indexed query per agent request: the credential's spot, if still valid. */
  Optional<AgentIdentity> findIdentity(byte[] digest) {
    return jdbc.sql(
            "select s.id, s.account_id, a.id, s.state from spot_agents a join spots s on s.id ="
                + " a.spot_id where a.credential_hash = ? and a.revoked_at is null"
                + " and s.state <> 'Terminated'")
        .param(digest)
        .query(
            (rs, row) ->
                new AgentIdentity(
                    rs.getObject(1, UUID.class),
                    rs.getLong(2),
                    rs.getObject(3, UUID.class),
                    SpotState.valueOf(rs.getString(4))))
        .optional();
  }
}
