-- Claim: the account's oldest pending work, read in the index's own order, so that a claim reads
-- the rows it takes (and those of other kinds in between) and stops. With the kind in the key, a
-- claim of the two agent kinds (function calls, deployment builds) read every pending row of the
-- account and sorted them, so each claim cost more the longer the queue: 9 ms for 16 calls behind
-- 15,000 queued ones, against 0.1 ms in this order. The index is partial (pending rows only), so
-- it stays small and builds quickly.
DROP INDEX executions_claim;
CREATE INDEX executions_claim ON executions (account_id, created_at) WHERE status = 'Pending';
