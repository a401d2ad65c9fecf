package io.faaspot.api.deployment;

import java.util.UUID;

/**
 * An execution as a deployment's console page shows it (a synchronous run's answer, or the
 * environment's last build): its id, its status and its output made readable.
 */
record ShownOutcome(UUID id, String status, String output) {}
