package io.faaspot.api.account;

import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.web.ApiException;
import java.math.BigDecimal;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and changes an account's autoscaling limits ({@code /api/account/scaling}). A change names
 * any of the fields; the others keep their values. Numbers and booleans may come as JSON strings,
 * as the old clients send every value.
 */
@Component
class ChangeScaling {
  static final Set<String> FIELDS =
      Set.of("autoscale", "min_spots", "max_spots", "idle_minutes", "budget_per_day");

  private final AccountRepository accounts;
  private final SpotsProperties spots;

  ChangeScaling(AccountRepository accounts, SpotsProperties spots) {
    this.accounts = accounts;
    this.spots = spots;
  }

  @Transactional(readOnly = true)
  Scaling current(long accountId) {
    return accounts.findById(accountId).orElseThrow().scaling(spots.maxPerAccount());
  }

  @Transactional
  Scaling change(long accountId, ObjectNode body) {
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw ApiException.badRequest(
            "unknown field "
                + field
                + "; expected any of "
                + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    if (body.isEmpty()) {
      throw ApiException.badRequest(
          "expected any of " + String.join(", ", FIELDS.stream().sorted().toList()));
    }
    Account account = accounts.lockById(accountId).orElseThrow();
    Scaling now = account.scaling(spots.maxPerAccount());
    Scaling next =
        new Scaling(
            body.has("autoscale") ? bool(body.get("autoscale")) : now.autoscale(),
            body.has("min_spots") ? whole(body.get("min_spots"), "min_spots") : now.minSpots(),
            body.has("max_spots") ? whole(body.get("max_spots"), "max_spots") : now.maxSpots(),
            body.has("idle_minutes")
                ? decimal(body.get("idle_minutes"), "idle_minutes")
                : now.idleMinutes(),
            body.has("budget_per_day")
                ? nullable(body.get("budget_per_day"), "budget_per_day")
                : now.budgetPerDay());
    account.changeScaling(next, spots.maxPerAccount(), body.has("max_spots"));
    accounts.update(account);
    return account.scaling(spots.maxPerAccount());
  }

  private static boolean bool(JsonNode v) {
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isString()) {
      String s = v.asString().strip().toLowerCase(java.util.Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return s.equals("true");
      }
    }
    throw ApiException.badRequest("autoscale must be true or false");
  }

  private static int whole(JsonNode v, String field) {
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isString()) {
      try {
        return Integer.parseInt(v.asString().strip());
      } catch (NumberFormatException e) {
        // Reported below.
      }
    }
    throw ApiException.badRequest(field + " must be a whole number");
  }

  private static BigDecimal decimal(JsonNode v, String field) {
    BigDecimal d = null;
    try {
      if (v.isNumber()) {
        d = v.decimalValue();
      } else if (v.isString()) {
        d = new BigDecimal(v.asString().strip());
      }
    } catch (NumberFormatException | JacksonException e) {
      // Reported below (1e999999999 unquoted is a double's infinity, which has no decimal).
    }
    if (d == null) {
      throw ApiException.badRequest(field + " must be a number");
    }
    // Before anything reads its digits: 1e999999999 is a valid BigDecimal of a billion digits.
    if (d.precision() - d.scale() > 12) {
      throw ApiException.badRequest(field + " is too large");
    }
    return d;
  }

  private static BigDecimal nullable(JsonNode v, String field) {
    if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
      return null;
    }
    return decimal(v, field);
  }
}
