-- Deployment contexts (a function's secrets) are stored encrypted with AES-GCM by the server:
-- deployment_versions.context then holds 'v1:<key id>:<base64 of iv, ciphertext and tag>'. The
-- server encrypts the rows older versions left in plain text at its next start (in Java: SQL has
-- no key), so this migration only adds the key check.
--
-- The key check: a known marker encrypted with the key the contexts are encrypted with, written at
-- the first start with a key. A server started with another key cannot open it and refuses to
-- start, instead of sending agents undecryptable contexts or writing rows under a second key.
CREATE TABLE secrets_key_check (
    id          smallint    PRIMARY KEY CHECK (id = 1),  -- one row
    check_value text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
