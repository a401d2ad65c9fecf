package io.faaspot.agent;

import java.io.IOException;

/** The server no longer accepts this agent (spot removed, credential revoked). */
final class Revoked extends IOException {
  Revoked(String message) {
    super(message);
  }
}
