//! Signed checkpoints of the audit trail.
//!
//! The hash chain proves the order and completeness of the trail up to its newest event,
//! but it has no secret: whoever can write `access.sqlite` can cut the newest events, or
//! rewrite every event and recompute every hash, and the chain still verifies. A
//! checkpoint fixes the trail's head (the newest event's sequence number and hash) at a
//! moment, signed with an ed25519 key kept in the server folder. Sent to a partner, it
//! proves later that every event up to it is still there, unchanged: cutting the trail
//! below it or rewriting it shows, and so does a forged checkpoint.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::audit::{NewAuditEvent, head, seq_value};
use crate::event_hash::FIRST_PREV_HASH;
use crate::sql::params;
use crate::{AccessDb, AccessError, Actor, AuditAction, rfc3339};

/// The signing key's file in the server folder: the 32-byte secret seed as hex, readable
/// by its owner only. It never leaves the folder; checkpoints carry the public key.
pub const AUDIT_KEY_FILE: &str = "audit-signing.key";

/// The server's key for signing checkpoints.
pub struct AuditKey {
    signing: SigningKey,
}

impl AuditKey {
    /// The key of `server_dir`, made (from the operating system's randomness) on first
    /// use and written with permissions 0600.
    pub fn load_or_create(server_dir: &Path) -> Result<AuditKey, AccessError> {
        let path = server_dir.join(AUDIT_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Self::create(&path),
            Err(source) => Err(io("read", &path, source)),
        }
    }

    /// The key of `server_dir` if it has one (for checking checkpoints without making one).
    pub fn load(server_dir: &Path) -> Result<Option<AuditKey>, AccessError> {
        let path = server_dir.join(AUDIT_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text).map(Some),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(io("read", &path, source)),
        }
    }

    fn parse(path: &Path, text: &str) -> Result<AuditKey, AccessError> {
        let bad = |why: &str| AccessError::BadKey {
            path: path.to_path_buf(),
            why: why.to_owned(),
        };
        let bytes = hex::decode(text.trim()).map_err(|_| bad("not hexadecimal"))?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| bad("not 32 bytes long"))?;
        Ok(AuditKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    fn create(path: &Path) -> Result<AuditKey, AccessError> {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| io("create", path, e))?;
        writeln!(file, "{}", hex::encode(seed))
            .and_then(|()| file.sync_all())
            .map_err(|e| io("write", path, e))?;
        Ok(AuditKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// The public half, as hex.
    pub fn public_key(&self) -> String {
        hex::encode(self.signing.verifying_key().as_bytes())
    }

    /// A short name for the key: the first 16 hex digits of its public half's BLAKE3.
    pub fn key_id(&self) -> String {
        key_id(&self.public_key())
    }
}

fn key_id(public_key: &str) -> String {
    blake3::hash(public_key.as_bytes()).to_hex()[..16].to_owned()
}

fn io(action: &'static str, path: &Path, source: std::io::Error) -> AccessError {
    AccessError::Io {
        action,
        path: PathBuf::from(path),
        source,
    }
}

/// The audit trail's head at a moment, signed. Written and read as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The newest event it covers (0: the trail was empty).
    pub seq: u64,
    /// That event's hash.
    pub head_hash: String,
    /// When it was made (RFC 3339, UTC).
    pub at: String,
    /// The signing key's id.
    pub key_id: String,
    /// The signing key's public half, hex.
    pub public_key: String,
    /// The ed25519 signature of [`Checkpoint::signed_text`], hex.
    pub signature: String,
}

impl Checkpoint {
    /// What the signature covers: every field but the signature, one per line.
    pub fn signed_text(&self) -> String {
        format!(
            "trove audit checkpoint v1\nseq {}\nhead {}\nat {}\nkey {}\n",
            self.seq, self.head_hash, self.at, self.public_key
        )
    }

    fn signature_holds(&self) -> bool {
        let key = hex::decode(&self.public_key)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok());
        let signature = hex::decode(&self.signature)
            .ok()
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .map(|bytes| Signature::from_bytes(&bytes));
        match (key, signature) {
            (Some(key), Some(signature)) => key
                .verify(self.signed_text().as_bytes(), &signature)
                .is_ok(),
            _ => false,
        }
    }
}

/// What checking a checkpoint against the trail found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointVerdict {
    /// Every event up to the checkpoint is in the chain, unchanged.
    Holds,
    /// The signature does not verify: the checkpoint was altered or forged.
    BadSignature,
    /// It verifies, but with a key other than this server's.
    OtherKey {
        /// The key id the checkpoint names.
        key_id: String,
    },
    /// The event it covers is gone: the trail was cut below the checkpoint.
    EventMissing,
    /// The event it covers has another hash: the trail was rewritten.
    EventChanged {
        /// The hash the event has now.
        now: String,
    },
    /// The chain breaks at or before the checkpoint's event.
    ChainBroken {
        /// Where it first breaks.
        seq: u64,
    },
}

impl CheckpointVerdict {
    /// A sentence for the reader.
    pub fn describe(&self, checkpoint: &Checkpoint) -> String {
        let seq = checkpoint.seq;
        match self {
            CheckpointVerdict::Holds => {
                format!("holds: events 1 to {seq} are in the chain, unchanged")
            }
            CheckpointVerdict::BadSignature => {
                "its signature does not verify: the checkpoint was altered or forged".to_owned()
            }
            CheckpointVerdict::OtherKey { key_id } => format!(
                "signed by key {key_id}, which is not this server's: it says nothing about this trail"
            ),
            CheckpointVerdict::EventMissing => {
                format!("event {seq} is gone: the trail was cut below the checkpoint")
            }
            CheckpointVerdict::EventChanged { now } => format!(
                "event {seq} now hashes to {now}, not {}: the trail was rewritten",
                checkpoint.head_hash
            ),
            CheckpointVerdict::ChainBroken { seq: at } => {
                format!("the chain breaks at event {at}, at or before the checkpoint's {seq}")
            }
        }
    }
}

impl AccessDb {
    /// Signs the trail's head with `key`, keeps the checkpoint and records that it was
    /// made (in the same transaction, as the event after the head it covers).
    pub fn make_checkpoint(&self, key: &AuditKey, by: &Actor) -> Result<Checkpoint, AccessError> {
        self.audited(|tx| {
            let (seq, head_hash) = head(tx)?.unwrap_or((0, FIRST_PREV_HASH.to_owned()));
            let mut checkpoint = Checkpoint {
                seq,
                head_hash,
                at: rfc3339(Utc::now()),
                key_id: key.key_id(),
                public_key: key.public_key(),
                signature: String::new(),
            };
            let signature = key.signing.sign(checkpoint.signed_text().as_bytes());
            checkpoint.signature = hex::encode(signature.to_bytes());
            tx.execute(
                "INSERT INTO audit_checkpoints (seq, head_hash, at, key_id, public_key, signature)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    seq_value(checkpoint.seq)?,
                    &checkpoint.head_hash,
                    &checkpoint.at,
                    &checkpoint.key_id,
                    &checkpoint.public_key,
                    &checkpoint.signature
                ],
            )?;
            let event = NewAuditEvent::new(AuditAction::AuditCheckpoint)
                .by(by)
                .target(&checkpoint.key_id)
                .detail(format!(
                    "checkpoint of events 1 to {seq} (head {})",
                    &checkpoint.head_hash[..16.min(checkpoint.head_hash.len())]
                ));
            Ok((checkpoint, event))
        })
    }

    /// Every checkpoint kept, newest first.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT seq, head_hash, at, key_id, public_key, signature FROM audit_checkpoints
                 ORDER BY rowid DESC",
                &[],
                |row| {
                    Ok(Checkpoint {
                        seq: row.get(0)?,
                        head_hash: row.get(1)?,
                        at: row.get(2)?,
                        key_id: row.get(3)?,
                        public_key: row.get(4)?,
                        signature: row.get(5)?,
                    })
                },
            )
        })
    }

    /// Checks `checkpoint` against the trail as it is now: its signature (by `server_key`
    /// when the server's key is at hand), the event it covers, and the chain up to it.
    pub fn check_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        server_key: Option<&AuditKey>,
    ) -> Result<CheckpointVerdict, AccessError> {
        if !checkpoint.signature_holds() || key_id(&checkpoint.public_key) != checkpoint.key_id {
            return Ok(CheckpointVerdict::BadSignature);
        }
        if server_key.is_some_and(|key| key.public_key() != checkpoint.public_key) {
            return Ok(CheckpointVerdict::OtherKey {
                key_id: checkpoint.key_id.clone(),
            });
        }
        if checkpoint.seq > 0 {
            let now: Option<String> = self.unlocked(|db| {
                db.first(
                    "SELECT hash FROM audit_events WHERE seq = ?1",
                    params![seq_value(checkpoint.seq)?],
                    |row| row.get(0),
                )
            })?;
            match now {
                None => return Ok(CheckpointVerdict::EventMissing),
                Some(now) if now != checkpoint.head_hash => {
                    return Ok(CheckpointVerdict::EventChanged { now });
                }
                Some(_) => {}
            }
        }
        let report = self.verify_audit_chain()?;
        Ok(match report.first_problem {
            Some(problem) if problem.seq <= checkpoint.seq => {
                CheckpointVerdict::ChainBroken { seq: problem.seq }
            }
            _ => CheckpointVerdict::Holds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_hash::event_hash;
    use crate::testing::{TestDb, backends};

    /// On each backend: a trail of five logins and a checkpoint, with the append-only
    /// guards lifted, as an attacker holding the database would have them. The key lives
    /// in the test's folder.
    fn checkpointed() -> Vec<(TestDb, AuditKey, Checkpoint)> {
        backends()
            .into_iter()
            .map(|test| {
                for user in ["amina", "bob", "chen", "dilnur", "erkin"] {
                    test.db
                        .append_audit(NewAuditEvent::new(AuditAction::Login).actor(user))
                        .unwrap();
                }
                let key = AuditKey::load_or_create(test.dir.path()).unwrap();
                let checkpoint = test.db.make_checkpoint(&key, &Actor::CommandLine).unwrap();
                test.unguard_trail();
                (test, key, checkpoint)
            })
            .collect()
    }

    #[test]
    fn a_checkpoint_covers_the_head_and_holds_while_the_trail_grows() {
        for (test, key, checkpoint) in checkpointed() {
            let (dir, db) = (&test.dir, &test.db);
            assert_eq!(
                checkpoint.seq, 5,
                "the head before the checkpoint's own event"
            );
            assert_eq!(db.checkpoints().unwrap(), vec![checkpoint.clone()]);
            db.append_audit(NewAuditEvent::new(AuditAction::Logout).actor("amina"))
                .unwrap();
            assert_eq!(
                db.check_checkpoint(&checkpoint, Some(&key)).unwrap(),
                CheckpointVerdict::Holds,
                "{}",
                test.backend()
            );
            let events = db.audit_events(&Default::default(), 0, 2).unwrap();
            assert_eq!(events[1].action, "audit_checkpoint");
            // The same key is read back; only its owner may read the file.
            let again = AuditKey::load(dir.path()).unwrap().unwrap();
            assert_eq!(again.public_key(), key.public_key());
            let mode = std::fs::metadata(dir.path().join(AUDIT_KEY_FILE))
                .unwrap()
                .permissions();
            assert_eq!(
                std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn cutting_the_trail_below_a_checkpoint_is_caught_though_the_chain_still_verifies() {
        for (test, key, checkpoint) in checkpointed() {
            test.behind_its_back("DELETE FROM audit_events WHERE seq >= 4")
                .unwrap();
            assert_eq!(test.db.verify_audit_chain().unwrap().first_problem, None);
            assert_eq!(
                test.db.check_checkpoint(&checkpoint, Some(&key)).unwrap(),
                CheckpointVerdict::EventMissing,
                "{}",
                test.backend()
            );
        }
    }

    #[test]
    fn a_chain_rewritten_with_recomputed_hashes_is_caught() {
        for (test, key, checkpoint) in checkpointed() {
            let mut events = test.db.audit_events(&Default::default(), 0, 100).unwrap();
            events.reverse();
            let mut prev = FIRST_PREV_HASH.to_owned();
            let mut rewrite = String::new();
            for mut event in events {
                if event.seq == 2 {
                    event.actor = Some("mallory".to_owned());
                }
                event.prev_hash = prev.clone();
                event.hash = event_hash(&event);
                rewrite.push_str(&format!(
                    "UPDATE audit_events SET actor = {}, prev_hash = '{}', hash = '{}' WHERE seq = {};",
                    event.actor.map_or("NULL".to_owned(), |actor| format!("'{actor}'")),
                    event.prev_hash,
                    event.hash,
                    event.seq
                ));
                prev = event.hash;
            }
            test.behind_its_back(&rewrite).unwrap();
            assert_eq!(
                test.db.verify_audit_chain().unwrap().first_problem,
                None,
                "the chain alone cannot tell"
            );
            assert!(matches!(
                test.db.check_checkpoint(&checkpoint, Some(&key)).unwrap(),
                CheckpointVerdict::EventChanged { .. }
            ));
        }
    }

    #[test]
    fn an_altered_or_foreign_checkpoint_proves_nothing() {
        for (test, key, checkpoint) in checkpointed() {
            let db = &test.db;
            let mut moved = checkpoint.clone();
            moved.seq = 3;
            assert_eq!(
                db.check_checkpoint(&moved, Some(&key)).unwrap(),
                CheckpointVerdict::BadSignature
            );
            let elsewhere = tempfile::tempdir().unwrap();
            let other_key = AuditKey::load_or_create(elsewhere.path()).unwrap();
            let other_db = AccessDb::open_in(elsewhere.path()).unwrap();
            let foreign = other_db
                .make_checkpoint(&other_key, &Actor::CommandLine)
                .unwrap();
            assert!(matches!(
                db.check_checkpoint(&foreign, Some(&key)).unwrap(),
                CheckpointVerdict::OtherKey { .. }
            ));
            // A break in the chain at or before the checkpoint is named too.
            test.behind_its_back("UPDATE audit_events SET actor = 'x' WHERE seq = 2")
                .unwrap();
            assert_eq!(
                db.check_checkpoint(&checkpoint, Some(&key)).unwrap(),
                CheckpointVerdict::ChainBroken { seq: 2 },
                "{}",
                test.backend()
            );
        }
    }

    #[test]
    fn checkpoints_cannot_be_changed_or_removed() {
        for test in backends() {
            let key = AuditKey::load_or_create(test.dir.path()).unwrap();
            test.db.make_checkpoint(&key, &Actor::CommandLine).unwrap();
            for change in [
                "UPDATE audit_checkpoints SET seq = 7",
                "DELETE FROM audit_checkpoints",
            ] {
                let refused = test.db.unlocked(|db| db.execute(change, &[])).unwrap_err();
                assert!(
                    refused.to_string().contains("checkpoints are history"),
                    "{change} on {}: {refused}",
                    test.backend()
                );
            }
            assert_eq!(test.db.checkpoints().unwrap().len(), 1);
        }
    }
}
