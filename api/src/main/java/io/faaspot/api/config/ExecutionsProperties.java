package io.faaspot.api.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What is kept of executions.
 *
 * @param maxOutputBytes largest output stored; a larger one is replaced by a note and its start
 * @param maxLogBytes largest logs stored per call; the rest is cut with a note
 * @param retention finished executions older than this are deleted
 * @param retentionInterval how often old executions are looked for
 */
@Validated
@ConfigurationProperties("faaspot.executions")
public record ExecutionsProperties(
    @DefaultValue("1048576") @Min(1024) int maxOutputBytes,
    @DefaultValue("65536") @Min(1024) int maxLogBytes,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("10m") Duration retentionInterval) {}
