package io.faaspot.api.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.ServerTest;
import org.junit.jupiter.api.Test;

class SmokeTest extends ServerTest {
  @Test
  void aNewUserSeesNoDeployments() {
    var user = newUser("smoke");
    var r = user.get("/api/deployments/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
  }
}
