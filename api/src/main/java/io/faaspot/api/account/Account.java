package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A user of the platform: owns deployments, executions and a pool of spots. */
@Entity
@Table(name = "accounts")
public class Account {
  /** Most function processes one spot may run at once. */
  public static final int MAX_WORKERS_LIMIT = 64;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String username;

  @Column(name = "password_hash")
  private String passwordHash;

  private boolean admin;

  @Column(name = "desired_spots")
  private int desiredSpots;

  @Column(name = "min_workers")
  private int minWorkers = 1;

  @Column(name = "max_workers")
  private int maxWorkers = 4;

  @Column(name = "created_at")
  private Instant createdAt;

  private boolean autoscale;

  @Column(name = "min_spots")
  private int minSpots;

  /** Null: the server's faaspot.spots.max-per-account. */
  @Column(name = "max_spots")
  private Integer maxSpots;

  @Column(name = "idle_minutes")
  private java.math.BigDecimal idleMinutes = java.math.BigDecimal.TEN;

  @Column(name = "budget_per_day")
  private java.math.BigDecimal budgetPerDay;

  @Version private long version;

  protected Account() {}

  public Account(String username, String passwordHash, boolean admin, Instant now) {
    this.username = username;
    this.passwordHash = passwordHash;
    this.admin = admin;
    this.createdAt = now;
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
}
