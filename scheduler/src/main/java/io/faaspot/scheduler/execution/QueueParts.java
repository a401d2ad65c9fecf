package io.faaspot.scheduler.execution;

import io.faaspot.scheduler.wakeup.Wakeups;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The classes of the {@link ExecutionQueue}'s verbs, wired over one {@link QueueContext}, and what
 * some of them share: the parked polls that function calls are handed to, and the hand-overs whose
 * insert is not committed yet, which outcomes and hand-backs wait for.
 */
record QueueParts(
    ClaimFloors floors,
    ParkedClaims parked,
    UncommittedHandOvers uncommitted,
    EnqueueExecutions enqueue,
    EnqueueRuns runs,
    Claims claims,
    Outcomes outcomes,
    EndOnServer ends,
    RenewLeases leases,
    Requeue requeue) {

  /** See {@link ExecutionQueue}'s constructors. */
  static QueueParts wire(
      JdbcClient jdbc,
      TransactionOperations tx,
      Clock clock,
      Wakeups wakeups,
      QueueSettings settings,
      QueueWrites writes,
      Duration followerRecheck,
      Duration frontScanEvery) {
    ClaimFloors floors = new ClaimFloors(clock, System::nanoTime, frontScanEvery);
    QueueContext q = new QueueContext(jdbc, clock, wakeups, settings, floors, writes);
    ParkedClaims parked = new ParkedClaims();
    UncommittedHandOvers uncommitted = new UncommittedHandOvers();
    return new QueueParts(
        floors,
        parked,
        uncommitted,
        new EnqueueExecutions(q),
        new EnqueueRuns(new InsertRuns(q, tx, parked, uncommitted), followerRecheck),
        new Claims(q),
        new Outcomes(q, uncommitted),
        new EndOnServer(q),
        new RenewLeases(q),
        new Requeue(q, uncommitted));
  }
}
