package io.faaspot.api.account;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a console session remembers of how it was opened ({@link ConsoleSignIn}): the token's
 * digest, or a digest of the password hash; never the secret itself.
 */
public record SessionCredential(long accountId, byte[] tokenDigest, byte[] passwordDigest)
    implements Serializable {
  @Override
  public boolean equals(Object o) {
    return o instanceof SessionCredential c
        && c.accountId == accountId
        && Arrays.equals(c.tokenDigest, tokenDigest)
        && Arrays.equals(c.passwordDigest, passwordDigest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(accountId) * 31 + Arrays.hashCode(tokenDigest);
  }

  @Override
  public String toString() {
    return "SessionCredential[account " + accountId + "]";
  }
}
