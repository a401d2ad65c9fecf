package io.faaspot.api.account;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AccountRepository extends JpaRepository<Account, Long>, LockedAccounts {
  Optional<Account> findByUsername(String username);

  Optional<Account> findFirstByAdminTrueOrderByIdAsc();
}
