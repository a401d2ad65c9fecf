-- Inserting an execution no longer checks, and locks, its account's and deployment's rows.
--
-- With these two foreign keys every inserted row ran two more queries inside PostgreSQL (one per
-- key, `SELECT 1 ... FOR KEY SHARE`), each locking the account's or deployment's row: a lock
-- written to that row and to the write-ahead log, and, when several sessions insert for the same
-- account at once, shared between them through a multixact. In bulk that was a fifth to a
-- quarter of PostgreSQL's CPU per execution. The checks guarded nothing the server can get wrong:
-- - the account of a call is the caller's, read as it authenticated, and accounts are never
--   deleted;
-- - the deployment is joined by name in the insert itself, and deleting one sets its calls'
--   deployment_id to NULL in the same transaction (ManageDeployments.delete), as ON DELETE SET
--   NULL did. A call inserted while its deployment is being deleted may keep the deleted id; a
--   claim finds no version for it, as for NULL, and ids are never reused.
ALTER TABLE executions DROP CONSTRAINT executions_account_id_fkey;
ALTER TABLE executions DROP CONSTRAINT executions_deployment_id_fkey;
