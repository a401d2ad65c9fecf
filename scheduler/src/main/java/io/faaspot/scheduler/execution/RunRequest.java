package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.execution.ExecutionQueue.EnqueuedRun;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One function call waiting to be inserted by a group commit ({@link EnqueueRuns}), and where its
 * caller waits for the outcome. Mutable on purpose: the insert decides, per batch, which waiting
 * agent's poll ({@link #to}) the call goes to.
 */
final class RunRequest {
  final UUID id;
  final long accountId;
  final String deploymentName;
  final String argsJson;
  final int maxAttempts;
  final CompletableFuture<Optional<EnqueuedRun>> outcome = new CompletableFuture<>();
  ParkedClaims.ParkedClaim to;

  RunRequest(UUID id, long accountId, String name, String argsJson, int maxAttempts) {
    this.id = id;
    this.accountId = accountId;
    this.deploymentName = name;
    this.argsJson = argsJson;
    this.maxAttempts = maxAttempts;
  }
}
