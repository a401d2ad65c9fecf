package io.faaspot.api.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The server's own settings.
 *
 * @param dataDir where the embedded database, the admin token file and local spots' working
 *     directories live
 * @param adminToken the admin account's token at first start; generated when absent
 * @param publicUrl the URL agents and {@code runner_url} use to reach this server; unset, {@code
 *     runner_url} uses the request's own URL and agents get {@code http(s)://127.0.0.1:<port>}
 */
@Validated
@ConfigurationProperties("faaspot")
public record FaaspotProperties(@NotNull Path dataDir, String adminToken, String publicUrl) {
  public FaaspotProperties {
    if (dataDir == null) {
      dataDir = Path.of("faaspot-data");
    }
    if (adminToken != null && adminToken.isBlank()) {
      adminToken = null;
    }
    if (publicUrl != null && publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
  }
}
