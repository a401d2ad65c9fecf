package io.faaspot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How this agent becomes its spot's: with the credential an earlier run saved, if the server still
 * accepts it, else by registering with the one-time secret (and saving the credential it gets).
 */
final class Registration {
  static final String VERSION = "0.1.0";

  private final AgentConfig config;
  private final ServerClient server;
  private final WorkerPool pool;
  private final Environments envs;

  Registration(AgentConfig config, ServerClient server, WorkerPool pool, Environments envs) {
    this.config = config;
    this.server = server;
    this.pool = pool;
    this.envs = envs;
  }

  /** Resumes or registers; answers the server's terms. */
  Terms join() throws InterruptedException {
    Terms resumed = resume();
    return resumed != null ? resumed : register();
  }

  private Path credentialFile() {
    return config.dir().resolve("credential");
  }

  /**
   * A restarted agent (systemd, a crash) keeps its spot: the one-time secret is spent, so it uses
   * the credential it saved, if the server still accepts it. Null if it cannot.
   */
  private Terms resume() throws InterruptedException {
    Path file = credentialFile();
    if (!Files.exists(file)) {
      return null;
    }
    try {
      server.credential(Files.readString(file).strip());
      JsonNode answer = server.post("heartbeat", server.object(), Duration.ofSeconds(15));
      pool.limits(answer.path("min_workers").asInt(1), answer.path("max_workers").asInt(4));
      Duration heartbeat =
          Duration.ofSeconds(Math.max(1, answer.path("heartbeat_seconds").asLong(5)));
      Log.info("resumed with the saved credential");
      // A heartbeat's answer does not tell the poll wait: the longest is kept.
      return new Terms(heartbeat, Duration.ofSeconds(20));
    } catch (Revoked e) {
      Log.warn("the saved credential is no longer accepted; registering anew");
      server.credential(null);
      return null;
    } catch (IOException e) {
      Log.warn("cannot reach the server to resume (%s); trying to register", e.getMessage());
      server.credential(null);
      return null;
    }
  }

  private Terms register() throws InterruptedException {
    ObjectNode body = server.object();
    body.put("registration_secret", config.registrationSecret());
    body.put("ip", config.ip());
    body.put("hostname", config.hostname());
    body.put("agent_version", VERSION);
    body.put("python_version", envs.pythonVersion());
    Duration backoff = Backoff.FIRST;
    int refusals = 0;
    while (true) {
      try {
        JsonNode r = server.post("register", body, Duration.ofSeconds(30));
        server.credential(r.get("credential").asString());
        saveCredential(r.get("credential").asString());
        Duration heartbeat = Duration.ofSeconds(Math.max(1, r.path("heartbeat_seconds").asLong(5)));
        Duration pollWait =
            Duration.ofSeconds(
                Math.max(1, Math.min(20, r.path("max_poll_wait_seconds").asLong(20))));
        pool.limits(r.path("min_workers").asInt(1), r.path("max_workers").asInt(4));
        Log.info(
            "registered as spot %s (%d to %d workers)",
            r.get("spot_id").asString(),
            r.path("min_workers").asInt(1),
            r.path("max_workers").asInt(4));
        return new Terms(heartbeat, pollWait);
      } catch (Revoked e) {
        // The server records the secret right after starting us: a refusal in the first
        // moments can be that race, so only repeated refusals are final.
        if (++refusals >= 8) {
          throw new IllegalStateException("registration refused: " + e.getMessage());
        }
        backoff = Backoff.sleep(backoff);
      } catch (IOException e) {
        Log.warn("cannot register yet (%s); retrying in %d ms", e.getMessage(), backoff.toMillis());
        backoff = Backoff.sleep(backoff);
      }
    }
  }

  private void saveCredential(String credential) {
    try {
      Path file = credentialFile();
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, credential);
    } catch (IOException | UnsupportedOperationException e) {
      Log.warn("cannot save the credential (a restart will need a new spot): %s", e.getMessage());
    }
  }
}
