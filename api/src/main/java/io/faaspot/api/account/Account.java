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
}
