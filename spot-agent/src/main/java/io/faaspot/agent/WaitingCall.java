package io.faaspot.agent;

import tools.jackson.databind.JsonNode;

/** A call given to this agent that no runner has taken yet: the {@link Intake} queues these. */
record WaitingCall(RunningCall running, JsonNode call) {}
