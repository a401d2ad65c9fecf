package io.faaspot.agent;

/** An environment build failed (venv, pip); {@code output} is what it said. */
final class BuildFailed extends Exception {
  final String output;

  BuildFailed(String message, String output) {
    super(message);
    this.output = output;
  }
}
