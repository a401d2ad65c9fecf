package io.faaspot.scheduler.execution;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * New executions' ids: time-ordered UUIDs (version 7 of RFC 9562), the millisecond they were made
 * first and 74 random bits after it. PostgreSQL orders UUIDs byte by byte, so the rows made close
 * together go to the end of the primary key's index, not each to a random page of it (what it saves
 * in a bulk: PERFORMANCE.md, <i>Bulk stays one row per execution</i>). To a caller they are UUID
 * strings, as before; one does not give away another, but it does tell when it was made, as its
 * execution's {@code created} does.
 */
public final class ExecutionId {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ExecutionId() {}

  /** A new id, made now. */
  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  static UUID at(long epochMillis) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    ByteBuffer bits = ByteBuffer.wrap(random);
    long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (bits.getLong() & 0x0FFFL);
    long low = (bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
