-- FaaSpot schema, version 1. Every instant is timestamptz; every predicate that a poller or
-- the reaper runs repeatedly has an index in this file.

CREATE TABLE accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text,                       -- bcrypt; null when the account uses tokens only
    admin         boolean     NOT NULL DEFAULT false,
    desired_spots integer     NOT NULL DEFAULT 0 CHECK (desired_spots >= 0),
    min_workers   integer     NOT NULL DEFAULT 1 CHECK (min_workers >= 0),
    max_workers   integer     NOT NULL DEFAULT 4 CHECK (max_workers >= 1),
    created_at    timestamptz NOT NULL,
    version       bigint      NOT NULL DEFAULT 0,
    CHECK (min_workers <= max_workers)
);

-- Tokens are stored only as SHA-256 digests of the random secret handed to the user.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash   bytea       NOT NULL UNIQUE,
    label        text,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE deployments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    current_version integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL DEFAULT 0,
    UNIQUE (account_id, name)
);

-- One row per version of a deployment: an execution runs exactly the version it was created for.
CREATE TABLE deployment_versions (
    deployment_id     bigint      NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    version           integer     NOT NULL,
    code              text        NOT NULL,
    requirements      text        NOT NULL,
    context           text        NOT NULL,
    requirements_hash text        NOT NULL,
    timeout_seconds   integer     NOT NULL CHECK (timeout_seconds > 0),
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, version)
);

CREATE TABLE spots (
    id                       uuid PRIMARY KEY,
    account_id               bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state                    text        NOT NULL,
    provider                 text        NOT NULL,
    instance_id              text,
    ip                       text,
    availability_zone        text,
    instance_type            text,
    registration_secret_hash bytea UNIQUE,  -- one-time; cleared when the agent registers
    registration_expires_at  timestamptz,
    last_heartbeat_at        timestamptz,
    created_at               timestamptz NOT NULL,
    ready_at                 timestamptz,
    terminated_at            timestamptz,
    version                  bigint      NOT NULL DEFAULT 0
);
CREATE INDEX spots_account_live ON spots (account_id, created_at) WHERE state <> 'Terminated';
-- The reconciler looks for live spots whose agent stopped heartbeating.
CREATE INDEX spots_heartbeat ON spots (last_heartbeat_at) WHERE state IN ('Ready', 'Draining');

-- An agent's credential, issued once at registration in exchange for the spot's one-time secret.
CREATE TABLE spot_agents (
    id              uuid PRIMARY KEY,
    spot_id         uuid        NOT NULL REFERENCES spots (id) ON DELETE CASCADE,
    credential_hash bytea       NOT NULL UNIQUE,
    agent_version   text,
    python_version  text,
    hostname        text,
    registered_at   timestamptz NOT NULL,
    revoked_at      timestamptz
);
CREATE INDEX spot_agents_spot ON spot_agents (spot_id);

CREATE TABLE executions (
    id                 uuid PRIMARY KEY,
    account_id         bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind               text        NOT NULL,          -- e.g. tasks.run_deployment
    deployment_id      bigint REFERENCES deployments (id) ON DELETE SET NULL,
    deployment_name    text,
    deployment_version integer,
    spot_id            uuid,                          -- the spot it ran on, or the spot a spot task is about
    args               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status             text        NOT NULL,
    output             jsonb,
    logs               text,
    attempts           integer     NOT NULL DEFAULT 0,
    max_attempts       integer     NOT NULL CHECK (max_attempts >= 1),
    lease_owner        uuid,
    lease_expires_at   timestamptz,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    version            bigint      NOT NULL DEFAULT 0,
    CHECK (status IN ('Pending', 'Started', 'Success', 'Failure', 'Cancelled'))
);
-- Claim: oldest pending work of one account and kind.
CREATE INDEX executions_claim ON executions (account_id, kind, created_at) WHERE status = 'Pending';
-- Reaper: started executions whose lease ran out.
CREATE INDEX executions_lease_expiry ON executions (lease_expires_at) WHERE status = 'Started';
-- Heartbeats and spot loss: what a spot holds.
CREATE INDEX executions_lease_owner ON executions (lease_owner) WHERE lease_owner IS NOT NULL;
-- Listing an account's executions, newest first, all or unfinished only.
CREATE INDEX executions_account_created ON executions (account_id, created_at DESC);
CREATE INDEX executions_account_unfinished ON executions (account_id, created_at DESC)
    WHERE status IN ('Pending', 'Started');
CREATE INDEX executions_deployment ON executions (deployment_id, created_at DESC);
