package io.faaspot.api.spot;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The attacks against spots without bubblewrap: the spot's uid alone. */
class HostileFunctionsUnderTheSpotsUidTest extends HostileFunctionsTest {
  static final Path DATA = newDataDir("faaspot-hostile-uid");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    hostileServer(r, DATA, "uid", 63000);
  }

  @Override
  Path dataDir() {
    return DATA;
  }

  @Override
  boolean bubblewrap() {
    return false;
  }
}
