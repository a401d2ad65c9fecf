package io.faaspot.agent;

/**
 * Entry point: {@code java -jar faaspot-agent.jar} with FAASPOT_URL and
 * FAASPOT_REGISTRATION_SECRET.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config;
    try {
      config = AgentConfig.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("faaspot-agent: " + e.getMessage());
      System.err.println(
          "usage: FAASPOT_URL=https://server FAASPOT_REGISTRATION_SECRET=fsr_... java -jar faaspot-agent.jar");
      System.exit(2);
      return;
    }
    Agent agent = new Agent(config);
    Runtime.getRuntime().addShutdownHook(new Thread(agent::shutdown, "shutdown"));
    agent.run();
  }
}
