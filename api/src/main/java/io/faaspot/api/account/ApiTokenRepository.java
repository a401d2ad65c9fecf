package io.faaspot.api.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiTokenRepository extends JpaRepository<ApiToken, Long>, ActiveCallers {
  Optional<ApiToken> findByTokenHash(byte[] tokenHash);

  List<ApiToken> findByAccountIdOrderByIdAsc(long accountId);
}
