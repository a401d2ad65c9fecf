package io.faaspot.api.spot;

import java.io.IOException;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The attacks against spots without bubblewrap: the spot's uid alone. */
class HostileFunctionsUnderTheSpotsUidTest extends HostileFunctionsTest {
  static final Path DATA = makeDataDir();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    hostileServer(r, DATA, "uid", 63000);
  }

  static Path makeDataDir() {
    try {
      return LocalSpotsTest.dataDir("faaspot-hostile-uid");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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
