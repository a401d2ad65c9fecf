package io.faaspot.api.account;

import java.time.Clock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates API tokens; the plain token is returned once and never stored. */
@Component
class IssueToken {
  private final ApiTokenRepository tokens;
  private final Clock clock;

  IssueToken(ApiTokenRepository tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  @Transactional
  IssuedToken issue(Account account, String label) {
    return issue(account, label, Secrets.generate("fst_"));
  }

  @Transactional
  IssuedToken issue(Account account, String label, String token) {
    ApiToken saved =
        tokens.insert(new ApiToken(account.id(), Secrets.digest(token), label, clock.instant()));
    return new IssuedToken(saved.id(), token);
  }
}
