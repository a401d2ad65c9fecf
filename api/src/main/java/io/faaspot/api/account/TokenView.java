package io.faaspot.api.account;

import java.time.Instant;

/** A token as the admin API and the console's Accounts page list it: its label and dates only. */
record TokenView(long id, String label, Instant created, Instant revoked) {
  static TokenView of(ApiToken token) {
    return new TokenView(token.id(), token.label(), token.createdAt(), token.revokedAt());
  }
}
