package io.faaspot.api.deployment;

import io.faaspot.api.config.FaaspotProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A deployment's {@code runner_url}, the URL that runs it synchronously: under the server's public
 * URL when one is configured (behind a proxy the request's own address is not the one clients use),
 * else under the address of the current request.
 */
@Component
class RunnerUrls {
  private final FaaspotProperties faaspot;

  RunnerUrls(FaaspotProperties faaspot) {
    this.faaspot = faaspot;
  }

  /** The base the runner URLs of this request start with. */
  String base() {
    if (faaspot.publicUrl() != null) {
      return faaspot.publicUrl();
    }
    return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
  }

  static String of(String base, String name) {
    return base + "/api/sync/deployments/" + name + "/rpc/";
  }
}
