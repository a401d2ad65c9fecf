package io.faaspot.api.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The spot pool.
 *
 * @param provider {@code local} (agent processes on this machine) or {@code ec2}
 * @param registrationTtl how long a new spot's one-time registration secret stays valid
 * @param maxPerAccount most spots one account may ask for
 */
@ConfigurationProperties("faaspot.spots")
public record SpotsProperties(
    @DefaultValue("local") String provider,
    @DefaultValue("30m") Duration registrationTtl,
    @DefaultValue("20") int maxPerAccount) {}
