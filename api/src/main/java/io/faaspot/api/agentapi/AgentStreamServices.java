package io.faaspot.api.agentapi;

import io.faaspot.api.execution.ShutdownSignal;
import io.faaspot.api.secrets.Contexts;
import io.faaspot.scheduler.execution.ExecutionQueue;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What each {@link AgentStream} works with. The WebSocket container makes one stream per
 * connection, outside Spring, so {@link AgentStreamEndpoint} hands it these.
 */
@Component
record AgentStreamServices(
    AgentDispatch dispatch,
    AgentResults results,
    ExecutionQueue queue,
    ShutdownSignal shutdown,
    JsonMapper json,
    Contexts contexts) {}
