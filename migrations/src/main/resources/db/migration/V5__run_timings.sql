-- Where the time goes: when the function itself started and finished on the spot (the agent's
-- clock), between the claim (started_at) and the recorded result (finished_at).
ALTER TABLE executions ADD COLUMN run_started_at timestamptz;
ALTER TABLE executions ADD COLUMN run_finished_at timestamptz;
