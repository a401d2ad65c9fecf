package io.faaspot.api.deployment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The whole deployment; code, requirements and context URL-quoted. */
record DeploymentDetail(
    String name,
    @Schema(
            description =
                "The Python file, URL-quoted: percent-encoded UTF-8, `/` kept (the client"
                    + " unquotes it).",
            example =
                "def%20main%28args%2C%20context%29%3A%0A%20%20%20%20return%20%22Hello%20%22%20"
                    + "%2B%20args%5B%22name%22%5D%0A")
        String code,
    @Schema(
            description = "The pip requirements file, URL-quoted like code.",
            example = "requests%3D%3D2.31.0%0A")
        String requirements,
    @Schema(
            description = "The context file (`KEY=Value` lines), URL-quoted like code.",
            example = "greeting%20%3D%20%22Hi%22%0A")
        String context,
    @Schema(description = "The URL that runs the deployment synchronously.") String runnerUrl,
    int version,
    int timeout,
    Instant created,
    Instant updated) {}
