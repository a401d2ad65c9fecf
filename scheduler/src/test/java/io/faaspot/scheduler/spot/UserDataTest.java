package io.faaspot.scheduler.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataTest {
  @TempDir Path dir;

  @Test
  void theScriptFetchesTheAgentFromTheServerAndStartsItWithTheSecret() throws Exception {
    String script =
        UserData.render(
            "https://faas.example.com:8443",
            "fsr_abc-DEF_123",
            "7d3c0a4e-1111-2222-3333-444455556666");

    assertThat(script).startsWith("#!/bin/bash\n");
    assertThat(script).contains("FAASPOT_URL='https://faas.example.com:8443'");
    assertThat(script).contains("curl -fsS").contains("\"$FAASPOT_URL/agent/v1/agent.jar\"");
    assertThat(script).contains("FAASPOT_REGISTRATION_SECRET=fsr_abc-DEF_123");
    assertThat(script).contains("openjdk-21-jre-headless").contains("python3-venv");
    assertThat(script).contains("systemctl enable --now faaspot-agent.service");
    Path file = dir.resolve("boot.sh");
    Files.writeString(file, script);
    Process bashCheck =
        new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    String out = new String(bashCheck.getInputStream().readAllBytes());
    assertThat(bashCheck.waitFor()).as(out).isZero();
  }

  @Test
  void base64IsWhatEc2Receives() {
    String script = UserData.render("http://127.0.0.1:8080", "fsr_x", "id");

    assertThat(
            new String(Base64.getDecoder().decode(UserData.base64(script)), StandardCharsets.UTF_8))
        .isEqualTo(script);
  }

  @Test
  void valuesAShellWouldInterpretAreRefused() {
    assertThatThrownBy(() -> UserData.render("http://x'; rm -rf / #", "fsr_x", "id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserData.render("http://x", "$(reboot)", "id"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
