package io.faaspot.scheduler.spot;

import io.faaspot.scheduler.spot.SpotProvider.LaunchRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one local agent process: its spot directory (and the permissions on the way to it), its
 * command line and its environment. Apart from {@link LocalSpotProvider}, which keeps track of the
 * processes started, because this is where a spot is walled off from the server and from the other
 * spots.
 */
final class LocalAgentLauncher {
  private final Path spotsDir;
  private final Path agentJar;
  private final String java;
  private final List<String> javaOptions;
  private final Map<String, String> extraEnv;

  LocalAgentLauncher(
      Path spotsDir,
      Path agentJar,
      String java,
      List<String> javaOptions,
      Map<String, String> extraEnv) {
    this.spotsDir = spotsDir;
    this.agentJar = agentJar;
    this.java = java;
    this.javaOptions = List.copyOf(javaOptions);
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /**
   * Starts the agent of spot {@code r} at address {@code ip}, its functions running as {@code uid}.
   */
  Process start(LaunchRequest r, String ip, int uid) throws IOException {
    Path dir = spotsDir.resolve(r.spotId().toString());
    Path logFile = LocalSpotDirectory.prepare(spotsDir, dir);
    List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k"));
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", agentJar.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Map<String, String> env = pb.environment();
    LocalAgentEnvironment.strip(env);
    extraEnv.forEach((k, v) -> env.put(k, v.replace("{spot}", r.spotId().toString())));
    env.put("FAASPOT_URL", r.serverUrl());
    env.put("FAASPOT_REGISTRATION_SECRET", r.registrationSecret());
    env.put("FAASPOT_AGENT_DIR", dir.toString());
    env.put("FAASPOT_AGENT_IP", ip);
    env.put("FAASPOT_RUN_AS", Integer.toString(uid));
    return pb.start();
  }
}
