package io.faaspot.api.spot;

import io.faaspot.api.account.AccountRepository;
import io.faaspot.api.account.Caller;
import io.faaspot.api.cost.PriceTable;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.ConsoleController;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's spots: each live spot's address, state, workers, running calls, uptime, price per
 * hour and the on-demand price of its type (what it saves against); adding and removing spots,
 * replacing one, refreshing addresses and the account's worker bounds, all through {@link
 * ManageSpots} as the API does. A spot's page is found by its id within the signed-in account only
 * (another account's answers 404).
 */
@ConsoleController
class SpotPages {
  private final SpotRepository spots;
  private final ManageSpots manage;
  private final AccountRepository accounts;
  private final JdbcClient jdbc;
  private final PriceTable prices;
  private final Clock clock;

  SpotPages(
      SpotRepository spots,
      ManageSpots manage,
      AccountRepository accounts,
      JdbcClient jdbc,
      PriceTable prices,
      Clock clock) {
    this.spots = spots;
    this.manage = manage;
    this.accounts = accounts;
    this.jdbc = jdbc;
    this.prices = prices;
    this.clock = clock;
  }

  @GetMapping("/console/spots")
  String list(@AuthenticationPrincipal Caller caller, Model model) {
    Map<UUID, Long> running = running(caller.accountId());
    model.addAttribute(
        "spots",
        spots.live(caller.accountId()).stream()
            .map(s -> row(s, running.getOrDefault(s.id(), 0L)))
            .toList());
    var account = accounts.findById(caller.accountId()).orElseThrow();
    model.addAttribute("minWorkers", account.minWorkers());
    model.addAttribute("maxWorkers", account.maxWorkers());
    return "console/spots";
  }

  @GetMapping("/console/spots/{id}")
  String show(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
    Spot s = find(caller, id);
    model.addAttribute("spot", row(s, running(caller.accountId()).getOrDefault(s.id(), 0L)));
    return "console/spot";
  }

  @PostMapping("/console/spots")
  String add(@AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
    return done(flash, "Adding a spot", manage.add(caller.accountId(), null));
  }

  @PostMapping("/console/spots/workers")
  String workers(
      @AuthenticationPrincipal Caller caller,
      @RequestParam int minWorkers,
      @RequestParam int maxWorkers,
      RedirectAttributes flash) {
    var w = manage.changeWorkers(caller.accountId(), minWorkers, maxWorkers);
    flash.addFlashAttribute(
        "notice", "Workers per spot: " + w.minWorkers() + " to " + w.maxWorkers() + ".");
    return "redirect:/console/spots";
  }

  @PostMapping("/console/spots/refresh")
  String refreshAll(@AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
    return done(flash, "Refreshing every address", manage.refreshIp(caller.accountId(), "all"));
  }

  @PostMapping("/console/spots/{id}/remove")
  String remove(
      @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
    Spot s = withAddress(find(caller, id));
    return done(flash, "Removing " + s.ip(), manage.remove(caller.accountId(), s.ip()));
  }

  @PostMapping("/console/spots/{id}/replace")
  String replace(
      @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
    Spot s = withAddress(find(caller, id));
    return done(flash, "Replacing " + s.ip(), manage.replace(caller.accountId(), s.ip()));
  }

  @PostMapping("/console/spots/{id}/refresh")
  String refresh(
      @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
    Spot s = withAddress(find(caller, id));
    return done(
        flash, "Refreshing the address of " + s.ip(), manage.refreshIp(caller.accountId(), s.ip()));
  }

  private static String done(RedirectAttributes flash, String what, UUID task) {
    flash.addFlashAttribute("notice", what + ":");
    flash.addFlashAttribute("task", task);
    return "redirect:/console/spots";
  }

  private Spot find(Caller caller, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no spot with id " + id);
    }
    return spots
        .findById(uuid)
        .filter(s -> s.accountId() == caller.accountId() && s.state() != SpotState.Terminated)
        .orElseThrow(() -> ApiException.notFound("no spot with id " + id));
  }

  /** The API names spots by address: one that has none yet cannot be acted on by it. */
  private static Spot withAddress(Spot s) {
    if (s.ip() == null) {
      throw ApiException.conflict("this spot has no address yet; wait until it has started");
    }
    return s;
  }

  private SpotRow row(Spot s, long running) {
    return SpotRow.of(s, running, prices, clock.instant());
  }

  /** The calls each of the account's spots is running now. */
  private Map<UUID, Long> running(long accountId) {
    Map<UUID, Long> counts = new HashMap<>();
    jdbc.sql(
            """
            SELECT spot_id, count(*) AS n FROM executions
            WHERE account_id = :a AND status = 'Started' AND spot_id IS NOT NULL
              AND kind = 'tasks.run_deployment'
            GROUP BY spot_id
            """)
        .param("a", accountId)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> counts.put(rs.getObject("spot_id", UUID.class), rs.getLong("n")));
    return counts;
  }
}
