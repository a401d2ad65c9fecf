package io.faaspot.api.account;

import io.faaspot.api.store.Sql;
import io.faaspot.api.web.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user of the platform: owns deployments, executions and a pool of spots. Its verbs change only
 * the object; {@link AccountRepository#update} keeps the change.
 */
public class Account {
  /** Most function processes one spot may run at once. */
  public static final int MAX_WORKERS_LIMIT = 64;

  private Long id;
  private String username;
  private String passwordHash;
  private boolean admin;
  private int desiredSpots;
  private int minWorkers = 1;
  private int maxWorkers = 4;
  private Instant createdAt;
  private boolean autoscale;
  private int minSpots;

  /** Null: the server's faaspot.spots.max-per-account. */
  private Integer maxSpots;

  private java.math.BigDecimal idleMinutes = java.math.BigDecimal.TEN;
  private java.math.BigDecimal budgetPerDay;
  private long version;

  private Account() {}

  public Account(String username, String passwordHash, boolean admin, Instant now) {
    this.username = username;
    this.passwordHash = passwordHash;
    this.admin = admin;
    this.createdAt = now;
  }

  /** A new password's hash, or null: no password login (tokens only). */
  void changePassword(String newHash) {
    passwordHash = newHash;
  }

  public void changeWorkers(Integer min, Integer max) {
    int newMin = min == null ? minWorkers : min;
    int newMax = max == null ? maxWorkers : max;
    if (newMin < 0 || newMax < 1 || newMax > MAX_WORKERS_LIMIT) {
      throw ApiException.badRequest(
          "min_workers must be 0 or more and max_workers between 1 and " + MAX_WORKERS_LIMIT);
    }
    if (newMin > newMax) {
      throw ApiException.badRequest(
          "min_workers (" + newMin + ") must not be more than max_workers (" + newMax + ")");
    }
    minWorkers = newMin;
    maxWorkers = newMax;
  }

  public void spotAdded(int limit) {
    if (desiredSpots >= limit) {
      throw new ApiException(
          org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
          "spot_limit",
          "this account already asks for " + desiredSpots + " spots, the most allowed",
          null);
    }
    desiredSpots++;
  }

  /**
   * New autoscaling limits, checked together ({@link Scaling#check}): {@code ceiling} is the
   * server's most spots per account; {@code maxGiven} whether the change names max_spots.
   */
  public void changeScaling(Scaling next, int ceiling, boolean maxGiven) {
    next.check(ceiling);
    autoscale = next.autoscale();
    minSpots = next.minSpots();
    // Unless the account names one, max_spots follows the server's ceiling as it changes.
    if (maxGiven) {
      maxSpots = next.maxSpots();
    }
    idleMinutes = next.idleMinutes();
    budgetPerDay = next.budgetPerDay();
  }

  /** The limits in force, with the server's ceiling when the account set no max_spots. */
  public Scaling scaling(int ceiling) {
    return new Scaling(
        autoscale,
        minSpots,
        maxSpots == null ? ceiling : Math.min(maxSpots, ceiling),
        idleMinutes,
        budgetPerDay);
  }

  /**
   * With autoscaling on, {@code spots remove} moves the desired count within the limits: not below
   * min_spots. {@code inService} counts the spots not yet draining.
   */
  public void checkRemoval(int inService) {
    if (autoscale && inService <= minSpots) {
      throw ApiException.conflict(
          "autoscaling keeps at least min_spots = "
              + minSpots
              + " spot(s); lower min_spots first (PATCH /api/account/scaling)");
    }
  }

  public void spotRemoved() {
    desiredSpots = Math.max(0, desiredSpots - 1);
  }

  public Long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String passwordHash() {
    return passwordHash;
  }

  public boolean admin() {
    return admin;
  }

  public int desiredSpots() {
    return desiredSpots;
  }

  public int minWorkers() {
    return minWorkers;
  }

  public int maxWorkers() {
    return maxWorkers;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public boolean autoscale() {
    return autoscale;
  }

  /** The row's columns by name, for {@link AccountRepository}'s insert and update. */
  Map<String, Object> columns() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", id);
    c.put("username", username);
    c.put("password_hash", passwordHash);
    c.put("admin", admin);
    c.put("desired_spots", desiredSpots);
    c.put("min_workers", minWorkers);
    c.put("max_workers", maxWorkers);
    c.put("created_at", Sql.utc(createdAt));
    c.put("autoscale", autoscale);
    c.put("min_spots", minSpots);
    c.put("max_spots", maxSpots);
    c.put("idle_minutes", idleMinutes);
    c.put("budget_per_day", budgetPerDay);
    c.put("version", version);
    return c;
  }

  /** An account read back from its row ({@code select *}). */
  static Account read(ResultSet rs, int rowNum) throws SQLException {
    Account a = new Account();
    a.id = rs.getLong("id");
    a.username = rs.getString("username");
    a.passwordHash = rs.getString("password_hash");
    a.admin = rs.getBoolean("admin");
    a.desiredSpots = rs.getInt("desired_spots");
    a.minWorkers = rs.getInt("min_workers");
    a.maxWorkers = rs.getInt("max_workers");
    a.createdAt = Sql.instant(rs, "created_at");
    a.autoscale = rs.getBoolean("autoscale");
    a.minSpots = rs.getInt("min_spots");
    a.maxSpots = rs.getObject("max_spots", Integer.class);
    a.idleMinutes = rs.getBigDecimal("idle_minutes");
    a.budgetPerDay = rs.getBigDecimal("budget_per_day");
    a.version = rs.getLong("version");
    return a;
  }

  /** The repository stored it: the id the database gave a new account. */
  void inserted(long newId) {
    id = newId;
  }

  /** The repository wrote the change: the row's version moved on with it. */
  void rowUpdated() {
    version++;
  }
}
