package io.faaspot.api.account;

import io.faaspot.api.store.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API tokens' rows: digests only, never the secret. */
@Repository
class ApiTokenRepository {
  private final JdbcClient jdbc;

  ApiTokenRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<ApiToken> findByTokenHash(byte[] tokenHash) {
    return jdbc.sql("select * from api_tokens where token_hash = ?")
        .param(tokenHash)
        .query(ApiToken::read)
        .optional();
  }

  /** The account's tokens, oldest first, revoked ones included. */
  List<ApiToken> ofAccount(long accountId) {
    return jdbc.sql("select * from api_tokens where account_id = ? order by id")
        .param(accountId)
        .query(ApiToken::read)
        .list();
  }

  /** One indexed query: the digest's active token and its account. */
  Optional<Caller> findActiveCaller(byte[] digest) {
    return jdbc.sql(
            "select a.id, a.username, a.admin from api_tokens t join accounts a on a.id ="
                + " t.account_id where t.token_hash = ? and t.revoked_at is null")
        .param(digest)
        .query((rs, row) -> new Caller(rs.getLong(1), rs.getString(2), rs.getBoolean(3)))
        .optional();
  }

  ApiToken insert(ApiToken token) {
    long id =
        jdbc.sql(
                "insert into api_tokens (account_id, token_hash, label, created_at)"
                    + " values (?, ?, ?, ?) returning id")
            .params(token.accountId(), token.tokenHash(), token.label(), Sql.utc(token.createdAt()))
            .query(Long.class)
            .single();
    token.inserted(id);
    return token;
  }

  /** Revokes the token (revoking twice keeps the first time); empty if there is no such token. */
  Optional<ApiToken> revoke(long id, Instant now) {
    return jdbc.sql(
            "update api_tokens set revoked_at = coalesce(revoked_at, ?) where id = ? returning *")
        .params(Sql.utc(now), id)
        .query(ApiToken::read)
        .optional();
  }
}
