package io.faaspot.api.spot;

import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.web.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent jar, for spots to download at boot (their user data fetches it). It holds no secret, so
 * it needs no credential.
 */
@RestController
@Hidden
class AgentJarController {
  private final Path jar;

  AgentJarController(SpotsProperties spots) {
    this.jar = SpotProviderConfig.agentJar(spots);
  }

  @GetMapping("/agent/v1/agent.jar")
  ResponseEntity<Resource> agentJar() {
    if (!Files.isRegularFile(jar)) {
      throw ApiException.notFound("this server has no agent jar at " + jar);
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/java-archive"))
        .body(new FileSystemResource(jar));
  }
}
