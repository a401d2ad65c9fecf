package io.faaspot.api.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.testing.ServerTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * A spot's row as {@link SpotRepository} writes and reads it in plain SQL: every column its verbs
 * change comes back as written, and a change made to a stale copy is refused rather than written
 * over another transaction's (the row's version, as JPA's {@code @Version} did).
 */
class SpotRowsTest extends ServerTest {
  // The database keeps microseconds.
  private static final Instant T = Instant.now().truncatedTo(ChronoUnit.MICROS);

  @Autowired SpotRepository spots;
  @Autowired AccountRepository accounts;

  private long newAccount() {
    String username = newUser("rows").username();
    return jdbc.sql("select id from accounts where username = ?")
        .param(username)
        .query(Long.class)
        .single();
  }

  @Test
  void everyColumnAVerbChangesComesBackAsWritten() {
    // given a spot asked for
    long account = newAccount();
    Spot spot = spots.insert(new Spot(account, "manual", "zone-a", T));

    // when it is launched, placed, registered, busy, then drains, each change stored
    spot.launched("i-123", null, new byte[] {1, 2, 3}, T.plusSeconds(60));
    spot.placed("t3.small", "zone-b", new BigDecimal("0.012300"), new BigDecimal("0.045600"), T);
    spot.held("over budget");
    spots.update(spot);
    Spot launched = spots.findById(spot.id()).orElseThrow();
    launched.registered("10.0.0.7", T.plusSeconds(5));
    launched.busy(T.plusSeconds(6));
    launched.drain(T.plusSeconds(7));
    spots.update(launched);

    // then a fresh read has every change
    Spot read = spots.findById(spot.id()).orElseThrow();
    assertThat(read.accountId()).isEqualTo(account);
    assertThat(read.state()).isEqualTo(SpotState.Draining);
    assertThat(read.provider()).isEqualTo("manual");
    assertThat(read.instanceId()).isEqualTo("i-123");
    assertThat(read.ip()).isEqualTo("10.0.0.7");
    assertThat(read.availabilityZone()).isEqualTo("zone-b");
    assertThat(read.instanceType()).isEqualTo("t3.small");
    assertThat(read.hourlyPrice()).isEqualByComparingTo("0.0123");
    assertThat(read.heldReason()).isEqualTo("over budget");
    assertThat(read.createdAt()).isEqualTo(T);
    assertThat(read.readyAt()).isEqualTo(T.plusSeconds(5));
    assertThat(read.lastHeartbeatAt()).isEqualTo(T.plusSeconds(5));
    assertThat(read.idleSince()).isEqualTo(T.plusSeconds(6));
    assertThat(read.drainOverdue(T.plusSeconds(9), java.time.Duration.ofSeconds(1))).isTrue();
    assertThat(read.registrationOpen(T)).isFalse();
    assertThat(spots.live(account)).extracting(Spot::id).containsExactly(spot.id());
    assertThat(spots.liveByIp(account, "10.0.0.7")).isPresent();
  }

  @Test
  void aChangeToAStaleCopyIsRefusedAndTheOtherChangeStays() {
    // given two copies of one spot, read before either changes it
    long account = newAccount();
    Spot spot = spots.insert(new Spot(account, "manual", null, T));
    Spot first = spots.findById(spot.id()).orElseThrow();
    Spot second = spots.findById(spot.id()).orElseThrow();

    // when the first is held and stored, then the second, still as read, is terminated
    first.held("the day's budget");
    spots.update(first);
    second.terminate(T);

    // then the second is refused and the row keeps the first change
    assertThatThrownBy(() -> spots.update(second))
        .isInstanceOf(OptimisticLockingFailureException.class);
    Spot read = spots.findById(spot.id()).orElseThrow();
    assertThat(read.state()).isEqualTo(SpotState.Requested);
    assertThat(read.heldReason()).isEqualTo("the day's budget");

    // and a copy that stored its change goes on storing the next ones
    first.terminate(T);
    spots.update(first);
    assertThat(spots.findById(spot.id()).orElseThrow().state()).isEqualTo(SpotState.Terminated);
  }

  @Test
  void aCopysChangeKeepsAHeartbeatWrittenSinceItWasRead() {
    // given a spot read, then a heartbeat recorded apart (as agents' are: no version)
    long account = newAccount();
    Spot spot = spots.insert(new Spot(account, "manual", null, T));
    Spot copy = spots.findById(spot.id()).orElseThrow();
    jdbc.sql("update spots set last_heartbeat_at = ? where id = ?")
        .params(T.plusSeconds(100).atOffset(java.time.ZoneOffset.UTC), spot.id())
        .update();

    // when the copy's change is stored
    copy.held("the day's budget");
    spots.update(copy);

    // then the newer heartbeat stays
    assertThat(spots.findById(spot.id()).orElseThrow().lastHeartbeatAt())
        .isEqualTo(T.plusSeconds(100));
  }

  @Test
  void anAccountsStaleCopyIsRefusedToo() {
    // given two copies of one account
    long id = newAccount();
    var first = accounts.findById(id).orElseThrow();
    var second = accounts.findById(id).orElseThrow();

    // when both change their worker bounds, the first stored first
    first.changeWorkers(2, 8);
    accounts.update(first);
    second.changeWorkers(0, 3);

    // then the second is refused and the first's bounds stay
    assertThatThrownBy(() -> accounts.update(second))
        .isInstanceOf(OptimisticLockingFailureException.class);
    var read = accounts.findById(id).orElseThrow();
    assertThat(read.minWorkers()).isEqualTo(2);
    assertThat(read.maxWorkers()).isEqualTo(8);
  }
}
