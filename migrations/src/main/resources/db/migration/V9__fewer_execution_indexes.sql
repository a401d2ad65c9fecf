-- Fewer index entries per execution. Each call's row is written three times (queued, claimed,
-- finished), and each write adds an entry to every index whose predicate it meets: 15 entries per
-- call with the indexes before this version, 13 after it.
--
-- The started rows had three partial indexes. Two go, for one: the calls a spot holds, found by
-- its id (heartbeats' and spot loss's look-ups, draining, autoscaling). The reaper, every few
-- seconds, reads the started rows through it or through executions_account_started: there are as
-- many as the spots run at once. With the lease's end in no index, a heartbeat's renewal changes
-- no indexed column, so PostgreSQL can write it in place (a HOT update) instead of adding a row
-- version to every index.
DROP INDEX executions_lease_expiry;
DROP INDEX executions_lease_owner;
CREATE INDEX executions_started ON executions (lease_owner) WHERE status = 'Started';

-- The server's own tasks (spot changes, deployment builds waiting for a spot), pending, by kind:
-- function calls are claimed through executions_claim and never looked up here, so they no longer
-- get an entry. The queries name the excluded kind as a literal, so that the planner can use it.
DROP INDEX executions_pending_tasks;
CREATE INDEX executions_pending_tasks ON executions (kind, created_at)
    WHERE status = 'Pending' AND kind <> 'tasks.run_deployment';
