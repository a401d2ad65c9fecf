package io.faaspot.api.cost;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ApiException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md section 8: the caller's spot spend per UTC day ({@code ?per=month}: per month), with what
 * the same hours would have cost on demand. Last 30 days by default; {@code from}, {@code to} as
 * {@code YYYY-MM-DD}, at most 366 days.
 */
@RestController
@RequestMapping("/api/account/costs")
class CostController {
  static final int MAX_DAYS = 366;
  private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
  private static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

  private final Spend spend;
  private final Clock clock;

  CostController(Spend spend, Clock clock) {
    this.spend = spend;
    this.clock = clock;
  }

  @GetMapping
  List<?> costs(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false, defaultValue = "day") String per) {
    LocalDate last = to == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : date("to", to);
    LocalDate first = from == null ? last.minusDays(29) : date("from", from);
    if (first.isAfter(last)) {
      throw ApiException.badRequest("from (" + first + ") must not be after to (" + last + ")");
    }
    if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
      throw ApiException.badRequest("at most " + MAX_DAYS + " days at once");
    }
    return switch (per) {
      case "day" -> spend.days(caller.accountId(), first, last).stream().map(DayCost::of).toList();
      case "month" ->
          spend.months(caller.accountId(), first, last).stream().map(MonthCost::of).toList();
      default -> throw ApiException.badRequest("per must be day or month");
    };
  }

  /**
   * Within years 1970 to 9999: the database driver sends a date before 4713 BC as -infinity, and a
   * series of days from -infinity would never end.
   */
  private static LocalDate date(String name, String value) {
    LocalDate date;
    try {
      date = LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be a date as YYYY-MM-DD");
    }
    if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
      throw ApiException.badRequest(
          name + " must be a date from " + EARLIEST + " to " + LATEST + ", not " + date);
    }
    return date;
  }
}
