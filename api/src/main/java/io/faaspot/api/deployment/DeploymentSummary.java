package io.faaspot.api.deployment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A row of the list: the client prints name, requirements and runner_url. */
record DeploymentSummary(
    String name,
    @Schema(description = "The pip requirements, as plain text (not quoted, unlike in the get).")
        String requirements,
    @Schema(
            description =
                "The URL that runs the deployment synchronously: GET it with the args as query"
                    + " parameters.",
            example = "https://faaspot.example.com/api/sync/deployments/hello/rpc/")
        String runnerUrl,
    int version,
    int timeout,
    Instant created,
    Instant updated) {}
