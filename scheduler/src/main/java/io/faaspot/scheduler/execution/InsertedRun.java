package io.faaspot.scheduler.execution;

/**
 * A function call's row as its insert returned it ({@link RunInsertStatement}).
 *
 * @param handed whether it was inserted leased to a waiting agent's spot (else it is queued)
 * @param call the call as that agent gets it
 */
record InsertedRun(boolean handed, ClaimedExecution call, long deploymentId) {}
