package io.faaspot.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a deployment's requirements may name besides packages of the spots' index. pip reads them on
 * the spot, so both are off unless the operator trusts the accounts with them.
 *
 * @param allowIndexOptions whether requirements may name other package indexes: {@code
 *     --index-url}, {@code --extra-index-url}, {@code --find-links} with an http(s) URL, {@code
 *     --trusted-host}
 * @param allowUrlRequirements whether requirements may name direct references to http(s) URLs
 *     ({@code name @ https://...})
 */
@ConfigurationProperties("faaspot.deployments")
public record DeploymentsProperties(
    @DefaultValue("false") boolean allowIndexOptions,
    @DefaultValue("false") boolean allowUrlRequirements) {}
