package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the current request, as the authentication filter found it. */
public final class CurrentCaller {
  private CurrentCaller() {}

  public static Caller get() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw ApiException.unauthorized("authentication required");
  }
}
