package io.faaspot.scheduler.execution;

import java.util.Set;
import java.util.UUID;

/**
 * The answer to a heartbeat: which of the agent's running calls still belong to it (lease
 * extended), which were cancelled (kill them), and which it no longer holds (drop their results).
 */
public record LeaseRenewal(Set<UUID> extended, Set<UUID> cancelled, Set<UUID> lost) {}
