package io.faaspot.api.spot;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The attacks against spots whose functions run in bubblewrap (`.ci/run` installs it). */
class HostileFunctionsInBubblewrapTest extends HostileFunctionsTest {
  static final Path DATA = newDataDir("faaspot-hostile-bwrap");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    hostileServer(r, DATA, "bwrap", 62000);
  }

  @Override
  Path dataDir() {
    return DATA;
  }

  @Override
  boolean bubblewrap() {
    return true;
  }
}
