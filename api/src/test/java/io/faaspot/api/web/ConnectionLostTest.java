package io.faaspot.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which failures are the database going away (a 503 the caller retries) rather than a bug (a 500):
 * the shapes the chaos suite met when it killed the embedded PostgreSQL mid-request.
 */
class ConnectionLostTest {
  @Test
  void aRollbackThatFailedOnAConnectionThePoolClosedIsALostConnection() {
    Exception e =
        new IllegalStateException(
            "Unable to rollback against JDBC Connection", new SQLException("Connection is closed"));

    assertThat(ApiExceptionHandler.connectionLost(e)).isTrue();
  }

  @Test
  void aConnectionStateOrAShutdownStateAnywhereInTheChainIsALostConnection() {
    assertThat(
            ApiExceptionHandler.connectionLost(
                new RuntimeException(new SQLException("io", "08006"))))
        .isTrue();
    assertThat(ApiExceptionHandler.connectionLost(new SQLException("terminating", "57P01")))
        .isTrue();
  }

  @Test
  void anyOtherSqlFailureIsNot() {
    assertThat(ApiExceptionHandler.connectionLost(new SQLException("duplicate key", "23505")))
        .isFalse();
    assertThat(
            ApiExceptionHandler.connectionLost(new SQLException("Connection is closed", "42000")))
        .isFalse();
    assertThat(ApiExceptionHandler.connectionLost(new IllegalStateException("bug"))).isFalse();
  }
}
