package io.faaspot.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The spot pool.
 *
 * @param provider {@code local} (agent processes on this machine), {@code manual} (agents started
 *     by the operator) or {@code ec2}
 * @param registrationTtl how long a new spot's one-time registration secret stays valid
 * @param maxPerAccount most spots one account may ask for
 * @param reconcileInterval how often the leader compares the pool with what it should be
 * @param heartbeatTimeout a ready spot silent this long is taken as lost and replaced
 * @param drainTimeout longest a removed spot may finish its running calls before it is stopped
 * @param local the local provider's settings
 */
@ConfigurationProperties("faaspot.spots")
public record SpotsProperties(
    @DefaultValue("local") String provider,
    @DefaultValue("30m") Duration registrationTtl,
    @DefaultValue("20") int maxPerAccount,
    @DefaultValue("2s") Duration reconcileInterval,
    @DefaultValue("20s") Duration heartbeatTimeout,
    @DefaultValue("60s") Duration drainTimeout,
    @DefaultValue Local local) {

  /**
   * @param agentJar the agent jar to start; default: next to the server jar, else the build's
   *     spot-agent/target/faaspot-agent.jar
   * @param java the java command; default: the one running the server
   * @param agentJavaOptions options of the agents' JVM; default: {@code -XX:AOTCache=} the
   *     faaspot-agent.aot beside the agent jar (the packaging's training run writes it), where that
   *     file exists and the agents run on this server's own JDK 25 or newer
   * @param imdsUrl the instance metadata URL local agents poll for interruption notices; {@code
   *     {spot}} is replaced by the spot's id (tests fake it); default: none
   * @param agentStream whether local agents take calls over the agent stream (default) or HTTP long
   *     polls only
   * @param firstUid the spot at 127.0.1.N runs its functions and pip as uid first-uid + N, a uid of
   *     its own (no user needs to exist for it; nothing else on the machine may use these uids)
   * @param sandbox {@code auto}: each function in a bubblewrap sandbox where {@code bwrap} works,
   *     else its spot's uid alone; {@code bwrap}: spots fail to start without it; {@code uid}: the
   *     uid alone
   * @param agentEnvironment more environment variables for local agents, e.g. {@code
   *     FAASPOT_SCRATCH_MB} or pip's {@code PIP_FIND_LINKS} (they also get this server's {@code
   *     PIP_*} and agent tuning variables)
   */
  public record Local(
      Path agentJar,
      String java,
      List<String> agentJavaOptions,
      String imdsUrl,
      @DefaultValue("true") boolean agentStream,
      @DefaultValue("61000") int firstUid,
      @DefaultValue("auto") String sandbox,
      Map<String, String> agentEnvironment) {

    public Local {
      agentEnvironment = agentEnvironment == null ? Map.of() : Map.copyOf(agentEnvironment);
    }
  }
}
