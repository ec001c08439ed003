//! trove's searches timed, by one user and by many at once.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use trove_index::{SearchIndex, SearchOptions};

/// The distribution of one measurement's latencies.
#[derive(Debug, Serialize)]
pub(super) struct Latencies {
    pub(super) queries: usize,
    pub(super) p50_ms: f64,
    pub(super) p99_ms: f64,
    pub(super) max_ms: f64,
    pub(super) mean_ms: f64,
    /// The slowest queries, slowest first, where the measurement kept them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) slowest: Vec<SlowQuery>,
}

/// One query and how long it took.
#[derive(Debug, Serialize)]
pub(super) struct SlowQuery {
    pub(super) query: String,
    pub(super) ms: f64,
}

/// Slow queries a single-user measurement names.
const SLOWEST_KEPT: usize = 8;

impl Latencies {
    pub(super) fn of(mut times: Vec<Duration>) -> Latencies {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let at = |q: f64| {
            times
                .get(((times.len() as f64 * q).ceil() as usize).saturating_sub(1))
                .copied()
                .map_or(0.0, ms)
        };
        Latencies {
            queries: times.len(),
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: times.last().copied().map_or(0.0, ms),
            mean_ms: times.iter().copied().map(ms).sum::<f64>() / times.len().max(1) as f64,
            slowest: Vec::new(),
        }
    }

    /// The distribution of `timed` queries, naming the slowest.
    fn naming_slowest(timed: Vec<(Duration, &String)>) -> Latencies {
        let mut slowest: Vec<SlowQuery> = timed
            .iter()
            .map(|(time, query)| SlowQuery {
                query: (*query).clone(),
                ms: time.as_secs_f64() * 1e3,
            })
            .collect();
        slowest.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        slowest.truncate(SLOWEST_KEPT);
        Latencies {
            slowest,
            ..Latencies::of(timed.into_iter().map(|(time, _)| time).collect())
        }
    }
}

/// One user, a fresh index handle (so an empty stored-parts cache), every query once
/// with the results page's options (20 hits, snippets, facets).
pub(super) fn trove_single(dir: &Path, queries: &[String]) -> anyhow::Result<Latencies> {
    let index = SearchIndex::open(dir)?;
    let options = SearchOptions::default();
    let mut timed = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        std::hint::black_box(index.search(query, &options)?);
        timed.push((started.elapsed(), query));
    }
    Ok(Latencies::naming_slowest(timed))
}

/// `users` threads sharing one index, as the web server's requests do, each asking
/// queries in turn from its own place in the list until the list has been asked twice
/// over in all.
pub(super) fn trove_concurrent(
    dir: &Path,
    queries: &[String],
    users: usize,
) -> anyhow::Result<Latencies> {
    let index = SearchIndex::open(dir)?;
    let options = SearchOptions::default();
    let users = users.max(1);
    let per_user = (queries.len() * 2).div_ceil(users);
    let times = Mutex::new(Vec::with_capacity(per_user * users));
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let handles: Vec<_> = (0..users)
            .map(|user| {
                let (index, options, times) = (&index, &options, &times);
                scope.spawn(move || -> anyhow::Result<()> {
                    let mut mine = Vec::with_capacity(per_user);
                    for n in 0..per_user {
                        let query = &queries[(user * per_user + n) % queries.len()];
                        let started = Instant::now();
                        std::hint::black_box(index.search(query, options)?);
                        mine.push(started.elapsed());
                    }
                    times
                        .lock()
                        .map_err(|_| anyhow::anyhow!("a user thread panicked"))?
                        .extend(mine);
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("a user thread panicked"))??;
        }
        Ok(())
    })?;
    let times = times
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a user thread panicked"))?;
    Ok(Latencies::of(times))
}
