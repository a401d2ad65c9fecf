package io.faaspot.api.spot;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * One VM of an account's pool. Its state changes only through the verbs below, the one place its
 * lifecycle is enforced (STYLE.md: a state machine in one place), so the entity stays whole over
 * 200 lines: most of the rest is its columns and their accessors.
 */
@Entity
@Table(name = "spots")
public class Spot {
  @Id private UUID id;

  @Column(name = "account_id")
  private long accountId;

  @Enumerated(EnumType.STRING)
  private SpotState state;

  private String provider;

  @Column(name = "instance_id")
  private String instanceId;

  private String ip;

  @Column(name = "availability_zone")
  private String availabilityZone;

  @Column(name = "instance_type")
  private String instanceType;

  @Column(name = "registration_secret_hash")
  private byte[] registrationSecretHash;

  @Column(name = "registration_expires_at")
  private Instant registrationExpiresAt;

  @Column(name = "last_heartbeat_at")
  private Instant lastHeartbeatAt;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "ready_at")
  private Instant readyAt;

  @Column(name = "terminated_at")
  private Instant terminatedAt;

  @Column(name = "drain_started_at")
  private Instant drainStartedAt;

  @Column(name = "hourly_price")
  private java.math.BigDecimal hourlyPrice;

  @Column(name = "launched_at")
  private Instant launchedAt;

  @Column(name = "on_demand_price")
  private java.math.BigDecimal onDemandPrice;

  @Column(name = "last_busy_at")
  private Instant lastBusyAt;

  @Column(name = "held_reason")
  private String heldReason;

  @Version private long version;

  protected Spot() {}

  Spot(long accountId, String provider, String availabilityZone, Instant now) {
    this.id = UUID.randomUUID();
    this.accountId = accountId;
    this.provider = provider;
    this.availabilityZone = availabilityZone;
    this.state = SpotState.Requested;
    this.createdAt = now;
  }

  private void moveTo(SpotState next) {
    if (!state.canBecome(next)) {
      throw new IllegalStateException("spot " + id + " cannot go from " + state + " to " + next);
    }
    state = next;
  }

  /**
   * What the provider reported about the VM it launched, and its prices per hour: billed from now.
   */
  void placed(
      String instanceType,
      String availabilityZone,
      java.math.BigDecimal hourlyPrice,
      java.math.BigDecimal onDemandPrice,
      Instant now) {
    this.hourlyPrice = hourlyPrice;
    this.onDemandPrice = onDemandPrice;
    if (launchedAt == null) {
      launchedAt = now;
    }
    heldReason = null;
    this.instanceType = instanceType;
    if (availabilityZone != null) {
      this.availabilityZone = availabilityZone;
    }
  }

  /** A provider launched (or is launching) the VM; its agent may now register once. */
  void launched(String instanceId, String ip, byte[] secretHash, Instant expires) {
    if (state == SpotState.Requested) {
      moveTo(SpotState.Launching);
    }
    if (instanceId != null) {
      this.instanceId = instanceId;
    }
    if (ip != null) {
      this.ip = ip;
    }
    this.registrationSecretHash = secretHash.clone();
    this.registrationExpiresAt = expires;
  }

  boolean registrationOpen(Instant now) {
    return registrationSecretHash != null
        && registrationExpiresAt != null
        && now.isBefore(registrationExpiresAt)
        && (state == SpotState.Requested || state == SpotState.Launching);
  }

  /** The agent registered: the one-time secret is spent and the spot takes work. */
  void registered(String reportedIp, Instant now) {
    moveTo(SpotState.Ready);
    registrationSecretHash = null;
    registrationExpiresAt = null;
    if (ip == null && reportedIp != null) {
      ip = reportedIp;
    }
    readyAt = now;
    lastHeartbeatAt = now;
  }

  /** Not launched, for this reason (the account's budget); a later pass tries again. */
  boolean held(String reason) {
    boolean first = heldReason == null;
    heldReason = reason;
    return first;
  }

  /** It had work now: its idle time starts again. */
  void busy(Instant now) {
    lastBusyAt = now;
  }

  /** Since when it has had no work, as far as the autoscaler saw. */
  Instant idleSince() {
    Instant since = lastBusyAt;
    if (since == null || (readyAt != null && readyAt.isAfter(since))) {
      since = readyAt;
    }
    return since;
  }

  void heartbeat(Instant now) {
    lastHeartbeatAt = now;
  }

  void drain(Instant now) {
    if (state == SpotState.Ready) {
      moveTo(SpotState.Draining);
      drainStartedAt = now;
    }
  }

  boolean drainOverdue(Instant now, java.time.Duration timeout) {
    return drainStartedAt != null && now.isAfter(drainStartedAt.plus(timeout));
  }

  boolean registrationExpired(Instant now) {
    return registrationExpiresAt != null && !now.isBefore(registrationExpiresAt);
  }

  void terminate(Instant now) {
    if (state != SpotState.Terminated) {
      moveTo(SpotState.Terminated);
      terminatedAt = now;
      registrationSecretHash = null;
    }
  }

  public UUID id() {
    return id;
  }

  public long accountId() {
    return accountId;
  }

  public SpotState state() {
    return state;
  }

  public String provider() {
    return provider;
  }

  public String instanceId() {
    return instanceId;
  }

  public String ip() {
    return ip;
  }

  public String availabilityZone() {
    return availabilityZone;
  }

  public String instanceType() {
    return instanceType;
  }

  public Instant lastHeartbeatAt() {
    return lastHeartbeatAt;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant readyAt() {
    return readyAt;
  }

  public java.math.BigDecimal hourlyPrice() {
    return hourlyPrice;
  }

  /** A new public address, after refresh_ip. */
  void readdressed(String newIp) {
    this.ip = newIp;
  }

  public String heldReason() {
    return heldReason;
  }
}
