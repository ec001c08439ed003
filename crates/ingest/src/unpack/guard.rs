//! Bounds on what archives may expand to.

use std::cell::Cell;
use std::io::{self, Read};

use trove_model::{Failure, FailureReason, Stage};

use crate::ArchiveLimits;

/// Tracks the bytes expanded from one top-level file across all its nested
/// archives, and judges each member's expansion ratio as it is read.
///
/// Shared by reference down the nesting (a `Cell`, not `&mut`), because a
/// member being processed may itself be an archive unpacked under the same
/// budget while its parent is still open.
#[derive(Debug)]
pub(crate) struct ExpansionGuard {
    pub(crate) limits: ArchiveLimits,
    expanded: Cell<u64>,
}

impl ExpansionGuard {
    pub(crate) fn new(limits: ArchiveLimits) -> Self {
        ExpansionGuard {
            limits,
            expanded: Cell::new(0),
        }
    }

    /// Refuses an archive of `format` ("zip", "RAR") found to hold `members`
    /// members (all of them, or as many as were read so far) beyond the limit.
    pub(crate) fn check_members(&self, format: &str, members: usize) -> Result<(), Failure> {
        if members <= self.limits.max_members {
            return Ok(());
        }
        Err(Failure::new(
            Stage::Unpack,
            FailureReason::DecompressionBomb,
            format!(
                "the {format} holds {members} members or more, beyond the limit of {}",
                self.limits.max_members
            ),
        ))
    }

    /// Wraps a member's reader so that reading past the limits fails with
    /// an error that [`bomb_failure`] recognises.
    pub(crate) fn guard<'a>(
        &'a self,
        inner: &'a mut dyn Read,
        compressed: Option<u64>,
    ) -> GuardedReader<'a> {
        GuardedReader {
            inner,
            guard: self,
            compressed,
            read: 0,
        }
    }
}

/// A reader that counts what it yields against the guard's limits.
pub(crate) struct GuardedReader<'a> {
    inner: &'a mut dyn Read,
    guard: &'a ExpansionGuard,
    compressed: Option<u64>,
    read: u64,
}

/// The marker inside the io::Error a guarded reader fails with.
#[derive(Debug)]
struct Exceeded(String);

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Exceeded {}

impl Read for GuardedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let expanded = self.guard.expanded.get() + n as u64;
        self.guard.expanded.set(expanded);
        let limits = self.guard.limits;
        if expanded > limits.max_expanded_bytes {
            return Err(exceeded(format!(
                "the archive expands to more than {} bytes in all",
                limits.max_expanded_bytes
            )));
        }
        if let Some(compressed) = self.compressed
            && self.read > limits.ratio_floor_bytes
            && self.read > compressed.max(1).saturating_mul(limits.max_ratio)
        {
            return Err(exceeded(format!(
                "a member expands more than {}× its compressed size of {compressed} bytes",
                limits.max_ratio
            )));
        }
        Ok(n)
    }
}

fn exceeded(message: String) -> io::Error {
    io::Error::other(Exceeded(message))
}

/// Turns an io::Error from a guarded read into the failure it stands for:
/// a decompression bomb if a limit was hit, otherwise a damaged member.
pub(crate) fn member_read_failure(error: &io::Error, path: &str) -> Failure {
    if let Some(exceeded) = error.get_ref().and_then(|e| e.downcast_ref::<Exceeded>()) {
        return Failure::new(
            Stage::Unpack,
            FailureReason::DecompressionBomb,
            format!(
                "{path}: {exceeded}; reading stopped (a decompression bomb, or raise the archive limits)"
            ),
        );
    }
    Failure::new(
        Stage::Unpack,
        FailureReason::Corrupt,
        format!("{path}: the member could not be decompressed: {error}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ArchiveLimits {
        ArchiveLimits {
            max_expanded_bytes: 1000,
            max_ratio: 10,
            ratio_floor_bytes: 100,
            ..ArchiveLimits::default()
        }
    }

    #[test]
    fn a_high_ratio_member_is_a_bomb() {
        let guard = ExpansionGuard::new(limits());
        let mut zeros = io::repeat(0).take(500);
        let error = io::copy(&mut guard.guard(&mut zeros, Some(5)), &mut io::sink()).unwrap_err();
        assert_eq!(
            member_read_failure(&error, "x").reason,
            FailureReason::DecompressionBomb
        );
    }

    #[test]
    fn the_total_budget_spans_members() {
        let guard = ExpansionGuard::new(limits());
        for _ in 0..2 {
            let mut bytes = io::repeat(1).take(400);
            io::copy(&mut guard.guard(&mut bytes, None), &mut io::sink()).unwrap();
        }
        let mut bytes = io::repeat(1).take(400);
        let error = io::copy(&mut guard.guard(&mut bytes, None), &mut io::sink()).unwrap_err();
        assert_eq!(
            member_read_failure(&error, "x").reason,
            FailureReason::DecompressionBomb
        );
    }

    #[test]
    fn small_members_are_never_judged_by_ratio() {
        let guard = ExpansionGuard::new(limits());
        let mut zeros = io::repeat(0).take(90);
        assert!(io::copy(&mut guard.guard(&mut zeros, Some(1)), &mut io::sink()).is_ok());
    }
}
