package io.faaspot.scheduler.execution;

import java.util.UUID;

/**
 * An execution to insert. The id is chosen by the caller so that a sync waiter can register for its
 * completion before the row exists (no lost wake-up).
 *
 * @param argsJson the parameters as a JSON object text
 */
public record NewExecution(
    UUID id,
    long accountId,
    String kind,
    Long deploymentId,
    String deploymentName,
    Integer deploymentVersion,
    UUID spotId,
    String argsJson,
    int maxAttempts) {

  public static NewExecution run(
      long accountId,
      long deploymentId,
      String deploymentName,
      int deploymentVersion,
      String argsJson,
      int maxAttempts) {
    return new NewExecution(
        ExecutionId.next(),
        accountId,
        ExecutionKind.RUN_DEPLOYMENT,
        deploymentId,
        deploymentName,
        deploymentVersion,
        null,
        argsJson,
        maxAttempts);
  }

  public static NewExecution task(
      long accountId, String kind, Long deploymentId, String deploymentName, UUID spotId) {
    return new NewExecution(
        ExecutionId.next(), accountId, kind, deploymentId, deploymentName, null, spotId, "{}", 1);
  }
}
