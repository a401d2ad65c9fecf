package io.faaspot.api.account;

import java.util.Optional;

/** An account locked for a change: a fragment of {@link AccountRepository}. */
public interface LockedAccounts {
  /** For changes to the spot count and worker bounds, which must not interleave. */
  Optional<Account> lockById(long id);
}
