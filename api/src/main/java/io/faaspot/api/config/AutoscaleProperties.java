package io.faaspot.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The autoscaler, which sizes the pools of accounts that turned it on (their limits are theirs:
 * {@code /api/account/scaling}).
 *
 * @param queueAge a call that waited this long, with no spot of its account starting, adds one spot
 *     even when the running spots seem to have room (they may be busy building environments)
 */
@ConfigurationProperties("faaspot.autoscale")
public record AutoscaleProperties(@DefaultValue("10s") Duration queueAge) {}
