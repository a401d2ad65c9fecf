package io.faaspot.scheduler.execution;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of an execution, as the old client names it. The allowed transitions are listed
 * once, here; every SQL statement that changes a status takes its "from" set from {@link
 * #sourcesOf(ExecutionStatus)}, so the database never sees a transition this table forbids.
 */
public enum ExecutionStatus {
  Pending,
  Started,
  Success,
  Failure,
  Cancelled;

  private static final Map<ExecutionStatus, Set<ExecutionStatus>> ALLOWED =
      Map.of(
          // Pending -> Failure: a task the server carries out itself fails before it starts.
          Pending, EnumSet.of(Started, Success, Failure, Cancelled),
          // Started -> Pending: the lease expired or the spot handed the call back.
          Started, EnumSet.of(Pending, Success, Failure, Cancelled),
          Success, EnumSet.noneOf(ExecutionStatus.class),
          Failure, EnumSet.noneOf(ExecutionStatus.class),
          Cancelled, EnumSet.noneOf(ExecutionStatus.class));

  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean canBecome(ExecutionStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** The statuses from which {@code target} may be reached, as names for a SQL array. */
  public static String[] sourcesOf(ExecutionStatus target) {
    return List.of(values()).stream()
        .filter(s -> s.canBecome(target))
        .map(Enum::name)
        .toArray(String[]::new);
  }

  public static ExecutionStatus parse(String value) {
    for (ExecutionStatus s : values()) {
      if (s.name().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown execution status: " + value);
  }
}
