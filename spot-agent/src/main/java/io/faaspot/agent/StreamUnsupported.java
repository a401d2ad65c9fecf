package io.faaspot.agent;

import java.io.IOException;

/**
 * The server has no {@link Stream} (an older server, or a proxy that refuses the upgrade): the
 * agent long-polls instead.
 */
final class StreamUnsupported extends IOException {
  StreamUnsupported(String message) {
    super(message);
  }
}
