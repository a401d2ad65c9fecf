package io.faaspot.api.spot;

import io.faaspot.api.store.Sql;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The spots' rows. A {@link Spot}'s verbs change only the object: a change is kept when {@link
 * #update} writes it, guarded by the row's version.
 */
@Repository
public class SpotRepository {
  private static final String COLUMNS =
      "id, account_id, state, provider, instance_id, ip, availability_zone, instance_type,"
          + " registration_secret_hash, registration_expires_at, last_heartbeat_at, created_at,"
          + " ready_at, terminated_at, drain_started_at, hourly_price, launched_at,"
          + " on_demand_price, last_busy_at, held_reason, version";

  private final JdbcClient jdbc;

  SpotRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Spot> findById(UUID id) {
    return jdbc.sql("select * from spots where id = ?").param(id).query(Spot::read).optional();
  }

  /** The account's spots not terminated, oldest first. */
  public List<Spot> live(long accountId) {
    return jdbc.sql(
            "select * from spots where account_id = ? and state <> 'Terminated'"
                + " order by created_at")
        .param(accountId)
        .query(Spot::read)
        .list();
  }

  /** The account's live spot at this address, if any (the oldest if several). */
  public Optional<Spot> liveByIp(long accountId, String ip) {
    return jdbc.sql(
            "select * from spots where account_id = ? and ip = ? and state <> 'Terminated'"
                + " order by created_at limit 1")
        .param(accountId)
        .param(ip)
        .query(Spot::read)
        .optional();
  }

  Optional<Spot> findByRegistrationSecretHash(byte[] hash) {
    return jdbc.sql("select * from spots where registration_secret_hash = ?")
        .param(hash)
        .query(Spot::read)
        .optional();
  }

  /** Every account's spots in this state launched by this provider, oldest first. */
  List<Spot> inState(SpotState state, String provider) {
    return jdbc.sql("select * from spots where state = ? and provider = ? order by created_at")
        .param(state.name())
        .param(provider)
        .query(Spot::read)
        .list();
  }

  /** Every account's spots in this state, oldest first. */
  List<Spot> inState(SpotState state) {
    return jdbc.sql("select * from spots where state = ? order by created_at")
        .param(state.name())
        .query(Spot::read)
        .list();
  }

  public boolean hasReadySpot(long accountId) {
    return jdbc.sql("select exists (select 1 from spots where account_id = ? and state = 'Ready')")
        .param(accountId)
        .query(Boolean.class)
        .single();
  }

  /** Stores a new spot. */
  Spot insert(Spot spot) {
    jdbc.sql(
            "insert into spots ("
                + COLUMNS
                + ") values (:id, :account_id, :state, :provider, :instance_id, :ip,"
                + " :availability_zone, :instance_type, :registration_secret_hash,"
                + " :registration_expires_at, :last_heartbeat_at, :created_at, :ready_at,"
                + " :terminated_at, :drain_started_at, :hourly_price, :launched_at,"
                + " :on_demand_price, :last_busy_at, :held_reason, :version)")
        .params(spot.columns())
        .update();
    return spot;
  }

  /** Keeps the spot's changes; fails if another transaction changed its row since it was read. */
  Spot update(Spot spot) {
    int rows =
        jdbc.sql(
                "update spots set state = :state, instance_id = :instance_id, ip = :ip,"
                    + " availability_zone = :availability_zone, instance_type = :instance_type,"
                    + " registration_secret_hash = :registration_secret_hash,"
                    + " registration_expires_at = :registration_expires_at,"
                    // Heartbeats are written apart, without the version: never an older one.
                    + " last_heartbeat_at = greatest(last_heartbeat_at, :last_heartbeat_at),"
                    + " ready_at = :ready_at,"
                    + " terminated_at = :terminated_at, drain_started_at = :drain_started_at,"
                    + " hourly_price = :hourly_price, launched_at = :launched_at,"
                    + " on_demand_price = :on_demand_price, last_busy_at = :last_busy_at,"
                    + " held_reason = :held_reason, version = version + 1"
                    + " where id = :id and version = :version")
            .params(spot.columns())
            .update();
    Sql.updatedOne(rows, "spot", spot.id());
    spot.rowUpdated();
    return spot;
  }
}
