package io.faaspot.api.spot;

import io.faaspot.api.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One VM of an account's pool. Its state changes only through the verbs below, the one place its
 * lifecycle is enforced (STYLE.md: a state machine in one place), so the class stays whole over 200
 * lines: most of the rest is its columns, their accessors, and the row they are stored as ({@link
 * SpotRepository}, a verb's change is kept once the repository updates the row).
 */
public class Spot {
  private UUID id;
  private long accountId;
  private SpotState state;
  private String provider;
  private String instanceId;
  private String ip;
  private String availabilityZone;
  private String instanceType;
  private byte[] registrationSecretHash;
  private Instant registrationExpiresAt;
  private Instant lastHeartbeatAt;
  private Instant createdAt;
  private Instant readyAt;
  private Instant terminatedAt;
  private Instant drainStartedAt;
  private java.math.BigDecimal hourlyPrice;
  private Instant launchedAt;
  private java.math.BigDecimal onDemandPrice;
  private Instant lastBusyAt;
  private String heldReason;
  private long version;

  private Spot() {}

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

  /** The row's columns by name, for {@link SpotRepository}'s insert and update. */
  Map<String, Object> columns() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", id);
    c.put("account_id", accountId);
    c.put("state", state.name());
    c.put("provider", provider);
    c.put("instance_id", instanceId);
    c.put("ip", ip);
    c.put("availability_zone", availabilityZone);
    c.put("instance_type", instanceType);
    c.put("registration_secret_hash", registrationSecretHash);
    c.put("registration_expires_at", Sql.utc(registrationExpiresAt));
    c.put("last_heartbeat_at", Sql.utc(lastHeartbeatAt));
    c.put("created_at", Sql.utc(createdAt));
    c.put("ready_at", Sql.utc(readyAt));
    c.put("terminated_at", Sql.utc(terminatedAt));
    c.put("drain_started_at", Sql.utc(drainStartedAt));
    c.put("hourly_price", hourlyPrice);
    c.put("launched_at", Sql.utc(launchedAt));
    c.put("on_demand_price", onDemandPrice);
    c.put("last_busy_at", Sql.utc(lastBusyAt));
    c.put("held_reason", heldReason);
    c.put("version", version);
    return c;
  }

  /** A spot read back from its row ({@code select *}). */
  static Spot read(ResultSet rs, int rowNum) throws SQLException {
    Spot s = new Spot();
    s.id = rs.getObject("id", UUID.class);
    s.accountId = rs.getLong("account_id");
    s.state = SpotState.valueOf(rs.getString("state"));
    s.provider = rs.getString("provider");
    s.instanceId = rs.getString("instance_id");
    s.ip = rs.getString("ip");
    s.availabilityZone = rs.getString("availability_zone");
    s.instanceType = rs.getString("instance_type");
    s.registrationSecretHash = rs.getBytes("registration_secret_hash");
    s.registrationExpiresAt = Sql.instant(rs, "registration_expires_at");
    s.lastHeartbeatAt = Sql.instant(rs, "last_heartbeat_at");
    s.createdAt = Sql.instant(rs, "created_at");
    s.readyAt = Sql.instant(rs, "ready_at");
    s.terminatedAt = Sql.instant(rs, "terminated_at");
    s.drainStartedAt = Sql.instant(rs, "drain_started_at");
    s.hourlyPrice = rs.getBigDecimal("hourly_price");
    s.launchedAt = Sql.instant(rs, "launched_at");
    s.onDemandPrice = rs.getBigDecimal("on_demand_price");
    s.lastBusyAt = Sql.instant(rs, "last_busy_at");
    s.heldReason = rs.getString("held_reason");
    s.version = rs.getLong("version");
    return s;
  }

  /** The repository wrote the change: the row's version moved on with it. */
  void rowUpdated() {
    version++;
  }
}
