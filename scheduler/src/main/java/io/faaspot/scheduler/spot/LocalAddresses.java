package io.faaspot.scheduler.spot;

import io.faaspot.scheduler.spot.SpotProvider.LaunchFailed;
import java.util.Set;

/**
 * A local spot's identity on this machine: its loopback address 127.0.1.N, and the uid {@code
 * firstUid + N} its functions run as. Apart from the processes, as both follow from N alone: the
 * uid is derived again from the address wherever it is needed, never stored.
 */
final class LocalAddresses {
  static final String PREFIX = "127.0.1.";

  private final int firstUid;

  LocalAddresses(int firstUid) {
    this.firstUid = firstUid;
  }

  /** The uid a local spot's functions run as, from its address 127.0.1.N. */
  int uidOf(String ip) {
    return firstUid + Integer.parseInt(ip.substring(PREFIX.length()));
  }

  /** The first address no live spot uses. */
  static String free(Set<String> usedIps) throws LaunchFailed {
    for (int n = 2; n < 255; n++) {
      String ip = PREFIX + n;
      if (!usedIps.contains(ip)) {
        return ip;
      }
    }
    throw new LaunchFailed("all local spot addresses 127.0.1.2-254 are in use");
  }
}
