package io.faaspot.api.account;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers, briefly, who a credential (by its digest) belongs to, so that the hot path (every
 * call, every agent poll and result) does not ask the database each time. Only accepted credentials
 * are remembered, so a new token works at once; a revoked one keeps working on other server nodes
 * for at most the time to live (revoking on a node forgets everything there).
 */
public final class CredentialCache<V> {
  private static final int MAX_ENTRIES = 10_000;

  private record Key(byte[] digest) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(digest);
    }
  }

  private record Entry<V>(V value, long untilNanos) {}

  private final ConcurrentHashMap<Key, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;

  public CredentialCache(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  /** The remembered owner of {@code digest}, or {@code lookup}'s answer (remembered if found). */
  public Optional<V> get(byte[] digest, Function<byte[], Optional<V>> lookup) {
    // With no time to live an entry is stale at once: never served, but still known.
    Key key = new Key(digest);
    long now = System.nanoTime();
    Entry<V> e = entries.get(key);
    if (e != null && now - e.untilNanos() < 0) {
      return Optional.of(e.value());
    }
    Optional<V> found = lookup.apply(digest);
    if (found.isPresent()) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      entries.put(key, new Entry<>(found.get(), now + ttlNanos));
    } else if (e != null) {
      entries.remove(key, e);
    }
    return found;
  }

  /**
   * Whether this node has accepted {@code digest} since it last forgot everything, even if it must
   * look it up again to use it: such a credential is held by its owner, not guessed.
   */
  public boolean known(byte[] digest) {
    return entries.containsKey(new Key(digest));
  }

  /** Forgets everything: after a revocation, this node asks the database again. */
  public void clear() {
    entries.clear();
  }
}
