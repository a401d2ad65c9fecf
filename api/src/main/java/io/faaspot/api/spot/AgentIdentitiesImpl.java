package io.faaspot.api.spot;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plain SQL rather than a JPQL {@code @Query}, which Spring Data would check, at some cost, as the
 * server starts (issue 19). Found by its name, as Spring Data finds a fragment's implementation.
 */
class AgentIdentitiesImpl implements AgentIdentities {
  private final JdbcClient jdbc;

  AgentIdentitiesImpl(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<AgentIdentity> findIdentity(byte[] digest) {
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
