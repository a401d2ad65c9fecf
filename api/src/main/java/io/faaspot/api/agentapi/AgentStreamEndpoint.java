package io.faaspot.api.agentapi;

import io.faaspot.api.spot.AgentIdentity;
import io.faaspot.api.spot.SpotRegistrations;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Registers {@link AgentStream} with the servlet container's WebSocket support once the web
 * application starts. Without that support the agents keep to HTTP long polls, which the server
 * always answers too.
 */
@Component
class AgentStreamEndpoint implements ServletContextListener {
  private static final Logger log = LoggerFactory.getLogger(AgentStreamEndpoint.class);

  private final SpotRegistrations registrations;
  private final AgentStreamServices services;

  AgentStreamEndpoint(SpotRegistrations registrations, AgentStreamServices services) {
    this.registrations = registrations;
    this.services = services;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer server)) {
      log.warn("no WebSocket support in the servlet container: agents use HTTP long polls");
      return;
    }
    try {
      server.addEndpoint(
          ServerEndpointConfig.Builder.create(AgentStream.class, AgentStream.PATH)
              .configurator(new Configurator())
              .build());
    } catch (DeploymentException e) {
      throw new IllegalStateException("cannot register the agent stream", e);
    }
  }

  /** Authenticates the upgrade by the agent's credential and makes one stream per connection. */
  private final class Configurator extends ServerEndpointConfig.Configurator {
    @Override
    public void modifyHandshake(
        ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
      // The agents' security chain has checked the credential already; this finds whose it is.
      Optional<AgentIdentity> agent =
          Optional.ofNullable(request.getHeaders().get("Authorization"))
              .flatMap(values -> values.stream().findFirst())
              .map(String::strip)
              .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
              .flatMap(v -> registrations.authenticate(v.substring(7).strip()));
      agent.ifPresent(a -> config.getUserProperties().put(AgentStream.AGENT, a));
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
      return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getEndpointInstance(Class<T> endpointClass) {
      return (T) new AgentStream(services);
    }
  }
}
