package io.faaspot.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionIdTest {
  @Test
  void anIdIsAVersion7UuidStringThatCarriesTheMillisecondItWasMadeIn() {
    long before = System.currentTimeMillis();
    UUID id = ExecutionId.next();
    long after = System.currentTimeMillis();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    // What callers see: a 36-character UUID string that reads back as the same id.
    assertThat(id.toString()).hasSize(36);
    assertThat(UUID.fromString(id.toString())).isEqualTo(id);
  }

  @Test
  void idsMadeInTheSameMillisecondDifferInTheir74RandomBits() {
    long now = System.currentTimeMillis();
    Set<UUID> ids = new HashSet<>();
    Set<Long> randA = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      UUID id = ExecutionId.at(now);
      ids.add(id);
      randA.add(id.getMostSignificantBits() & 0x0FFF);
      assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now);
    }
    assertThat(ids).hasSize(10_000);
    // The 12 bits beside the version are random too, not a counter or zero.
    assertThat(randA.size()).isGreaterThan(2_000);
  }
}
