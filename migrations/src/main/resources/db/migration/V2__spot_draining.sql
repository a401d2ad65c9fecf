-- When a spot started draining (removal, replacement): the reconciler stops it once its calls
-- have finished, or once faaspot.spots.drain-timeout has passed since this instant.
ALTER TABLE spots ADD COLUMN drain_started_at timestamptz;

-- The reconciler walks spots by state on every tick.
CREATE INDEX spots_state ON spots (state, provider) WHERE state <> 'Terminated';

-- Server-side tasks (spot changes, deployment builds waiting for a spot) by kind and status.
CREATE INDEX executions_pending_tasks ON executions (kind, created_at) WHERE status = 'Pending';
