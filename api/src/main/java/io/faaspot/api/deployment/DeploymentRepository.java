package io.faaspot.api.deployment;

import io.faaspot.api.store.Sql;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The deployments' rows. A {@link Deployment}'s verbs change only the object: a change is kept when
 * {@link #update} writes it, guarded by the row's version.
 */
@Repository
class DeploymentRepository {
  private final JdbcClient jdbc;

  DeploymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Deployment> findByAccountIdAndName(long accountId, String name) {
    return jdbc.sql("select * from deployments where account_id = ? and name = ?")
        .params(accountId, name)
        .query(Deployment::read)
        .optional();
  }

  boolean existsByAccountIdAndName(long accountId, String name) {
    return jdbc.sql("select exists (select 1 from deployments where account_id = ? and name = ?)")
        .params(accountId, name)
        .query(Boolean.class)
        .single();
  }

  /** The account's deployments by name. */
  List<Deployment> ofAccount(long accountId) {
    return jdbc.sql("select * from deployments where account_id = ? order by name")
        .param(accountId)
        .query(Deployment::read)
        .list();
  }

  /** Stores a new deployment; the database gives it its id. */
  Deployment insert(Deployment d) {
    long id =
        jdbc.sql(
                "insert into deployments (account_id, name, current_version, created_at,"
                    + " updated_at, version) values (:account_id, :name, :current_version,"
                    + " :created_at, :updated_at, :version) returning id")
            .params(d.columns())
            .query(Long.class)
            .single();
    d.inserted(id);
    return d;
  }

  /**
   * Keeps the deployment's changes; fails if another transaction changed its row since it was read.
   */
  Deployment update(Deployment d) {
    int rows =
        jdbc.sql(
                "update deployments set name = :name, current_version = :current_version,"
                    + " updated_at = :updated_at, version = version + 1"
                    + " where id = :id and version = :version")
            .params(d.columns())
            .update();
    Sql.updatedOne(rows, "deployment", d.id());
    d.rowUpdated();
    return d;
  }

  /** Deletes it; its versions go with it (on delete cascade). */
  void delete(Deployment d) {
    jdbc.sql("delete from deployments where id = ?").param(d.id()).update();
  }
}
