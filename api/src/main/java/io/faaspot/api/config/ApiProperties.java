package io.faaspot.api.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The public API's limits.
 *
 * @param maxRequestBytes largest request body accepted from users; larger ones get 413
 * @param maxAgentRequestBytes largest request body accepted from agents (results carry outputs)
 * @param syncWait how long a sync run waits for its result before answering with the execution id
 *     to poll
 * @param maxBulk most executions one bulk run or bulk get may name
 * @param defaultTimeout a function call's timeout when the deployment names none
 * @param maxListSize most rows a list answers when the caller names no limit
 * @param authCacheTtl how long an accepted token or agent credential is remembered, so that calls
 *     and agent requests skip the database lookup; a token revoked on another node keeps working
 *     for at most this long (0 turns the cache off)
 */
@Validated
@ConfigurationProperties("faaspot.api")
public record ApiProperties(
    @DefaultValue("2097152") @Min(1024) long maxRequestBytes,
    @DefaultValue("67108864") @Min(1024) long maxAgentRequestBytes,
    @DefaultValue("90s") Duration syncWait,
    @DefaultValue("10000") @Min(1) @Max(100000) int maxBulk,
    @DefaultValue("60s") Duration defaultTimeout,
    @DefaultValue("1000") @Min(1) int maxListSize,
    @DefaultValue("2s") Duration authCacheTtl) {}
