-- Autoscaling: each account's limits. Off for every account until it turns it on, so that pools
-- sized by hand with `spots add` behave as before. max_spots null: faaspot.spots.max-per-account.
ALTER TABLE accounts ADD COLUMN autoscale boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN min_spots integer NOT NULL DEFAULT 0 CHECK (min_spots >= 0);
ALTER TABLE accounts ADD COLUMN max_spots integer CHECK (max_spots >= 0);
ALTER TABLE accounts ADD COLUMN idle_minutes numeric(10, 3) NOT NULL DEFAULT 10 CHECK (idle_minutes >= 0);
-- In the price table's currency; null: no budget.
ALTER TABLE accounts ADD COLUMN budget_per_day numeric(12, 4) CHECK (budget_per_day >= 0);
ALTER TABLE accounts ADD CONSTRAINT accounts_spot_limits CHECK (max_spots IS NULL OR min_spots <= max_spots);

-- Spend: a spot is billed from its launch to its termination, at its spot price (hourly_price,
-- V3) and, for the comparison, at the on-demand price of its instance type at launch.
ALTER TABLE spots ADD COLUMN launched_at timestamptz;
ALTER TABLE spots ADD COLUMN on_demand_price numeric(12, 6);
-- When the spot last had work (a running call, or calls of its account waiting): scale-down
-- drains a spot idle since longer than its account's idle_minutes.
ALTER TABLE spots ADD COLUMN last_busy_at timestamptz;
-- Why a requested spot is not launched yet (the day's budget); shown by `spots list`.
ALTER TABLE spots ADD COLUMN held_reason text;

-- Costs per day read the spots an account ran in a window of time.
CREATE INDEX spots_account_launched ON spots (account_id, launched_at) WHERE launched_at IS NOT NULL;
-- The autoscaler walks the accounts that asked for it.
CREATE INDEX accounts_autoscale ON accounts (id) WHERE autoscale;

-- Spots launched before this version count from when they were ready (or asked for).
UPDATE spots SET launched_at = coalesce(ready_at, created_at) WHERE instance_id IS NOT NULL;
