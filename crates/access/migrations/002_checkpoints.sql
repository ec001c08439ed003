-- Signed checkpoints of the audit trail: the newest event's sequence number and hash at a
-- moment, signed with the server folder's ed25519 key (see checkpoint.rs). Sent to
-- partners, a checkpoint proves later that every event up to it is still in the chain.
CREATE TABLE audit_checkpoints (
    seq        INTEGER NOT NULL,   -- the newest event it covers (0: the trail was empty)
    head_hash  TEXT NOT NULL,      -- that event's hash
    at         TEXT NOT NULL,      -- RFC 3339, UTC
    key_id     TEXT NOT NULL,      -- BLAKE3 of the public key, first 16 hex digits
    public_key TEXT NOT NULL,      -- ed25519, hex
    signature  TEXT NOT NULL       -- ed25519 over the signed text, hex
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are history: make a new one instead');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are history: make a new one instead');
END;
