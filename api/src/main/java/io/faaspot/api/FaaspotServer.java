package io.faaspot.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The FaaSpot server: the public API, the agent protocol, and the scheduler it assembles. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FaaspotServer {
  public static void main(String[] args) {
    SpringApplication.run(FaaspotServer.class, args);
  }
}
