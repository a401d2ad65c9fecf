package io.faaspot.api.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/account/costs}: spend per day and month, against on-demand, from the spots' rows. */
class CostsApiTest extends ServerTest {

  long accountOf(Http.User user) {
    return jdbc.sql("SELECT id FROM accounts WHERE username = :u")
        .param("u", user.username())
        .query(Long.class)
        .single();
  }

  /** A spot that ran from {@code from} to {@code to} at these prices per hour. */
  void ranSpot(long account, Instant from, Instant to, String spot, String onDemand) {
    jdbc.sql(
            """
            INSERT INTO spots (id, account_id, state, provider, instance_type, created_at,
                               launched_at, terminated_at, hourly_price, on_demand_price)
            VALUES (:id, :account, 'Terminated', 'ec2', 't3.micro', :from, :from, :to,
                    CAST(:spot AS numeric), CAST(:od AS numeric))
            """)
        .param("id", UUID.randomUUID())
        .param("account", account)
        .param("from", from.atOffset(ZoneOffset.UTC))
        .param("to", to.atOffset(ZoneOffset.UTC))
        .param("spot", spot)
        .param("od", onDemand)
        .update();
  }

  @Test
  void aSpotOverMidnightCountsInEachDayForItsHoursThereWithItsSavings() {
    Http.User user = newUser("costs-days");
    Instant midnight = OffsetDateTime.of(2026, 3, 2, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
    ranSpot(
        accountOf(user),
        midnight.minus(Duration.ofHours(2)),
        midnight.plus(Duration.ofHours(6)),
        "0.01",
        "0.04");

    Http.Response r = user.get("/api/account/costs?from=2026-03-01&to=2026-03-03");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode days = r.json();
    assertThat(days).hasSize(3);
    assertThat(days.get(0).get("day").asString()).isEqualTo("2026-03-01");
    assertThat(days.get(0).get("spend").asDouble()).isEqualTo(0.02);
    assertThat(days.get(0).get("on_demand").asDouble()).isEqualTo(0.08);
    assertThat(days.get(0).get("savings").asDouble()).isEqualTo(0.06);
    assertThat(days.get(1).get("spend").asDouble()).isEqualTo(0.06);
    assertThat(days.get(1).get("savings").asDouble()).isEqualTo(0.18);
    assertThat(days.get(2).get("spend").asDouble()).isZero();
  }

  @Test
  void perMonthSumsTheDaysAndTheDefaultIsTheLast30DaysAlsoUnderV1() {
    Http.User user = newUser("costs-month");
    Instant start = OffsetDateTime.of(2026, 3, 10, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
    ranSpot(accountOf(user), start, start.plus(Duration.ofHours(10)), "0.01", "0.04");

    JsonNode months = user.get("/v1/account/costs/?from=2026-02-15&to=2026-03-20&per=month").json();
    JsonNode recent = user.get("/api/account/costs").json();

    assertThat(months).hasSize(2);
    assertThat(months.get(1).get("month").asString()).isEqualTo("2026-03");
    assertThat(months.get(1).get("spend").asDouble()).isEqualTo(0.1);
    assertThat(months.get(1).get("on_demand").asDouble()).isEqualTo(0.4);
    assertThat(recent).hasSize(30);
    assertThat(recent.get(29).get("day").asString())
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
  }

  @Test
  void badRangesAre400s() {
    Http.User user = newUser("costs-bad");

    assertThat(user.get("/api/account/costs?from=yesterday").status()).isEqualTo(400);
    assertThat(user.get("/api/account/costs?from=2026-03-02&to=2026-03-01").status())
        .isEqualTo(400);
    assertThat(user.get("/api/account/costs?from=2020-01-01&to=2026-01-01").status())
        .isEqualTo(400);
    assertThat(user.get("/api/account/costs?per=week").status()).isEqualTo(400);
  }
}
