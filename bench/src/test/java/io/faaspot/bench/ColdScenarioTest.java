package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColdScenarioTest {
  @Test
  void importsTheFirstRequirement() {
    assertThat(ColdScenario.code("six"))
        .isEqualTo("import six\ndef main(args, context):\n    return args\n");
    assertThat(ColdScenario.module("Typing-Extensions>=4\nsix")).isEqualTo("typing_extensions");
    assertThat(ColdScenario.module("six==1.16.0")).isEqualTo("six");
  }

  @Test
  void freshRequirementsExcludeAVersionThatDoesNotExist() {
    assertThat(ColdScenario.fresh("six", "00000010")).isEqualTo("six!=0.0.16");
    assertThat(ColdScenario.fresh("six>=1.0\nattrs", "ff")).isEqualTo("six>=1.0,!=0.0.255\nattrs");
  }
}
