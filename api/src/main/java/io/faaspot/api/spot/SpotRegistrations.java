package io.faaspot.api.spot;

import io.faaspot.api.account.Secrets;
import io.faaspot.api.config.SpotsProperties;
import io.faaspot.api.store.Sql;
import io.faaspot.api.web.ApiException;
import io.faaspot.scheduler.execution.ExecutionKind;
import io.faaspot.scheduler.execution.ExecutionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * How an agent comes to speak for a spot: the provider that launches the VM opens a registration
 * with a one-time secret (passed to the agent by environment or user data); the agent trades it,
 * once, for a long-lived credential that only ever gives it its own account's work.
 */
@Component
public class SpotRegistrations {
  private final SpotRepository spots;
  private final SpotAgentRepository agents;
  private final AgentCredentials credentials;
  private final SpotTasks tasks;
  private final JdbcClient jdbc;
  private final SpotsProperties props;
  private final SpotLifecycle lifecycle;
  private final Clock clock;

  SpotRegistrations(
      SpotRepository spots,
      SpotAgentRepository agents,
      AgentCredentials credentials,
      SpotTasks tasks,
      JdbcClient jdbc,
      SpotsProperties props,
      SpotLifecycle lifecycle,
      Clock clock) {
    this.spots = spots;
    this.agents = agents;
    this.credentials = credentials;
    this.tasks = tasks;
    this.jdbc = jdbc;
    this.props = props;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  /**
   * Called by a spot provider as it launches the VM: returns the one-time registration secret for
   * the agent (only its digest is stored).
   */
  @Transactional
  public String openRegistration(UUID spotId, String instanceId, String ip) {
    Spot spot =
        spots.findById(spotId).orElseThrow(() -> new IllegalArgumentException("no spot " + spotId));
    String secret = Secrets.generate("fsr_");
    spot.launched(
        instanceId, ip, Secrets.digest(secret), clock.instant().plus(props.registrationTtl()));
    spots.update(spot);
    return secret;
  }

  /** Trades a registration secret for an agent credential; the spot becomes Ready. */
  @Transactional
  public RegisteredAgent register(
      String secret, String ip, String hostname, String agentVersion, String pythonVersion) {
    Instant now = clock.instant();
    Spot spot =
        spots
            .findByRegistrationSecretHash(Secrets.digest(secret))
            .filter(s -> s.registrationOpen(now))
            .orElseThrow(
                () -> ApiException.unauthorized("unknown, used or expired registration secret"));
    spot.registered(ip, now);
    String credential = Secrets.generate("fsa_");
    agents.insert(
        new SpotAgent(
            spot.id(), Secrets.digest(credential), agentVersion, pythonVersion, hostname, now));
    spots.update(spot);
    tasks.finish(
        spot.id(),
        ExecutionKind.CREATE_SPOT,
        ExecutionStatus.Success,
        Map.of(
            "message",
            "Spot " + (spot.ip() == null ? spot.id() : spot.ip()) + " is ready",
            "ip",
            spot.ip() == null ? "" : spot.ip(),
            "spot",
            spot.id().toString()));
    return new RegisteredAgent(spot.id(), spot.accountId(), credential);
  }

  /**
   * See {@link SpotLifecycle#interrupted}; answers the replacement spot's id, if one was asked for.
   */
  public UUID interrupted(UUID spotId, String notice) {
    UUID replacement = lifecycle.interrupted(spotId);
    org.slf4j.LoggerFactory.getLogger(SpotRegistrations.class)
        .warn("spot {} got a {} notice: draining; replacement {}", spotId, notice, replacement);
    return replacement;
  }

  public Optional<AgentIdentity> authenticate(String credential) {
    if (credential == null || credential.isEmpty() || credential.length() > 512) {
      return Optional.empty();
    }
    return credentials.cache.get(Secrets.digest(credential), agents::findIdentity);
  }

  /**
   * Whether this node has accepted the credential before (see {@link
   * io.faaspot.api.account.CredentialCache#known}): its holder is no guesser, so a throttled
   * address still gets it looked up.
   */
  public boolean known(String credential) {
    return credential != null
        && !credential.isEmpty()
        && credential.length() <= 512
        && credentials.cache.known(Secrets.digest(credential));
  }

  /** The spot's state now (Terminated if it is gone). */
  public SpotState state(UUID spotId) {
    return jdbc.sql("SELECT state FROM spots WHERE id = :spot")
        .param("spot", spotId)
        .query(String.class)
        .optional()
        .map(SpotState::valueOf)
        .orElse(SpotState.Terminated);
  }

  /** Records a heartbeat; answers the spot's state and the account's worker bounds. */
  public SpotPulse heartbeat(UUID spotId) {
    return jdbc.sql(
            """
            UPDATE spots s SET last_heartbeat_at = :now
            FROM accounts a WHERE s.id = :spot AND a.id = s.account_id
            RETURNING s.state, a.min_workers, a.max_workers
            """)
        .param("now", Sql.utc(clock.instant()))
        .param("spot", spotId)
        .query(
            (rs, i) ->
                new SpotPulse(
                    SpotState.valueOf(rs.getString("state")),
                    rs.getInt("min_workers"),
                    rs.getInt("max_workers")))
        .single();
  }
}
