-- Claims and results under a burst: each statement reads the rows it changes, not the queue.
--
-- Claim: the account's oldest pending work, read in the index's own order, so that a claim reads
-- the rows it takes (and those of other kinds in between) and stops. With the kind in the key, a
-- claim of the two agent kinds (function calls, deployment builds) read every pending row of the
-- account and sorted them, so each claim cost more the longer the queue: 9 ms for 16 calls behind
-- 15,000 queued ones, against 0.1 ms in this order. The index is partial (pending rows only), so
-- it stays small and builds quickly.
DROP INDEX executions_claim;
CREATE INDEX executions_claim ON executions (account_id, created_at) WHERE status = 'Pending';

-- Listing an account's unfinished executions now reads the pending ones from executions_claim and
-- the started ones from this index. One index over both let claims walk the started rows (and the
-- dead entries of every call finished since the last vacuum) in front of the pending ones: the
-- planner, whose statistics are taken between bursts, sees no unfinished row and no difference.
DROP INDEX executions_account_unfinished;
CREATE INDEX executions_account_started ON executions (account_id, created_at DESC)
    WHERE status = 'Started';
