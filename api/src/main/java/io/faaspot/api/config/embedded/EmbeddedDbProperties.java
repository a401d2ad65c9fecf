package io.faaspot.api.config.embedded;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL, run when no {@code spring.datasource.url} is set.
 *
 * @param user the system user PostgreSQL runs as when the server runs as root; created at start
 *     when missing (a server that is not root runs it as its own user)
 * @param startTimeout longest wait at start for PostgreSQL to accept connections, crash recovery
 *     included
 * @param binariesDir where the PostgreSQL binaries are unpacked, once per version (it must allow
 *     running programs: not a noexec mount); default {@code <data-dir>/pg-binaries}
 */
@Validated
@ConfigurationProperties("faaspot.embedded-db")
record EmbeddedDbProperties(
    @DefaultValue("faaspot-db") @Pattern(regexp = "[a-z_][a-z0-9_-]{0,31}") String user,
    @DefaultValue("120s") @NotNull Duration startTimeout,
    Path binariesDir) {}
