package io.faaspot.scheduler.execution;

/**
 * How long the queue's hot writes take in the database, as the server sees them (its metrics): each
 * statement that inserts calls, claims them or records their outcomes, from its start to its
 * answer, with its commit, since each is a transaction of its own (a sync call's result is
 * committed without waiting for its flush: {@link QueueSettings#syncResultsBeforeFlush()}). A call
 * handed to its agent before its insert commits is timed to that commit. A write in a caller's
 * transaction is not timed: its commit is the caller's.
 */
@FunctionalInterface
public interface QueueWrites {
  /** The writes timed. */
  enum Write {
    INSERT,
    CLAIM,
    COMPLETE
  }

  /** Times nothing. */
  QueueWrites NONE = (write, nanos) -> {};

  /** {@code write} took {@code nanos}, its commit included. */
  void took(Write write, long nanos);
}
