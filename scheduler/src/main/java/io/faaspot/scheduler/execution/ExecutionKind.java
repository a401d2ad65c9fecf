package io.faaspot.scheduler.execution;

/** What an execution does; the names are the ones the old client prints. */
public final class ExecutionKind {
  /** A function call, claimed and run by an agent of the caller's spots. */
  public static final String RUN_DEPLOYMENT = "tasks.run_deployment";

  /** Builds a deployment's environment on a spot: for create and update alike (API.md). */
  public static final String CREATE_DEPLOYMENT = "tasks.create_deployment";

  public static final String DELETE_DEPLOYMENT = "tasks.delete_deployment";
  public static final String CREATE_SPOT = "tasks.create_spot";
  public static final String REMOVE_SPOT = "tasks.remove_spot";
  public static final String REFRESH_IP = "tasks.refresh_ip";
  public static final String REPLACE_SPOT = "tasks.replace_spot";

  /**
   * SQL, true of every kind but a function call's. Written into a statement as this literal, it
   * lets the planner read {@code executions_pending_tasks}, which holds no function call (V9),
   * whatever kind the statement is given as a parameter, in a kept (generic) plan too.
   */
  public static final String NOT_A_CALL = "kind <> '" + RUN_DEPLOYMENT + "'";

  private ExecutionKind() {}
}
