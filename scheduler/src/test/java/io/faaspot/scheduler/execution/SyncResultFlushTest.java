package io.faaspot.scheduler.execution;

import static io.faaspot.scheduler.execution.ExecutionStatus.Success;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.faaspot.scheduler.testing.MutableClock;
import io.faaspot.scheduler.testing.TestPostgres;
import io.faaspot.scheduler.wakeup.Wakeups;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which results are committed without waiting for their flush, counted by PostgreSQL itself: the
 * write-ahead log's syncs ({@code pg_stat_wal.wal_sync}) while results are recorded, on a server of
 * its own that flushes every commit as the product's databases do (the shared test server does
 * not).
 */
class SyncResultFlushTest {
  private static final int N = 20;

  private static EmbeddedPostgres pg;
  private static HikariDataSource migrated;
  private static HikariDataSource oneConnection;
  private static JdbcClient jdbc;

  @BeforeAll
  static void startDurableServer() throws Exception {
    pg =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start();
    migrated =
        (HikariDataSource)
            TestPostgres.newDatabase(
                new TestPostgres.Server(
                    "jdbc:postgresql://localhost:" + pg.getPort() + "/", "postgres", "postgres"));
    // One backend does every statement, so that forcing its statistics out counts all it synced.
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(migrated.getJdbcUrl());
    cfg.setUsername("postgres");
    cfg.setPassword("postgres");
    cfg.setMaximumPoolSize(1);
    oneConnection = new HikariDataSource(cfg);
    jdbc = JdbcClient.create(oneConnection);
  }

  @AfterAll
  static void stop() throws Exception {
    oneConnection.close();
    migrated.close();
    pg.close();
  }

  @Test
  void resultsOfCallsWaitedForHereAreNotWaitedForTheirFlushEveryOtherResultIs() throws Exception {
    assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
    assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
    Wakeups wakeups = new Wakeups();
    ExecutionQueue queue = queue(wakeups, true);
    long account = account();
    UUID spot = spot(account);

    List<ClaimedExecution> unwaited = running(queue, account, spot);
    long syncsUnwaited = walSyncsWhile(() -> completeOneByOne(queue, spot, unwaited));

    List<ClaimedExecution> waited = running(queue, account, spot);
    List<CompletableFuture<Wakeups.Done>> waiters = new ArrayList<>();
    waited.forEach(c -> waiters.add(wakeups.completionOf(c.id())));
    long syncsWaited = walSyncsWhile(() -> completeOneByOne(queue, spot, waited));

    assertThat(syncsUnwaited).as("one flush per result nobody here waits for").isGreaterThan(N - 1);
    // The WAL writer flushes them in the background, every 200 ms at most.
    assertThat(syncsWaited).as("results of sync calls").isLessThan(N / 4);
    for (CompletableFuture<Wakeups.Done> w : waiters) {
      assertThat(w.get(5, TimeUnit.SECONDS).status()).isEqualTo(Success.name());
    }
    assertThat(new ExecutionQueries(jdbc).countByStatus(account)).containsEntry(Success, 2L * N);
  }

  @Test
  void withTheSettingOffEvenAWaitedForResultWaitsForItsFlush() {
    Wakeups wakeups = new Wakeups();
    ExecutionQueue queue = queue(wakeups, false);
    long account = account();
    UUID spot = spot(account);
    List<ClaimedExecution> waited = running(queue, account, spot);
    waited.forEach(c -> wakeups.completionOf(c.id()));

    long syncs = walSyncsWhile(() -> completeOneByOne(queue, spot, waited));

    assertThat(syncs).isGreaterThan(N - 1);
  }

  @Test
  void insideACallersTransactionAWaitedForResultWaitsForItsFlush() {
    Wakeups wakeups = new Wakeups();
    ExecutionQueue queue = queue(wakeups, true);
    TransactionTemplate tx =
        new TransactionTemplate(new DataSourceTransactionManager(oneConnection));
    long account = account();
    UUID spot = spot(account);
    List<ClaimedExecution> waited = running(queue, account, spot);
    waited.forEach(c -> wakeups.completionOf(c.id()));

    long syncs =
        walSyncsWhile(
            () ->
                waited.forEach(
                    c ->
                        tx.executeWithoutResult(
                            status -> completeOneByOne(queue, spot, List.of(c)))));

    assertThat(syncs).as("each transaction's own commit").isGreaterThan(N - 1);
  }

  private static ExecutionQueue queue(Wakeups wakeups, boolean syncResultsBeforeFlush) {
    return new ExecutionQueue(
        jdbc,
        new TransactionTemplate(new DataSourceTransactionManager(oneConnection)),
        MutableClock.startingNow(),
        wakeups,
        new QueueSettings(Duration.ofSeconds(30), 3, 1000, syncResultsBeforeFlush));
  }

  private static long account() {
    return jdbc.sql("INSERT INTO accounts (username, created_at) VALUES (:n, now()) RETURNING id")
        .param("n", "flush-" + UUID.randomUUID())
        .query(Long.class)
        .single();
  }

  private static UUID spot(long account) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO spots (id, account_id, state, provider, created_at)"
                + " VALUES (:id, :account, 'Ready', 'test', now())")
        .param("id", id)
        .param("account", account)
        .update();
    return id;
  }

  /** N calls enqueued and claimed by the spot (their own commits come before any counting). */
  private static List<ClaimedExecution> running(ExecutionQueue queue, long account, UUID spot) {
    queue.enqueueAll(ExecutionQueueContract.calls(account, N));
    List<ClaimedExecution> claimed = queue.claim(account, spot, N);
    assertThat(claimed).hasSize(N);
    return claimed;
  }

  private static void completeOneByOne(
      ExecutionQueue queue, UUID spot, List<ClaimedExecution> running) {
    for (ClaimedExecution c : running) {
      assertThat(queue.complete(spot, List.of(ExecutionQueueContract.success(c))))
          .containsExactly(c.id());
    }
  }

  /** The WAL syncs of the whole server while {@code work} runs. */
  private static long walSyncsWhile(Runnable work) {
    long before = walSyncs();
    work.run();
    return walSyncs() - before;
  }

  private static long walSyncs() {
    // The backend's pending statistics go out as it next goes idle, at once rather than within
    // the second; the next statement then reads them.
    jdbc.sql("SELECT pg_stat_force_next_flush()").query(Object.class).list();
    return jdbc.sql("SELECT wal_sync FROM pg_stat_wal").query(Long.class).single();
  }
}
