package io.faaspot.api.account;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * The entity manager's own locked find ({@code select ... for update}) rather than a JPQL
 * {@code @Query}, which Spring Data would check, at some cost, as the server starts (see {@link
 * ActiveCallersImpl}).
 */
class LockedAccountsImpl implements LockedAccounts {
  @PersistenceContext private EntityManager em;

  @Override
  public Optional<Account> lockById(long id) {
    return Optional.ofNullable(em.find(Account.class, id, LockModeType.PESSIMISTIC_WRITE));
  }
}
