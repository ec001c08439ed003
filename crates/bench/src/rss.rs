//! Peak resident memory of this process, which the records and xref benchmarks report.

/// This process's peak resident memory.
pub(crate) fn peak_rss_bytes() -> u64 {
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value, and
    // getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    // ru_maxrss is in KiB on Linux.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}
