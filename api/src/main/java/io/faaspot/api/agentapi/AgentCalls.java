package io.faaspot.api.agentapi;

import io.faaspot.api.secrets.Contexts;
import io.faaspot.scheduler.execution.ClaimedExecution;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Claimed calls as an agent gets them, over a claim answer or the stream alike: apart from both so
 * that the two send a call the same way.
 */
final class AgentCalls {
  /** Most calls one claim (or one stream message) carries. */
  static final int MAX_CLAIM = 256;

  private AgentCalls() {}

  static AgentProtocol.Claimed answer(List<ClaimedExecution> calls, Contexts contexts) {
    Set<String> sent = new HashSet<>();
    return new AgentProtocol.Claimed(
        calls.stream().map(c -> call(c, sent, contexts)).toList(), false);
  }

  /**
   * A call as the agent gets it. {@code sent} holds the deployment versions already sent in full to
   * this agent over the same stream or in the same answer: a call of one of those names it with
   * {@code repeat: true} instead of its code, requirements and context again (the agent keeps what
   * it was sent). The context is decrypted only when it is sent: once per version and stream (or
   * answer), a few microseconds each (2 to 10 for a 300-byte context on the development machine),
   * so no cache keeps decrypted secrets in memory for it.
   */
  static AgentProtocol.Call call(ClaimedExecution c, Set<String> sent, Contexts contexts) {
    boolean repeat =
        c.deploymentId() != null && !sent.add(c.deploymentId() + "-v" + c.deploymentVersion());
    return new AgentProtocol.Call(
        c.id(),
        c.kind(),
        c.attempt(),
        c.leaseExpiresAt(),
        c.argsJson(),
        new AgentProtocol.DeploymentVersion(
            c.deploymentId(),
            c.deploymentName(),
            c.deploymentVersion(),
            repeat ? null : c.code(),
            repeat ? null : c.requirements(),
            repeat || c.context() == null
                ? null
                : contexts.open(c.deploymentId(), c.deploymentVersion(), c.context()),
            c.requirementsHash(),
            c.timeoutSeconds(),
            repeat ? Boolean.TRUE : null));
  }
}
