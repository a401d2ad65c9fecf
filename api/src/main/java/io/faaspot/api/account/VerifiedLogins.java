package io.faaspot.api.account;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Basic headers whose password this node verified a moment ago, by their digest: bcrypt is slow by
 * design, and the old client sends the same header with every call.
 */
final class VerifiedLogins {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final int MAX = 10_000;

  private record Cached(Caller caller, Instant until) {}

  private final ConcurrentHashMap<String, Cached> byDigest = new ConcurrentHashMap<>();

  static String key(String encodedHeader) {
    return HexFormat.of().formatHex(Secrets.digest(encodedHeader));
  }

  Optional<Caller> get(String key, Instant now) {
    Cached cached = byDigest.get(key);
    return cached != null && cached.until().isAfter(now)
        ? Optional.of(cached.caller())
        : Optional.empty();
  }

  void put(String key, Caller caller, Instant now) {
    if (byDigest.size() > MAX) {
      byDigest.clear();
    }
    byDigest.put(key, new Cached(caller, now.plus(TTL)));
  }

  void clear() {
    byDigest.clear();
  }
}
