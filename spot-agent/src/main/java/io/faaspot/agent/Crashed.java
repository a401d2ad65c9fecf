package io.faaspot.agent;

/** A worker's process ended or wrote garbage; the message ends with its stderr's tail. */
final class Crashed extends Exception {
  Crashed(String message) {
    super(message);
  }
}
