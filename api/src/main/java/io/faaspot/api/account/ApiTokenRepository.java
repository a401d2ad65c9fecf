package io.faaspot.api.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ApiTokenRepository extends JpaRepository<ApiToken, Long> {
  Optional<ApiToken> findByTokenHash(byte[] tokenHash);

  List<ApiToken> findByAccountIdOrderByIdAsc(long accountId);

  /** One indexed query per request: the digest's active token and its account. */
  @Query(
      "select new io.faaspot.api.account.Caller(a.id, a.username, a.admin) from ApiToken t, Account a"
          + " where a.id = t.accountId and t.tokenHash = :digest and t.revokedAt is null")
  Optional<Caller> findActiveCaller(byte[] digest);
}
