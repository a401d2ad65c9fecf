package io.faaspot.api.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The execution queue.
 *
 * @param lease how long a claimed call belongs to its spot without a heartbeat
 * @param maxAttempts how many times a call may be started when spots are lost before it fails
 * @param reapInterval how often expired leases are looked for
 * @param agentHeartbeat how often agents are asked to heartbeat (well under the lease)
 * @param maxPollWait longest an agent's claim long-poll is held open
 * @param syncResultsBeforeFlush a sync caller gets its result once its commit is written, before
 *     the flush to disk it then waits for no more (a result no caller on this node waits for, and
 *     every insert, still waits); if the database fails in between, the call runs again
 */
@Validated
@ConfigurationProperties("faaspot.queue")
public record QueueProperties(
    @DefaultValue("30s") Duration lease,
    @DefaultValue("3") @Min(1) int maxAttempts,
    @DefaultValue("5s") Duration reapInterval,
    @DefaultValue("5s") Duration agentHeartbeat,
    @DefaultValue("30s") Duration maxPollWait,
    @DefaultValue("true") boolean syncResultsBeforeFlush) {}
