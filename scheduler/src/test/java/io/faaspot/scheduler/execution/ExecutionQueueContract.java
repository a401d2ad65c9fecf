package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Cancelled;
import static io.faaspot.scheduler.execution.ExecutionStatus.Failure;
import static io.faaspot.scheduler.execution.ExecutionStatus.Pending;
import static io.faaspot.scheduler.execution.ExecutionStatus.Started;
import static io.faaspot.scheduler.execution.ExecutionStatus.Success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faaspot.scheduler.testing.MutableClock;
import io.faaspot.scheduler.wakeup.Wakeups;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue's behaviour on real PostgreSQL. Subclasses say which PostgreSQL; the same cases run on
 * each.
 */
abstract class ExecutionQueueContract {
  static final Duration LEASE = Duration.ofSeconds(30);

  DataSource dataSource;
  JdbcClient jdbc;
  TransactionTemplate tx;
  MutableClock clock;
  ExecutionQueue queue;
  ExecutionQueries queries;
  long account;
  long otherAccount;

  abstract DataSource newDatabase();

  @BeforeEach
  void setUp() {
    dataSource = newDatabase();
    jdbc = JdbcClient.create(dataSource);
    clock = MutableClock.startingNow();
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    queue = new ExecutionQueue(jdbc, tx, clock, new Wakeups(), new QueueSettings(LEASE, 3, 1000));
    queries = new ExecutionQueries(jdbc);
    account = newAccount("alice");
    otherAccount = newAccount("bob");
  }

  @AfterEach
  void closeDatabase() throws Exception {
    if (dataSource instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  long newAccount(String name) {
    return jdbc.sql("INSERT INTO accounts (username, created_at) VALUES (:n, now()) RETURNING id")
        .param("n", name + UUID.randomUUID())
        .query(Long.class)
        .single();
  }

  /** A ready spot of the account: only those claim work. */
  UUID spot(long accountId) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO spots (id, account_id, state, provider, created_at)"
                + " VALUES (:id, :account, 'Ready', 'test', now())")
        .param("id", id)
        .param("account", accountId)
        .update();
    return id;
  }

  static NewExecution call(long accountId) {
    return call(accountId, UUID.randomUUID());
  }

  static NewExecution call(long accountId, UUID id) {
    return new NewExecution(
        id, accountId, ExecutionKind.RUN_DEPLOYMENT, null, "echo", 1, null, "{\"n\": \"1\"}", 3);
  }

  static List<NewExecution> calls(long accountId, int n) {
    List<NewExecution> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(call(accountId));
    }
    return list;
  }

  ExecutionRow row(UUID id) {
    return queries.find(account, id).orElseThrow();
  }

  static Outcome success(ClaimedExecution c) {
    return new Outcome(c.id(), c.attempt(), Success, "\"ok\"", "", null, null);
  }

  @Test
  void bulkEnqueueOfTenThousandIsOneCallAndKeepsTheOrder() {
    List<NewExecution> batch = calls(account, 10_000);

    List<UUID> ids = queue.enqueueAll(batch);

    assertThat(ids).hasSize(10_000).doesNotHaveDuplicates();
    assertThat(queries.countByStatus(account)).containsExactlyEntriesOf(Map.of(Pending, 10_000L));
    List<ClaimedExecution> first = queue.claim(account, spot(account), 3);
    assertThat(first)
        .extracting(ClaimedExecution::id)
        .containsExactly(ids.get(0), ids.get(1), ids.get(2));
  }

  /** 10,000 calls of the account queued, then all claimed by {@code spot}: running there. */
  List<ClaimedExecution> tenThousandRunningOn(UUID spot) {
    queue.enqueueAll(calls(account, 10_000));
    return queue.claim(account, spot, 10_000);
  }

  /**
   * The table as a server's database was after a few bulk runs: 40,000 finished rows, vacuumed but
   * not analysed, so the planner expects next to no pending or started row. (The state in which
   * claims and results were seen reading every queued or running row.)
   */
  void finishedHistoryThePlannerTakesForTheWholeTable() {
    for (int i = 0; i < 4; i++) {
      queue.enqueueAll(calls(account, 10_000));
    }
    jdbc.sql("UPDATE executions SET status = 'Success', finished_at = now()").update();
    jdbc.sql("VACUUM executions").update();
  }

  /** {@code sql} under EXPLAIN ANALYZE, to be given its parameters and run for its plan's lines. */
  JdbcClient.StatementSpec explainAnalyze(String sql) {
    return jdbc.sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql);
  }

  /** Every scan of the executions table or of its indexes in the plan read at most {@code max}. */
  static void assertEveryScanReadsAtMost(double max, List<String> plan) {
    assertThat(rowsReadByEachScan(plan))
        .as(String.join("\n", plan))
        .isNotEmpty()
        .allMatch(rows -> rows <= max);
  }

  /**
   * How many rows each scan of the executions table or of one of its indexes read (per loop), from
   * an EXPLAIN ANALYZE.
   */
  static List<Double> rowsReadByEachScan(List<String> plan) {
    Matcher scans =
        Pattern.compile(
                "Scan(?: Backward)?(?: using \\S+)? on executions\\w*\\b.*?\\(actual rows=([0-9.]+) ")
            .matcher(String.join("\n", plan));
    List<Double> rows = new ArrayList<>();
    while (scans.find()) {
      rows.add(Double.parseDouble(scans.group(1)));
    }
    return rows;
  }

  @Test
  void aClaimReadsOnlyTheRowsItTakesHoweverLongTheQueueBehindThem() {
    finishedHistoryThePlannerTakesForTheWholeTable();
    queue.enqueueAll(calls(account, 10_000));
    queue.enqueueAll(calls(account, 5_000));
    UUID spot = spot(account);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

    List<String> plan =
        explainAnalyze(ExecutionQueue.CLAIM)
            .param("account", account)
            .param("kinds", ExecutionQueue.AGENT_KINDS)
            .param("max", 16)
            .param("spot", spot)
            // from the front of the queue, as a claim without a floor
            .param("from", OffsetDateTime.parse("1970-01-01T00:00:00Z"))
            .param("lease_end", now.plus(LEASE))
            .param("now", now)
            .query(String.class)
            .list();

    // The claim's own scan must stop at the 16 it takes, not read and sort all 15,000 queued
    // ones; the update then finds each by id.
    assertEveryScanReadsAtMost(16, plan);
    assertThat(queries.countByStatus(account))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Success, 40_000L, Pending, 14_984L, Started, 16L));
  }

  @Test
  void recordingResultsReadsOnlyTheirRowsHoweverManyCallsAreRunning() {
    finishedHistoryThePlannerTakesForTheWholeTable();
    UUID spot = spot(account);
    List<ClaimedExecution> running = tenThousandRunningOn(spot);
    List<ClaimedExecution> done = running.subList(0, 16);

    List<String> plan =
        successes(
                explainAnalyze(ExecutionQueue.completion(16)),
                done.stream().map(c -> c.id().toString()).toArray(String[]::new),
                done.stream().map(ClaimedExecution::attempt).toArray(Integer[]::new),
                spot)
            .query(String.class)
            .list();

    // Each of the 16 found by its id, not among the 10,000 running (or their dead entries).
    assertEveryScanReadsAtMost(16, plan);
    assertThat(queries.countByStatus(account))
        .containsExactlyInAnyOrderEntriesOf(Map.of(Success, 40_016L, Started, 9_984L));
  }

  @Test
  void smallBatchesOfResultsKeepOnePlanInsteadOfAPlanningEach() {
    // given a table of a server that has run a while, and one connection recording batches of
    // two results, again and again
    finishedHistoryThePlannerTakesForTheWholeTable();
    jdbc.sql("ANALYZE executions").update();
    long[] plans =
        tx.execute(
            status -> {
              for (int i = 0; i < 20; i++) {
                successes(
                        jdbc.sql(ExecutionQueue.completion(2)),
                        new String[] {randomId(), randomId()},
                        new Integer[] {1, 1},
                        UUID.randomUUID())
                    .query(String.class)
                    .list();
              }
              // when the session's prepared statement is looked at
              return jdbc.sql(
                      "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                          + " FROM pg_prepared_statements WHERE statement LIKE '%from_status%'")
                  .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                  .single();
            });

    // then, after the driver prepared it and PostgreSQL's first five plans for the values at
    // hand, it runs the one plan kept for the statement, not a new plan for each batch
    assertThat(plans[0]).as("executions on the kept plan").isGreaterThanOrEqualTo(5);
    assertThat(plans[1]).as("executions planned anew").isLessThanOrEqualTo(5);
  }

  private static String randomId() {
    return UUID.randomUUID().toString();
  }

  /** The results statement's parameters: each call of {@code ids} succeeded, with no logs. */
  private static JdbcClient.StatementSpec successes(
      JdbcClient.StatementSpec statement, String[] ids, Integer[] attempts, UUID spot) {
    int n = ids.length;
    String[] none = new String[n];
    return statement
        .param("ids", ids)
        .param("attempts", attempts)
        .param("statuses", Collections.nCopies(n, Success.name()).toArray(String[]::new))
        .param("outputs", Collections.nCopies(n, "\"ok\"").toArray(String[]::new))
        .param("logs", Collections.nCopies(n, "").toArray(String[]::new))
        .param("run_started", none)
        .param("run_finished", none)
        .param("now", OffsetDateTime.now(ZoneOffset.UTC))
        .param("from", Started.name())
        .param("spot", spot)
        .param("channel", "unused")
        .param("node", "unused")
        .param("notify", false)
        .param("flush_later", false);
  }

  @Test
  void aHeartbeatReadsOnlyTheCallsItNamesHoweverManyAreRunning() {
    finishedHistoryThePlannerTakesForTheWholeTable();
    UUID spot = spot(account);
    List<ClaimedExecution> running = tenThousandRunningOn(spot);
    List<UUID> named = running.subList(0, 50).stream().map(ClaimedExecution::id).toList();
    queue.cancel(account, named.get(0));

    List<String> plan =
        explainAnalyze(ExecutionQueue.RENEW_LEASES)
            .param("lease_end", OffsetDateTime.now(ZoneOffset.UTC).plus(LEASE))
            .param("ids", named.stream().map(UUID::toString).toArray(String[]::new))
            .param("spot", spot)
            .query(String.class)
            .list();

    // An id's index entries are one per row version (the insert's, the claim's, the cancel's):
    // a few per named call, not the 10,000 running.
    assertEveryScanReadsAtMost(3 * named.size(), plan);
    LeaseRenewal renewal = queue.renewLeases(spot, named);
    assertThat(renewal.extended()).hasSize(49).doesNotContain(named.get(0));
    assertThat(renewal.cancelled()).containsExactly(named.get(0));
    assertThat(renewal.lost()).isEmpty();
  }

  @Test
  void aBulkLookUpReadsOnlyTheRowsAskedFor() {
    finishedHistoryThePlannerTakesForTheWholeTable();
    List<UUID> ids = queue.enqueueAll(calls(account, 1_000));

    List<String> plan =
        explainAnalyze(ExecutionQueries.FIND_ALL)
            .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
            .param("account", account)
            .query(String.class)
            .list();

    assertEveryScanReadsAtMost(1_000, plan);
    assertThat(queries.findAll(account, ids)).hasSize(1_000);
    assertThat(queries.findAll(otherAccount, ids)).isEmpty();
  }

  @Test
  void twoClaimersOnTenThousandExecutionsRunNoneTwiceAndLoseNone() throws Exception {
    List<UUID> ids = queue.enqueueAll(calls(account, 10_000));
    Set<UUID> seen = ConcurrentHashMap.newKeySet();
    List<UUID> duplicates = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      UUID spot = spot(account);
      workers.add(
          pool.submit(
              () -> {
                go.await();
                int mine = 0;
                while (true) {
                  List<ClaimedExecution> got = queue.claim(account, spot, 25);
                  if (got.isEmpty()) {
                    return mine;
                  }
                  for (ClaimedExecution c : got) {
                    if (!seen.add(c.id())) {
                      synchronized (duplicates) {
                        duplicates.add(c.id());
                      }
                    }
                  }
                  assertThat(
                          queue.complete(
                              spot, got.stream().map(ExecutionQueueContract::success).toList()))
                      .hasSize(got.size());
                  mine += got.size();
                }
              }));
    }
    go.countDown();
    int total = 0;
    for (Future<Integer> f : workers) {
      int mine = f.get(5, TimeUnit.MINUTES);
      assertThat(mine).as("each claimer got work").isPositive();
      total += mine;
    }
    pool.shutdown();

    assertThat(duplicates).isEmpty();
    assertThat(total).isEqualTo(10_000);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(queries.countByStatus(account)).containsExactlyEntriesOf(Map.of(Success, 10_000L));
  }

  @Test
  void claimSkipsRowsLockedByAnotherTransactionInsteadOfWaiting() throws Exception {
    List<UUID> ids = queue.enqueueAll(calls(account, 2));
    try (Connection locker = dataSource.getConnection()) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("SELECT 1 FROM executions WHERE id = '" + ids.get(0) + "' FOR UPDATE");
      }

      List<ClaimedExecution> got = queue.claim(account, spot(account), 10);

      assertThat(got).extracting(ClaimedExecution::id).containsExactly(ids.get(1));
      locker.rollback();
    }
  }

  @Test
  void anAgentOfOneAccountNeverClaimsAnotherAccountsWork() {
    queue.enqueueAll(calls(otherAccount, 5));

    assertThat(queue.claim(account, spot(account), 10)).isEmpty();
    assertThat(queue.claim(otherAccount, spot(otherAccount), 10)).hasSize(5);
  }

  @Test
  void aSpotThatIsNoLongerReadyClaimsNothing() {
    queue.enqueue(call(account));
    queue.enqueue(call(otherAccount));
    UUID spot = spot(account);
    jdbc.sql("UPDATE spots SET state = 'Terminated' WHERE id = :id").param("id", spot).update();

    assertThat(queue.claim(account, spot, 10)).isEmpty();
    assertThat(queue.claim(account, UUID.randomUUID(), 10)).as("an unknown spot").isEmpty();
    assertThat(queue.claim(otherAccount, spot(account), 10)).as("another account's spot").isEmpty();
  }

  @Test
  void claimMarksStartedWithLeaseAndAttempt() {
    UUID id = queue.enqueue(call(account));
    UUID spot = spot(account);

    ClaimedExecution c = queue.claim(account, spot, 1).getFirst();

    assertThat(c.id()).isEqualTo(id);
    assertThat(c.attempt()).isEqualTo(1);
    assertThat(c.argsJson()).contains("\"n\"");
    ExecutionRow r = row(id);
    assertThat(r.status()).isEqualTo(Started);
    assertThat(r.leaseOwner()).isEqualTo(spot);
    assertThat(r.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(r.startedAt()).isNotNull();
  }

  @Test
  void expiredLeaseGoesBackToTheQueueWithTheNextAttempt() {
    UUID id = queue.enqueue(call(account));
    queue.claim(account, spot(account), 1);
    clock.advance(LEASE.plusSeconds(1));

    List<ReapedExecution> reaped = queue.reapExpiredLeases();

    assertThat(reaped).containsExactly(new ReapedExecution(id, account, Pending));
    assertThat(row(id).status()).isEqualTo(Pending);
    assertThat(row(id).leaseOwner()).isNull();
    ClaimedExecution again = queue.claim(account, spot(account), 1).getFirst();
    assertThat(again.id()).isEqualTo(id);
    assertThat(again.attempt()).isEqualTo(2);
  }

  @Test
  void leaseNotYetExpiredIsLeftAlone() {
    UUID id = queue.enqueue(call(account));
    queue.claim(account, spot(account), 1);
    clock.advance(LEASE.minusSeconds(1));

    assertThat(queue.reapExpiredLeases()).isEmpty();
    assertThat(row(id).status()).isEqualTo(Started);
  }

  @Test
  void theAttemptLimitEndsInFailureWithTheReason() {
    UUID id = queue.enqueue(call(account));
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(queue.claim(account, spot(account), 1)).hasSize(1);
      clock.advance(LEASE.plusSeconds(1));
      queue.reapExpiredLeases();
    }

    ExecutionRow r = row(id);
    assertThat(r.status()).isEqualTo(Failure);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.outputJson()).contains("3 attempt(s)").contains("lease expired");
    assertThat(r.finishedAt()).isNotNull();
    assertThat(queue.claim(account, spot(account), 1)).isEmpty();
  }

  @Test
  void heartbeatExtendsTheLeaseSoTheReaperLeavesTheCallAlone() {
    UUID id = queue.enqueue(call(account));
    UUID spot = spot(account);
    queue.claim(account, spot, 1);
    clock.advance(LEASE.minusSeconds(5));

    LeaseRenewal renewal = queue.renewLeases(spot, List.of(id));
    clock.advance(Duration.ofSeconds(10));

    assertThat(renewal.extended()).containsExactly(id);
    assertThat(queue.reapExpiredLeases()).isEmpty();
    assertThat(row(id).status()).isEqualTo(Started);
  }

  @Test
  void aHeartbeatsRenewalIsWrittenInPlaceWithNoNewIndexEntry() {
    // given a few calls running on a spot (a fresh table: their page has room)
    UUID spot = spot(account);
    queue.enqueueAll(calls(account, 3));
    List<UUID> ids = queue.claim(account, spot, 3).stream().map(ClaimedExecution::id).toList();
    clock.advance(Duration.ofSeconds(5));

    // when its heartbeat, 5 s later, renews their leases (counted within one transaction: the
    // counts are the
    // backend's, not yet reported, so they may include an earlier transaction's)
    long[] counts =
        tx.execute(
            s -> {
              long[] before = countsOfExecutions("tuples_updated", "tuples_hot_updated");
              LeaseRenewal renewal = queue.renewLeases(spot, ids);
              assertThat(renewal.extended()).containsExactlyInAnyOrderElementsOf(ids);
              long[] after = countsOfExecutions("tuples_updated", "tuples_hot_updated");
              return new long[] {after[0] - before[0], after[1] - before[1]};
            });

    // then each renewal was a HOT update: the lease's end is in no index (V9), so no index gets an
    // entry for it, where before each renewal added a row version to each of the table's indexes
    assertThat(counts[0]).isEqualTo(3);
    assertThat(counts[1]).as("HOT updates").isEqualTo(3);
  }

  @Test
  void theReaperReadsTheStartedRowsNotTheTablesHistory() {
    // given 40,000 finished rows the planner takes for the whole table, and 10,000 calls running
    finishedHistoryThePlannerTakesForTheWholeTable();
    tenThousandRunningOn(spot(account));

    // when the reaper looks for expired leases (none has expired)
    long[] read =
        tx.execute(
            s -> {
              long[] before = countsOfExecutions("tuples_returned", "tuples_fetched");
              assertThat(queue.reapExpiredLeases()).isEmpty();
              long[] after = countsOfExecutions("tuples_returned", "tuples_fetched");
              return new long[] {after[0] - before[0], after[1] - before[1]};
            });

    // then it read no row by a sequential scan, and at most the running ones through an index of
    // started rows (V9: the lease's end is in no index, so it reads each running row's)
    assertThat(read[0]).as("rows read by sequential scans").isZero();
    assertThat(read[1]).as("rows fetched through indexes").isLessThanOrEqualTo(10_000);
  }

  /**
   * Two of this backend's counts for the executions table, not yet reported (each {@code
   * pg_stat_get_xact_<name>}): they may include an earlier transaction's, so take them before and
   * after within one transaction.
   */
  long[] countsOfExecutions(String first, String second) {
    return jdbc.sql(
            "SELECT pg_stat_get_xact_%s(c.oid) AS a, pg_stat_get_xact_%s(c.oid) AS b FROM pg_class c WHERE c.relname = 'executions'"
                .formatted(first, second))
        .query((rs, i) -> new long[] {rs.getLong("a"), rs.getLong("b")})
        .single();
  }

  @Test
  void heartbeatOfAnotherSpotExtendsNothingAndReportsTheCallLost() {
    UUID id = queue.enqueue(call(account));
    queue.claim(account, spot(account), 1);

    LeaseRenewal renewal = queue.renewLeases(spot(account), List.of(id));

    assertThat(renewal.extended()).isEmpty();
    assertThat(renewal.lost()).containsExactly(id);
  }

  @Test
  void cancelOfAPendingExecutionMeansItNeverRuns() {
    UUID id = queue.enqueue(call(account));

    ExecutionRow r = queue.cancel(account, id).orElseThrow();

    assertThat(r.status()).isEqualTo(Cancelled);
    assertThat(r.finishedAt()).isNotNull();
    assertThat(queue.claim(account, spot(account), 10)).isEmpty();
  }

  @Test
  void cancelOfAStartedExecutionIsToldToItsAgentAndItsLateResultIsDropped() {
    UUID id = queue.enqueue(call(account));
    UUID spot = spot(account);
    ClaimedExecution c = queue.claim(account, spot, 1).getFirst();

    assertThat(queue.cancel(account, id).orElseThrow().status()).isEqualTo(Cancelled);
    LeaseRenewal renewal = queue.renewLeases(spot, List.of(id));
    Set<UUID> taken = queue.complete(spot, List.of(success(c)));

    assertThat(renewal.cancelled()).containsExactly(id);
    assertThat(taken).isEmpty();
    assertThat(row(id).status()).isEqualTo(Cancelled);
    assertThat(row(id).outputJson()).contains("Cancelled");
  }

  @Test
  void cancelOfAFinishedExecutionChangesNothing() {
    UUID id = queue.enqueue(call(account));
    UUID spot = spot(account);
    ClaimedExecution c = queue.claim(account, spot, 1).getFirst();
    queue.complete(spot, List.of(success(c)));

    assertThat(queue.cancel(account, id).orElseThrow().status()).isEqualTo(Success);
  }

  @Test
  void cancelOfAnotherAccountsExecutionFindsNothingAndChangesNothing() {
    UUID id = queue.enqueue(call(account));

    assertThat(queue.cancel(otherAccount, id)).isEmpty();
    assertThat(row(id).status()).isEqualTo(Pending);
  }

  @Test
  void aResultIsTakenOnlyFromTheLeaseHolderAtTheCurrentAttempt() {
    UUID id = queue.enqueue(call(account));
    UUID first = spot(account);
    ClaimedExecution c1 = queue.claim(account, first, 1).getFirst();
    clock.advance(LEASE.plusSeconds(1));
    queue.reapExpiredLeases();
    UUID second = spot(account);
    ClaimedExecution c2 = queue.claim(account, second, 1).getFirst();

    Set<UUID> lateFromFirst = queue.complete(first, List.of(success(c1)));
    Set<UUID> staleAttempt = queue.complete(second, List.of(success(c1)));
    Set<UUID> current =
        queue.complete(
            second, List.of(new Outcome(id, c2.attempt(), Failure, "\"boom\"", "log", null, null)));

    assertThat(lateFromFirst).isEmpty();
    assertThat(staleAttempt).isEmpty();
    assertThat(current).containsExactly(id);
    assertThat(row(id).status()).isEqualTo(Failure);
    assertThat(row(id).outputJson()).isEqualTo("\"boom\"");
    assertThat(row(id).logs()).isEqualTo("log");
  }

  @Test
  void releasingASpotRequeuesEverythingItHeld() {
    queue.enqueueAll(calls(account, 4));
    UUID spot = spot(account);
    queue.claim(account, spot, 3);

    List<ReapedExecution> released = queue.releaseSpot(spot, "the spot was removed");

    assertThat(released).hasSize(3).allMatch(r -> r.status() == Pending);
    assertThat(queries.countByStatus(account)).containsExactlyEntriesOf(Map.of(Pending, 4L));
  }

  @Test
  void finishTaskRefusesASecondFinish() {
    NewExecution task =
        NewExecution.task(account, ExecutionKind.CREATE_DEPLOYMENT, null, "x", null);
    UUID id = queue.enqueue(task);

    assertThat(queue.finishTask(id, Success, "\"done\"")).isTrue();
    assertThat(queue.finishTask(id, Failure, "\"again\"")).isFalse();
    assertThat(row(id).status()).isEqualTo(Success);
  }

  @Test
  void theServersPendingTasksAreFoundWithoutReadingTheQueuedCalls() {
    // given 10,000 calls queued and one deployment build waiting, the table analysed
    queue.enqueueAll(calls(account, 10_000));
    UUID build =
        queue.enqueue(NewExecution.task(account, ExecutionKind.CREATE_DEPLOYMENT, null, "x", null));
    jdbc.sql("ANALYZE executions").update();

    // when the pending tasks of a kind are read with a kept (generic) plan, the kind a parameter
    List<String> plan =
        tx.execute(
            s -> {
              jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
              jdbc.sql(
                      "PREPARE tasks_of(text) AS SELECT id FROM executions"
                          + " WHERE kind = $1 AND status = 'Pending' AND "
                          + ExecutionKind.NOT_A_CALL
                          + " ORDER BY created_at LIMIT 500")
                  .update();
              try {
                return jdbc.sql(
                        "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE tasks_of('"
                            + ExecutionKind.CREATE_DEPLOYMENT
                            + "')")
                    .query(String.class)
                    .list();
              } finally {
                jdbc.sql("DEALLOCATE tasks_of").update();
              }
            });

    // then the build is found in executions_pending_tasks, where no queued call has an entry
    assertThat(String.join("\n", plan)).contains("executions_pending_tasks");
    assertEveryScanReadsAtMost(1, plan);
    assertThat(
            jdbc.sql("SELECT id FROM executions WHERE kind = :k AND status = 'Pending'")
                .param("k", ExecutionKind.CREATE_DEPLOYMENT)
                .query(UUID.class)
                .list())
        .containsExactly(build);
  }

  @Test
  void spotTasksAreNeverClaimedByAgents() {
    queue.enqueue(NewExecution.task(account, ExecutionKind.CREATE_SPOT, null, null, null));

    assertThat(queue.claim(account, spot(account), 10)).isEmpty();
  }

  @Test
  void deploymentBuildsAreClaimedByAgentsWithTheirKind() {
    UUID build =
        queue.enqueue(NewExecution.task(account, ExecutionKind.CREATE_DEPLOYMENT, null, "x", null));

    List<ClaimedExecution> got = queue.claim(account, spot(account), 10);

    assertThat(got).extracting(ClaimedExecution::id).containsExactly(build);
    assertThat(got.getFirst().kind()).isEqualTo(ExecutionKind.CREATE_DEPLOYMENT);
  }

  @Test
  void aHandedBackCallIsPendingAgainWithoutLosingAnAttempt() {
    UUID id = queue.enqueue(call(account));
    UUID spot = spot(account);
    queue.claim(account, spot, 1);

    Set<UUID> back = queue.handBack(spot, List.of(id, UUID.randomUUID()));

    assertThat(back).containsExactly(id);
    assertThat(row(id).status()).isEqualTo(Pending);
    assertThat(row(id).attempts()).isZero();
    assertThat(queue.claim(account, spot(account), 1).getFirst().attempt()).isEqualTo(1);
  }

  @Test
  void onlyTheLeaseHolderCanHandACallBack() {
    UUID id = queue.enqueue(call(account));
    queue.claim(account, spot(account), 1);

    assertThat(queue.handBack(UUID.randomUUID(), List.of(id))).isEmpty();
    assertThat(row(id).status()).isEqualTo(Started);
  }

  @Test
  void aWaitingClaimerIsWokenByAnEnqueueOnAnotherNode() throws Exception {
    Wakeups nodeA = new Wakeups();
    Wakeups nodeB = new Wakeups();
    var listenerA = new io.faaspot.scheduler.wakeup.PostgresNotificationListener(dataSource, nodeA);
    // Let the listener subscribe; its first act is to wake everyone, so wait for that (the wake-up
    // taken before it starts, so that it cannot come first).
    var first = nodeA.nextWorkFor(account);
    listenerA.start();
    try {
      ExecutionQueue onB = new ExecutionQueue(jdbc, tx, clock, nodeB, queue.settings());
      first.get(10, TimeUnit.SECONDS);
      var next = nodeA.nextWorkFor(account);

      onB.enqueue(call(account));

      next.get(10, TimeUnit.SECONDS);
      assertThat(next).isCompleted();
    } finally {
      listenerA.close();
    }
  }

  @Test
  void aSyncWaiterIsWokenWhenItsExecutionCompletes() throws Exception {
    Wakeups wakeups = new Wakeups();
    ExecutionQueue q = new ExecutionQueue(jdbc, tx, clock, wakeups, queue.settings());
    NewExecution e = call(account);
    var done = wakeups.completionOf(e.id());
    q.enqueue(e);
    UUID spot = spot(account);
    ClaimedExecution c = q.claim(account, spot, 1).getFirst();

    assertThat(done).isNotDone();
    q.complete(spot, List.of(success(c)));

    assertThat(done).isCompleted();
  }

  @Test
  void eachHotWriteIsTimedWithItsCommitAndNoneInACallersTransaction() {
    List<QueueWrites.Write> timed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutionQueue q =
        new ExecutionQueue(
            jdbc,
            tx,
            clock,
            new Wakeups(),
            queue.settings(),
            (write, took) -> {
              timed.add(write);
              nanos.add(took);
            });
    deployment(account, "echo");

    // a call, a bulk of two, a claim of the three, and their outcomes: one write each
    q.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();
    q.enqueueAll(calls(account, 2));
    UUID spot = spot(account);
    List<ClaimedExecution> got = q.claim(account, spot, 10);
    q.complete(spot, got.stream().map(ExecutionQueueContract::success).toList());

    assertThat(got).hasSize(3);
    assertThat(timed)
        .containsExactly(
            QueueWrites.Write.INSERT,
            QueueWrites.Write.INSERT,
            QueueWrites.Write.CLAIM,
            QueueWrites.Write.COMPLETE);
    assertThat(nanos).allSatisfy(n -> assertThat(n).isPositive());

    // the same in a caller's transaction: its commit is the caller's, so nothing is timed
    tx.executeWithoutResult(
        status -> {
          q.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();
          List<ClaimedExecution> more = q.claim(account, spot, 10);
          q.complete(spot, more.stream().map(ExecutionQueueContract::success).toList());
        });

    assertThat(timed).hasSize(4);
  }

  @Test
  void everyIdOfABulkIsDistinctFromEveryOther() {
    Set<UUID> all = new HashSet<>(queue.enqueueAll(calls(account, 100)));
    assertThat(all).hasSize(100);
  }

  /** A deployment of the account, at version 1, for calls made by name. */
  void deployment(long accountId, String name) {
    long id =
        jdbc.sql(
                "INSERT INTO deployments (account_id, name, current_version, created_at,"
                    + " updated_at) VALUES (:a, :n, 1, now(), now()) RETURNING id")
            .param("a", accountId)
            .param("n", name)
            .query(Long.class)
            .single();
    jdbc.sql(
            "INSERT INTO deployment_versions (deployment_id, version, code, requirements,"
                + " context, requirements_hash, timeout_seconds, created_at)"
                + " VALUES (:d, 1, 'def main(args, context):\n    return args\n', '', '', 'h',"
                + " 60, now())")
        .param("d", id)
        .update();
  }

  @Test
  void aCallMadeWhileAnAgentWaitsIsLeasedToItsSpotAndHandedToItAtOnce() throws Exception {
    deployment(account, "echo");
    UUID spot = spot(account);
    var parked = queue.park(account, spot);

    var made = queue.enqueueRun(UUID.randomUUID(), account, "echo", "{\"n\": \"1\"}", 3);

    assertThat(made).isPresent();
    assertThat(made.get().handedToSpot()).isTrue();
    List<ClaimedExecution> given = parked.given().get(1, TimeUnit.SECONDS);
    assertThat(given).extracting(ClaimedExecution::id).containsExactly(made.get().id());
    assertThat(given.getFirst().attempt()).isEqualTo(1);
    assertThat(given.getFirst().code()).contains("def main");
    assertThat(given.getFirst().argsJson()).contains("\"n\"");
    assertThat(parked.withdraw()).as("already taken").isFalse();
    ExecutionRow r = row(made.get().id());
    assertThat(r.status()).isEqualTo(Started);
    assertThat(r.leaseOwner()).isEqualTo(spot);
    assertThat(r.attempts()).isEqualTo(1);
    // and the call is the spot's like any claimed one: its result is taken
    assertThat(queue.complete(spot, List.of(success(given.getFirst()))))
        .containsExactly(made.get().id());
  }

  /**
   * A queue whose transactions run {@code beforeCommit} after their statement (and hand-over), on
   * the inserting thread, before committing.
   */
  ExecutionQueue queueWithHookBeforeCommit(Runnable beforeCommit) {
    org.springframework.transaction.support.TransactionOperations hooked =
        new org.springframework.transaction.support.TransactionOperations() {
          @Override
          public <T> T execute(
              org.springframework.transaction.support.TransactionCallback<T> action) {
            return tx.execute(
                status -> {
                  T result = action.doInTransaction(status);
                  beforeCommit.run();
                  return result;
                });
          }
        };
    return new ExecutionQueue(jdbc, hooked, clock, new Wakeups(), queue.settings());
  }

  /** Rows of the id, counted on a connection of its own (outside any transaction). */
  long committedRows(UUID id) {
    try (Connection c = dataSource.getConnection();
        var st = c.prepareStatement("SELECT count(*) FROM executions WHERE id = ?")) {
      st.setObject(1, id);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aStreamsWaitingAgentGetsTheCallBeforeItsInsertCommitsAndItsResultWaitsForTheCommit()
      throws Exception {
    deployment(account, "echo");
    UUID spot = spot(account);
    UUID id = UUID.randomUUID();
    ExecutorService agent = Executors.newSingleThreadExecutor();
    List<Future<Set<UUID>>> reported = new ArrayList<>();
    List<Boolean> seenBeforeCommit = new ArrayList<>();
    var holder =
        new Object() {
          ExecutionQueue q;
          ParkedClaims.ParkedClaim parked;
        };
    holder.q =
        queueWithHookBeforeCommit(
            () -> {
              try {
                // The call is with the agent already, its row not yet visible to anyone else.
                List<ClaimedExecution> given = holder.parked.given().get(1, TimeUnit.SECONDS);
                assertThat(given).extracting(ClaimedExecution::id).containsExactly(id);
                assertThat(committedRows(id)).isZero();
                assertThat(holder.q.uncommittedHandOvers()).isEqualTo(1);
                // The agent reports at once; the report waits for the commit.
                reported.add(
                    agent.submit(
                        () -> holder.q.complete(spot, List.of(success(given.getFirst())))));
                Thread.sleep(300);
                seenBeforeCommit.add(reported.getFirst().isDone());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    holder.parked = holder.q.parkReportingHere(account, spot);
    try {
      var made = holder.q.enqueueRun(id, account, "echo", "{}", 3).orElseThrow();

      assertThat(made.handedToSpot()).isTrue();
      assertThat(seenBeforeCommit)
          .as("the report finished before the commit")
          .containsExactly(false);
      assertThat(reported.getFirst().get(5, TimeUnit.SECONDS)).containsExactly(id);
      assertThat(row(id).status()).isEqualTo(Success);
      assertThat(holder.q.uncommittedHandOvers()).isZero();
    } finally {
      agent.shutdownNow();
    }
  }

  @Test
  void aPollThatReportsOverOtherRequestsGetsTheCallOnlyOnceItsInsertIsCommitted() throws Exception {
    deployment(account, "echo");
    UUID spot = spot(account);
    var parked = queue.park(account, spot);
    // Counted the moment the call is given, on the thread that gives it.
    var rowsWhenGiven = parked.given().thenApply(given -> committedRows(given.getFirst().id()));

    var made = queue.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();

    assertThat(made.handedToSpot()).isTrue();
    assertThat(rowsWhenGiven.get(1, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(queue.uncommittedHandOvers()).isZero();
  }

  @Test
  void executionIdsSortInPostgresInTheOrderTheyWereMade() {
    // A millisecond apart, then steps that carry into every byte of the time.
    long start = System.currentTimeMillis();
    List<UUID> made = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      made.add(ExecutionId.at(start + i + (1L << i)));
    }
    List<UUID> shuffled = new ArrayList<>(made);
    Collections.shuffle(shuffled, new java.util.Random(7));
    for (UUID id : shuffled) {
      queue.enqueue(call(account, id));
    }

    List<UUID> sorted =
        jdbc.sql("SELECT id FROM executions WHERE id = ANY(:ids::uuid[]) ORDER BY id")
            .param("ids", made.stream().map(UUID::toString).toArray(String[]::new))
            .query(UUID.class)
            .list();

    assertThat(sorted).containsExactlyElementsOf(made);
  }

  @Test
  void aCallWhoseInsertFailsToCommitAfterItsHandOverLeavesNoRowAndItsResultIsRefused()
      throws Exception {
    deployment(account, "echo");
    UUID spot = spot(account);
    UUID id = UUID.randomUUID();
    ExecutionQueue q =
        queueWithHookBeforeCommit(
            () -> {
              throw new IllegalStateException("the database went away");
            });
    var parked = q.parkReportingHere(account, spot);

    assertThatThrownBy(() -> q.enqueueRun(id, account, "echo", "{}", 3))
        .hasMessageContaining("went away");

    // The agent has the call (it may have run it), but there is no row, and its result is refused.
    List<ClaimedExecution> given = parked.given().get(1, TimeUnit.SECONDS);
    assertThat(given).extracting(ClaimedExecution::id).containsExactly(id);
    assertThat(committedRows(id)).isZero();
    assertThat(q.uncommittedHandOvers()).isZero();
    assertThat(q.complete(spot, List.of(success(given.getFirst())))).isEmpty();
  }

  @Test
  void aHandBackOfACallWhoseInsertIsStillCommittingWaitsForItAndRequeuesTheCall() throws Exception {
    deployment(account, "echo");
    UUID spot = spot(account);
    UUID id = UUID.randomUUID();
    ExecutorService agent = Executors.newSingleThreadExecutor();
    List<Future<Set<UUID>>> handedBack = new ArrayList<>();
    var holder =
        new Object() {
          ExecutionQueue q;
        };
    holder.q =
        queueWithHookBeforeCommit(
            () -> {
              // The stream could not send the call: it hands it back before the insert commits.
              handedBack.add(agent.submit(() -> holder.q.handBack(spot, List.of(id))));
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    holder.q.parkReportingHere(account, spot);
    try {
      holder.q.enqueueRun(id, account, "echo", "{}", 3).orElseThrow();

      assertThat(handedBack.getFirst().get(5, TimeUnit.SECONDS)).containsExactly(id);
      assertThat(row(id).status()).isEqualTo(Pending);
      assertThat(row(id).attempts()).isZero();
    } finally {
      agent.shutdownNow();
    }
  }

  @Test
  void aHeartbeatNamingACallWithNoRowReportsItInNoListAndAFinishedOneLost() {
    UUID spot = spot(account);
    UUID finished = queue.enqueue(call(account));
    ClaimedExecution c = queue.claim(account, spot, 1).getFirst();
    queue.complete(spot, List.of(success(c)));
    UUID unknown = UUID.randomUUID();

    LeaseRenewal renewal = queue.renewLeases(spot, List.of(unknown, finished));

    assertThat(renewal.extended()).isEmpty();
    assertThat(renewal.cancelled()).isEmpty();
    assertThat(renewal.lost()).containsExactly(finished);
  }

  @Test
  void aCallIsQueuedWhenNoAgentWaitsOrTheWaitingOnesSpotIsNoLongerReady() throws Exception {
    deployment(account, "echo");
    var none = queue.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();
    assertThat(none.handedToSpot()).isFalse();
    assertThat(row(none.id()).status()).isEqualTo(Pending);

    UUID spot = spot(account);
    jdbc.sql("UPDATE spots SET state = 'Draining' WHERE id = :id").param("id", spot).update();
    var parked = queue.park(account, spot);
    var made = queue.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();

    assertThat(made.handedToSpot()).isFalse();
    assertThat(parked.given().get(1, TimeUnit.SECONDS)).isEmpty();
    assertThat(row(made.id()).status()).isEqualTo(Pending);
    assertThat(row(made.id()).attempts()).isZero();
  }

  @Test
  void aWithdrawnWaitGetsNothingAndAnotherAccountsCallIsNotHandedToIt() throws Exception {
    deployment(account, "echo");
    deployment(otherAccount, "echo");
    UUID spot = spot(account);
    var parked = queue.park(account, spot);

    var others = queue.enqueueRun(UUID.randomUUID(), otherAccount, "echo", "{}", 3);
    assertThat(others.orElseThrow().handedToSpot()).isFalse();
    assertThat(parked.given()).isNotDone();

    assertThat(parked.withdraw()).isTrue();
    var made = queue.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3).orElseThrow();
    assertThat(made.handedToSpot()).isFalse();
    assertThat(parked.given()).isNotDone();
  }

  @Test
  void aCallOfAnUnknownDeploymentInsertsNothing() {
    UUID spot = spot(account);
    var parked = queue.park(account, spot);

    assertThat(queue.enqueueRun(UUID.randomUUID(), account, "nope", "{}", 3)).isEmpty();

    assertThat(parked.given()).isCompletedWithValue(List.of());
    assertThat(jdbc.sql("SELECT count(*) FROM executions").query(Long.class).single()).isZero();
  }

  @Test
  void aNodeAloneSendsNoNotificationsAndStartsOnceAnotherNodeListens() throws Exception {
    Wakeups nodeA = new Wakeups();
    Wakeups nodeB = new Wakeups();
    var listenerA = new io.faaspot.scheduler.wakeup.PostgresNotificationListener(dataSource, nodeA);
    listenerA.start();
    try {
      awaitPeers(nodeA, false);
      var listenerB =
          new io.faaspot.scheduler.wakeup.PostgresNotificationListener(dataSource, nodeB);
      listenerB.start();
      try {
        awaitPeers(nodeA, true);
        awaitPeers(nodeB, true);
      } finally {
        listenerB.close();
      }
      awaitPeers(nodeA, false);
    } finally {
      listenerA.close();
    }
  }

  private static void awaitPeers(Wakeups node, boolean expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (node.peers() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("peers() did not become " + expected);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void concurrentCallsAreEachInsertedOnceAndSettledWithTheirOwnOutcome() throws Exception {
    // given two accounts' deployments, and three agents of the first waiting for work
    deployment(account, "echo");
    deployment(otherAccount, "echo");
    UUID spot = spot(account);
    List<ParkedClaims.ParkedClaim> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(queue.park(account, spot));
    }

    // when 400 calls are made at once from 16 threads, a tenth of them naming no deployment
    int n = 400;
    Map<UUID, java.util.Optional<ExecutionQueue.EnqueuedRun>> made = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      done.add(
          pool.submit(
              () -> {
                go.await();
                UUID id = UUID.randomUUID();
                long who = k % 2 == 0 ? account : otherAccount;
                String name = k % 10 == 0 ? "missing" : "echo";
                made.put(id, queue.enqueueRun(id, who, name, "{\"k\": \"" + k + "\"}", 3));
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    // then each call got its own answer, and the rows are exactly the answered ones
    long inserted = made.values().stream().filter(java.util.Optional::isPresent).count();
    assertThat(made).hasSize(n);
    assertThat(inserted).isEqualTo(n - n / 10);
    made.forEach((id, r) -> r.ifPresent(run -> assertThat(run.id()).isEqualTo(id)));
    assertThat(jdbc.sql("SELECT count(*) FROM executions").query(Long.class).single())
        .isEqualTo(inserted);
    // and each waiting agent was settled: handed at most one call of its own account, leased to
    // its spot (or nothing, when the call it was taken for named no deployment: it looks again)
    int handedOver = 0;
    for (var w : waiting) {
      List<ClaimedExecution> given = w.given().get(10, TimeUnit.SECONDS);
      assertThat(given).hasSizeLessThanOrEqualTo(1);
      for (ClaimedExecution c : given) {
        ExecutionRow r = row(c.id());
        assertThat(r.status()).isEqualTo(Started);
        assertThat(r.leaseOwner()).isEqualTo(spot);
        handedOver++;
      }
    }
    long handed =
        made.values().stream()
            .flatMap(java.util.Optional::stream)
            .filter(ExecutionQueue.EnqueuedRun::handedToSpot)
            .count();
    assertThat(handed).isEqualTo(handedOver);
    // and the rest are queued, every one claimable exactly once
    List<ClaimedExecution> claimed = new ArrayList<>(queue.claim(account, spot, 1000));
    UUID other = spot(otherAccount);
    claimed.addAll(queue.claim(otherAccount, other, 1000));
    assertThat(claimed).hasSize((int) (inserted - handed));
    assertThat(claimed.stream().map(ClaimedExecution::id).distinct().count())
        .isEqualTo(inserted - handed);
  }

  @Test
  void aCallMadeWhileAnotherIsBeingInsertedIsInsertedAsSoonAsThatInsertEnds() throws Exception {
    // given a queue whose waiting calls would look again by themselves only after a minute
    ExecutionQueue q =
        new ExecutionQueue(
            jdbc,
            tx,
            clock,
            new Wakeups(),
            queue.settings(),
            QueueWrites.NONE,
            Duration.ofMinutes(1),
            ExecutionQueue.FRONT_SCAN_EVERY);
    deployment(account, "echo");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (java.sql.Connection lock = dataSource.getConnection()) {
      // and a first call whose insert is held up: its check of the deployment waits for this lock
      lock.setAutoCommit(false);
      try (var st = lock.createStatement()) {
        st.execute("SELECT id FROM deployments WHERE account_id = " + account + " FOR UPDATE");
      }
      Future<java.util.Optional<ExecutionQueue.EnqueuedRun>> first =
          pool.submit(() -> q.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3));
      awaitUntil(
          () ->
              jdbc.sql("SELECT count(*) FROM pg_locks WHERE NOT granted").query(Long.class).single()
                  > 0);

      // when a second call is made while that insert runs, and then the insert goes on
      Future<java.util.Optional<ExecutionQueue.EnqueuedRun>> second =
          pool.submit(() -> q.enqueueRun(UUID.randomUUID(), account, "echo", "{}", 3));
      awaitUntil(() -> q.waitingRuns() == 1);
      Thread.sleep(100); // into its wait
      assertThat(second).isNotDone();
      lock.rollback();

      // then the second is inserted right after the first, not when it would look again
      assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(second.get(10, TimeUnit.SECONDS)).isPresent();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anOutcomeReportedAloneIsRecordedAsTheSameOutcomeReportedInABatch() {
    // given three claimed calls (one outcome alone and a batch take different statement forms)
    queue.enqueueAll(calls(account, 3));
    UUID spot = spot(account);
    List<ClaimedExecution> c = queue.claim(account, spot, 3);
    Instant ran = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusMillis(5);
    java.util.function.Function<ClaimedExecution, Outcome> outcome =
        x -> new Outcome(x.id(), x.attempt(), Failure, "{\"e\": 1}", "out", ran, ran.plusMillis(2));

    // when the first is reported alone and the other two together
    Set<UUID> alone = queue.complete(spot, List.of(outcome.apply(c.get(0))));
    Set<UUID> batch =
        queue.complete(spot, List.of(outcome.apply(c.get(1)), outcome.apply(c.get(2))));

    // then each is taken and recorded alike
    assertThat(alone).containsExactly(c.get(0).id());
    assertThat(batch).containsExactlyInAnyOrder(c.get(1).id(), c.get(2).id());
    for (ClaimedExecution x : c) {
      ExecutionRow r = row(x.id());
      assertThat(r.status()).isEqualTo(Failure);
      assertThat(r.outputJson()).isEqualTo("{\"e\": 1}");
      assertThat(r.logs()).isEqualTo("out");
      assertThat(r.runStartedAt()).isEqualTo(ran);
      assertThat(r.runFinishedAt()).isEqualTo(ran.plusMillis(2));
      assertThat(r.leaseOwner()).isNull();
      assertThat(r.finishedAt()).isNotNull();
    }
    // and a second report of the one alone is refused, as it would be in a batch
    assertThat(queue.complete(spot, List.of(outcome.apply(c.get(0))))).isEmpty();
  }

  @Test
  void aCallInsertedAloneIsRecordedAsTheSameCallInsertedInABatch() throws Exception {
    // given a first call whose insert is held up, so that the next two share one statement
    deployment(account, "echo");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();
    try (java.sql.Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(false);
      try (var st = lock.createStatement()) {
        st.execute("SELECT id FROM deployments WHERE account_id = " + account + " FOR UPDATE");
      }
      var alone = pool.submit(() -> queue.enqueueRun(first, account, "echo", "{\"k\": 1}", 3));
      awaitUntil(
          () ->
              jdbc.sql("SELECT count(*) FROM pg_locks WHERE NOT granted").query(Long.class).single()
                  > 0);
      clock.advance(Duration.ofMillis(1));
      var b1 = pool.submit(() -> queue.enqueueRun(second, account, "echo", "{\"k\": 1}", 3));
      awaitUntil(() -> queue.waitingRuns() == 1);
      var b2 = pool.submit(() -> queue.enqueueRun(third, account, "echo", "{\"k\": 1}", 3));
      awaitUntil(() -> queue.waitingRuns() == 2);

      // when the insert goes on
      lock.rollback();

      // then all three are made, alike, and queued in the order they were made
      assertThat(alone.get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(b1.get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(b2.get(10, TimeUnit.SECONDS)).isPresent();
    } finally {
      pool.shutdownNow();
    }
    for (UUID id : List.of(first, second, third)) {
      ExecutionRow r = row(id);
      assertThat(r.kind()).isEqualTo(ExecutionKind.RUN_DEPLOYMENT);
      assertThat(r.deploymentName()).isEqualTo("echo");
      assertThat(r.deploymentVersion()).isEqualTo(1);
      assertThat(r.argsJson()).isEqualTo("{\"k\": 1}");
      assertThat(r.status()).isEqualTo(Pending);
      assertThat(r.attempts()).isZero();
      assertThat(r.maxAttempts()).isEqualTo(3);
    }
    assertThat(queue.claim(account, spot(account), 3).stream().map(ClaimedExecution::id).toList())
        .containsExactly(first, second, third);
  }

  /**
   * A queue whose claims, once they have a floor, read from it for a minute before they look at the
   * front of the queue again: only what this node knows moves a floor down.
   */
  ExecutionQueue queueKeepingFloorsFor(Duration frontScanEvery) {
    return new ExecutionQueue(
        jdbc,
        tx,
        clock,
        new Wakeups(),
        queue.settings(),
        QueueWrites.NONE,
        Duration.ofMillis(100),
        frontScanEvery);
  }

  /**
   * Two calls made further apart than the margin kept below a floor while other nodes may share the
   * database, each claimed by its own claim: the second claim's floor is above the first call.
   */
  List<UUID> twoCallsClaimedOneByOne(ExecutionQueue q, UUID spot) {
    UUID first = q.enqueue(call(account));
    clock.advance(ExecutionQueue.PEER_MARGIN.multipliedBy(2));
    UUID second = q.enqueue(call(account));
    assertThat(q.claim(account, spot, 1)).extracting(ClaimedExecution::id).containsExactly(first);
    assertThat(q.claim(account, spot, 1)).extracting(ClaimedExecution::id).containsExactly(second);
    return List.of(first, second);
  }

  @Test
  void aClaimReadsFromItsFloorPastTheIndexEntriesOfTheCallsClaimedBeforeIt() {
    // given 10,000 calls claimed, whose entries in the queue's index are dead until a vacuum
    ExecutionQueue q = queueKeepingFloorsFor(Duration.ofMinutes(1));
    UUID spot = spot(account);
    q.enqueueAll(calls(account, 10_000));
    UUID lastOld = null;
    for (int i = 0; i < 10; i++) {
      List<ClaimedExecution> c = q.claim(account, spot, 1_000);
      assertThat(c).hasSize(1_000);
      lastOld = c.getLast().id();
    }
    // and 32 calls made later (further than the margin kept while other nodes may be there),
    // the first 16 taken by a claim
    clock.advance(ExecutionQueue.PEER_MARGIN.multipliedBy(2));
    q.enqueueAll(calls(account, 32));
    List<ClaimedExecution> taken = q.claim(account, spot, 16);

    // then the next claim's floor lies between the calls claimed before and those it took
    Instant floor = q.claimFloor(account);
    assertThat(floor)
        .isAfter(row(lastOld).createdAt())
        .isBeforeOrEqualTo(row(taken.getFirst().id()).createdAt());
    // and a claim from it reads a few pages of the index where one from the front reads them all
    long fromFloor = claimIndexBuffers(floor);
    long fromFront = claimIndexBuffers(Instant.EPOCH);
    assertThat(fromFront).isGreaterThan(5 * fromFloor);
  }

  /**
   * The buffers the claim statement's scan of {@code executions_claim} reads, from {@code from}.
   */
  long claimIndexBuffers(Instant from) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<String> plan =
        jdbc.sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + ExecutionQueue.CLAIM)
            .param("account", account)
            .param("kinds", ExecutionQueue.AGENT_KINDS)
            .param("max", 8)
            .param("spot", spot(account))
            .param("from", from.atOffset(ZoneOffset.UTC))
            .param("lease_end", now.plus(LEASE))
            .param("now", now)
            .query(String.class)
            .list();
    for (int i = 0; i < plan.size(); i++) {
      if (plan.get(i).contains("Index Scan using executions_claim")) {
        for (int j = i + 1; j < plan.size(); j++) {
          Matcher m =
              Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?").matcher(plan.get(j));
          if (m.find()) {
            return Long.parseLong(m.group(1))
                + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
          }
        }
      }
    }
    throw new AssertionError("no scan of executions_claim in\n" + String.join("\n", plan));
  }

  @Test
  void aCallHandedBackBelowTheClaimFloorIsClaimedAgainAtOnce() {
    ExecutionQueue q = queueKeepingFloorsFor(Duration.ofMinutes(1));
    UUID spot = spot(account);
    UUID first = twoCallsClaimedOneByOne(q, spot).getFirst();

    q.handBack(spot, List.of(first));

    assertThat(q.claim(account, spot, 10)).extracting(ClaimedExecution::id).containsExactly(first);
  }

  @Test
  void aCallRequeuedByTheReaperBelowTheClaimFloorIsClaimedAgainAtOnce() {
    ExecutionQueue q = queueKeepingFloorsFor(Duration.ofMinutes(1));
    UUID spot = spot(account);
    List<UUID> both = twoCallsClaimedOneByOne(q, spot);
    clock.advance(LEASE.plusSeconds(1));

    q.reapExpiredLeases();

    assertThat(q.claim(account, spot, 10))
        .extracting(ClaimedExecution::id)
        .containsExactlyElementsOf(both);
  }

  @Test
  void aCallWhoseInsertCommitsAfterALaterCallWasClaimedIsStillClaimed() throws Exception {
    ExecutionQueue q = queueKeepingFloorsFor(Duration.ofMinutes(1));
    UUID spot = spot(account);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      UUID[] early = new UUID[1];
      tx.executeWithoutResult(
          status -> {
            // given a call inserted in a transaction still open
            early[0] = q.enqueue(call(account));
            try {
              // when a later call is made and claimed meanwhile, by another connection
              clock.advance(ExecutionQueue.PEER_MARGIN.multipliedBy(2));
              List<ClaimedExecution> meanwhile =
                  other
                      .submit(
                          () -> {
                            UUID later = q.enqueue(call(account));
                            List<ClaimedExecution> c = q.claim(account, spot, 10);
                            assertThat(c).extracting(ClaimedExecution::id).containsExactly(later);
                            return c;
                          })
                      .get(10, TimeUnit.SECONDS);
              assertThat(meanwhile).hasSize(1);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });

      // then the earlier call, committed now, is claimed by the next claim
      assertThat(q.claim(account, spot, 10))
          .extracting(ClaimedExecution::id)
          .containsExactly(early[0]);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aCallRequeuedByAnotherNodeBelowTheFloorWaitsOnlyUntilTheNextClaimFromTheFront()
      throws Exception {
    Duration frontScanEvery = Duration.ofMillis(300);
    ExecutionQueue nodeA = queueKeepingFloorsFor(frontScanEvery);
    ExecutionQueue nodeB = queueKeepingFloorsFor(frontScanEvery);
    UUID spot = spot(account);
    long before = System.nanoTime();
    UUID first = twoCallsClaimedOneByOne(nodeA, spot).getFirst();

    // given the first call handed back through the other node, which node A does not hear of
    nodeB.handBack(spot, List.of(first));

    List<ClaimedExecution> claimed = nodeA.claim(account, spot, 10);
    if (System.nanoTime() - before < frontScanEvery.toNanos()) {
      // then node A's claims, reading from their floor, do not see it within the interval
      assertThat(claimed).isEmpty();
      Thread.sleep(frontScanEvery.toMillis());
      claimed = nodeA.claim(account, spot, 10);
    }
    // and one of them, reading from the front once the interval has passed, takes it
    assertThat(claimed).extracting(ClaimedExecution::id).containsExactly(first);
  }

  static void awaitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
