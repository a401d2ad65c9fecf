package io.faaspot.agent;

public final class AgentMain {
  public static void main(String[] args) {
    System.err.println("faaspot-agent: not built yet");
    System.exit(2);
  }
}
