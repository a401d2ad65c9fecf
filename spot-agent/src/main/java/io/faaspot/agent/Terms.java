package io.faaspot.agent;

import java.time.Duration;

/**
 * What the server told at {@link Registration}: how often to beat, and how long a long poll may
 * wait.
 */
record Terms(Duration heartbeat, Duration pollWait) {}
