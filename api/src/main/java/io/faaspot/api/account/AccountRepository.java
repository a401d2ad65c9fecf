package io.faaspot.api.account;

import io.faaspot.api.store.Sql;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The accounts' rows. An {@link Account}'s verbs change only the object: a change is kept when
 * {@link #update} writes it, guarded by the row's version.
 */
@Repository
public class AccountRepository {
  private final JdbcClient jdbc;

  AccountRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Account> findById(long id) {
    return jdbc.sql("select * from accounts where id = ?")
        .param(id)
        .query(Account::read)
        .optional();
  }

  /**
   * The account locked ({@code for update}) until the transaction ends: changes to its spot count
   * and worker bounds must not interleave.
   */
  public Optional<Account> lockById(long id) {
    return jdbc.sql("select * from accounts where id = ? for update")
        .param(id)
        .query(Account::read)
        .optional();
  }

  Optional<Account> findByUsername(String username) {
    return jdbc.sql("select * from accounts where username = ?")
        .param(username)
        .query(Account::read)
        .optional();
  }

  /** The first admin account, if one was made. */
  Optional<Account> firstAdmin() {
    return jdbc.sql("select * from accounts where admin order by id limit 1")
        .query(Account::read)
        .optional();
  }

  /** Every account, oldest first. */
  List<Account> all() {
    return jdbc.sql("select * from accounts order by id").query(Account::read).list();
  }

  /** Every account, by username. */
  List<Account> allByUsername() {
    return jdbc.sql("select * from accounts order by username").query(Account::read).list();
  }

  /** Stores a new account; the database gives it its id. */
  Account insert(Account account) {
    long id =
        jdbc.sql(
                "insert into accounts (username, password_hash, admin, desired_spots,"
                    + " min_workers, max_workers, created_at, autoscale, min_spots, max_spots,"
                    + " idle_minutes, budget_per_day, version) values (:username,"
                    + " :password_hash, :admin, :desired_spots, :min_workers, :max_workers,"
                    + " :created_at, :autoscale, :min_spots, :max_spots, :idle_minutes,"
                    + " :budget_per_day, :version) returning id")
            .params(account.columns())
            .query(Long.class)
            .single();
    account.inserted(id);
    return account;
  }

  /**
   * Keeps the account's changes; fails if another transaction changed its row since it was read.
   */
  public Account update(Account account) {
    int rows =
        jdbc.sql(
                "update accounts set password_hash = :password_hash, admin = :admin,"
                    + " desired_spots = :desired_spots, min_workers = :min_workers,"
                    + " max_workers = :max_workers, autoscale = :autoscale,"
                    + " min_spots = :min_spots, max_spots = :max_spots,"
                    + " idle_minutes = :idle_minutes, budget_per_day = :budget_per_day,"
                    + " version = version + 1 where id = :id and version = :version")
            .params(account.columns())
            .update();
    Sql.updatedOne(rows, "account", account.id());
    account.rowUpdated();
    return account;
  }
}
