package io.faaspot.agent;

import java.nio.file.Path;

/** What a {@link Worker} runs: a deployment version in an environment. */
record WorkerSpec(
    long deploymentId,
    int version,
    Path python,
    Path functionFile,
    Path contextFile,
    String envKey) {
  /** The pool's key: workers of the same key are interchangeable. */
  String key() {
    return deploymentId + "-v" + version + "-" + envKey;
  }
}
