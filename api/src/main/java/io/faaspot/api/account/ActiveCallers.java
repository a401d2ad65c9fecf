package io.faaspot.api.account;

import java.util.Optional;

/** The caller behind a token: a fragment of {@link ApiTokenRepository} in plain SQL. */
interface ActiveCallers {
  /** One indexed query: the digest's active token and its account. */
  Optional<Caller> findActiveCaller(byte[] digest);
}
