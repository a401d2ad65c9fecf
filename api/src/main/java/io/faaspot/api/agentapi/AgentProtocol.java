package io.faaspot.api.agentapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The messages of the agent protocol (docs/agent-protocol.md), as the server writes them. */
final class AgentProtocol {
  private AgentProtocol() {}

  record Registration(
      UUID spotId,
      String credential,
      long heartbeatSeconds,
      long leaseSeconds,
      long maxPollWaitSeconds,
      int minWorkers,
      int maxWorkers) {}

  /**
   * The deployment version a call runs. Its code, requirements and context go to an agent once per
   * stream (or claim answer); later calls of the same version carry {@code repeat: true} instead.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeploymentVersion(
      Long id,
      String name,
      Integer version,
      String code,
      String requirements,
      String context,
      String requirementsHash,
      Integer timeoutSeconds,
      Boolean repeat) {}

  record Call(
      UUID executionId,
      String kind,
      int attempt,
      Instant leaseExpires,
      @JsonRawValue String args,
      DeploymentVersion deployment) {}

  record Claimed(List<Call> calls, boolean drain) {}

  record Released(Collection<UUID> released) {}

  record Interruption(boolean drain, UUID replacementSpot) {}

  record ResultsAccepted(Collection<UUID> accepted, Collection<UUID> rejected) {}

  record HeartbeatAnswer(
      Collection<UUID> extended,
      Collection<UUID> cancel,
      Collection<UUID> lost,
      boolean drain,
      int minWorkers,
      int maxWorkers,
      long heartbeatSeconds) {}

  /** On the stream: calls sent against the agent's credit. */
  record StreamCalls(String type, List<Call> calls) {}

  /** On the stream: what was accepted of the results batch {@code seq}. */
  record StreamAccepted(
      String type, long seq, Collection<UUID> accepted, Collection<UUID> rejected) {}

  /** On the stream: a results batch refused whole, as a request would be answered 400. */
  record StreamRefused(String type, long seq, String message) {}
}
