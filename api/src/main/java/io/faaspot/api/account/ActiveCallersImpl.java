package io.faaspot.api.account;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plain SQL rather than a JPQL {@code @Query}: Spring Data checks each JPQL query as the server
 * starts, and the first one pays for warming Hibernate's query parser (about half a second of every
 * start, issue 19). Found by its name, as Spring Data finds a fragment's implementation.
 */
class ActiveCallersImpl implements ActiveCallers {
  private final JdbcClient jdbc;

  ActiveCallersImpl(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Caller> findActiveCaller(byte[] digest) {
    return jdbc.sql(
            "select a.id, a.username, a.admin from api_tokens t join accounts a on a.id ="
                + " t.account_id where t.token_hash = ? and t.revoked_at is null")
        .param(digest)
        .query((rs, row) -> new Caller(rs.getLong(1), rs.getString(2), rs.getBoolean(3)))
        .optional();
  }
}
