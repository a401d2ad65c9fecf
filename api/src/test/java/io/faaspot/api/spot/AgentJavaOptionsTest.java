package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.config.SpotsProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JVM options local agents start with: the agent's ahead-of-time cache when it has one. */
class AgentJavaOptionsTest {
  @TempDir Path dir;

  private static SpotsProperties.Local local(String java, List<String> options) {
    return new SpotsProperties.Local(null, java, options, null, true, 61000, "auto", Map.of());
  }

  @Test
  void theCacheBesideTheAgentJarIsUsedOnThisJdkFrom25On() throws Exception {
    Path jar = Files.createFile(dir.resolve("faaspot-agent.jar"));
    assertThat(SpotProviderConfig.agentJavaOptions(local(null, null), jar))
        .as("no cache beside the jar")
        .isEmpty();

    Path cache = Files.createFile(dir.resolve("faaspot-agent.aot"));
    List<String> options = SpotProviderConfig.agentJavaOptions(local(null, null), jar);
    if (Runtime.version().feature() >= 25) {
      assertThat(options).containsExactly("-XX:AOTCache=" + cache);
    } else {
      assertThat(options).as("a JDK before 25 would not start with the option").isEmpty();
    }
  }

  @Test
  void anotherJavaOrOptionsSetByTheOperatorLeaveTheCacheOut() throws Exception {
    Path jar = Files.createFile(dir.resolve("faaspot-agent.jar"));
    Files.createFile(dir.resolve("faaspot-agent.aot"));
    assertThat(SpotProviderConfig.agentJavaOptions(local("/opt/other-jdk/bin/java", null), jar))
        .as("a cache holds for the JDK that made it only")
        .isEmpty();
    assertThat(SpotProviderConfig.agentJavaOptions(local(null, List.of("-Xmx256m")), jar))
        .containsExactly("-Xmx256m");
  }
}
