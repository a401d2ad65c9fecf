-- Retention: finished executions older than faaspot.executions.retention are deleted in batches.
CREATE INDEX executions_finished ON executions (finished_at)
    WHERE status IN ('Success', 'Failure', 'Cancelled');
