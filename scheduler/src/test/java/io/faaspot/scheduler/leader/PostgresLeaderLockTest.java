package io.faaspot.scheduler.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.scheduler.testing.TestPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class PostgresLeaderLockTest {
  @Test
  void onlyOneNodeLeadsAndAnotherTakesOverWhenItGoes() throws Exception {
    DataSource db = TestPostgres.newDatabase();
    PostgresLeaderLock a = new PostgresLeaderLock(db, 42);
    PostgresLeaderLock b = new PostgresLeaderLock(db, 42);

    assertThat(a.isLeader()).isTrue();
    assertThat(b.isLeader()).isFalse();
    assertThat(a.isLeader()).as("leadership is kept").isTrue();

    a.close();

    assertThat(b.isLeader()).isTrue();
    assertThat(a.isLeader()).isFalse();
    b.close();
    ((AutoCloseable) db).close();
  }
}
