//! The ingest queue of server mode ([`JobQueue`]), on the test server: claims never
//! overlap, a lapsed lease passes the job on, a job that keeps losing workers is given up.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use trove_store::{JobCounts, JobQueue, MAX_ATTEMPTS, PgCatalog, QueuedFile};

const LEASE: Duration = Duration::from_secs(60);
/// A lease that has lapsed by the next statement.
const LAPSED: Duration = Duration::ZERO;

fn file(n: u32) -> QueuedFile {
    QueuedFile {
        root: "/leak".to_owned(),
        path: format!("photos/{n:04}.jpg"),
        path_bytes: None,
        size: 1_000 + u64::from(n),
        mtime_ns: 1_650_000_000_000_000_000,
    }
}

#[test]
fn files_are_queued_once_until_they_finish_or_change() {
    let Some((queue, _schema)) = common::postgres() else {
        return;
    };
    let files: Vec<QueuedFile> = (0..5).map(file).collect();
    assert_eq!(queue.enqueue(&files).unwrap(), 5);
    assert_eq!(
        queue.enqueue(&files).unwrap(),
        0,
        "queued files keep their place"
    );

    let running = queue.claim("w1", LEASE).unwrap().unwrap();
    assert_eq!(
        queue.enqueue(&files).unwrap(),
        0,
        "a running job is left to its worker"
    );
    let mut changed = running.file.clone();
    changed.size += 1;
    assert_eq!(
        queue.enqueue(&[changed]).unwrap(),
        1,
        "unless its file changed"
    );
    assert!(
        !queue.complete(running.id, "w1").unwrap(),
        "then its worker's run counts for nothing"
    );

    let finished = queue.claim("w1", LEASE).unwrap().unwrap();
    assert!(queue.complete(finished.id, "w1").unwrap());
    assert_eq!(
        queue.enqueue(std::slice::from_ref(&finished.file)).unwrap(),
        1,
        "the catalog, not the queue, says what is done: asked again, it runs again"
    );
    assert_eq!(
        queue.job_counts().unwrap(),
        JobCounts {
            queued: 5,
            ..JobCounts::default()
        }
    );
}

#[test]
fn claims_come_oldest_first_and_never_twice() {
    let Some((queue, _schema)) = common::postgres() else {
        return;
    };
    queue
        .enqueue(&(0..3).map(file).collect::<Vec<_>>())
        .unwrap();
    let first = queue.claim("w1", LEASE).unwrap().unwrap();
    let second = queue.claim("w2", LEASE).unwrap().unwrap();
    let third = queue.claim("w1", LEASE).unwrap().unwrap();
    assert_eq!(
        [first.file.path, second.file.path, third.file.path],
        ["photos/0000.jpg", "photos/0001.jpg", "photos/0002.jpg"]
    );
    assert_eq!(first.attempt, 1);
    assert_eq!(queue.claim("w3", LEASE).unwrap(), None, "all held");
    assert_eq!(queue.job_counts().unwrap().running, 3);
    assert!(
        !queue.complete(second.id, "w1").unwrap(),
        "only the holder completes"
    );
    assert!(queue.complete(second.id, "w2").unwrap());
    assert!(!queue.complete(second.id, "w2").unwrap(), "once");
}

#[test]
fn a_lapsed_lease_passes_the_job_to_the_next_worker() {
    let Some((queue, _schema)) = common::postgres() else {
        return;
    };
    queue.enqueue(&[file(1)]).unwrap();
    let lost = queue.claim("killed", LAPSED).unwrap().unwrap();
    assert_eq!(queue.job_counts().unwrap().lapsed, 1);

    let taken = queue.claim("survivor", LEASE).unwrap().unwrap();
    assert_eq!(taken.id, lost.id);
    assert_eq!(taken.attempt, 2);
    assert!(
        !queue.renew(lost.id, "killed", LEASE).unwrap(),
        "the first holder learns it lost the job"
    );
    assert!(!queue.complete(lost.id, "killed").unwrap());
    assert!(queue.renew(taken.id, "survivor", LEASE).unwrap());
    assert!(queue.complete(taken.id, "survivor").unwrap());
    assert_eq!(
        queue.job_counts().unwrap(),
        JobCounts {
            done: 1,
            ..JobCounts::default()
        }
    );
}

#[test]
fn a_job_that_keeps_losing_its_workers_is_given_up() {
    let Some((queue, _schema)) = common::postgres() else {
        return;
    };
    queue.enqueue(&[file(1), file(2)]).unwrap();
    let mut attempts = Vec::new();
    let mut poison = 0;
    for _ in 0..MAX_ATTEMPTS {
        let job = queue.claim("crashes", LAPSED).unwrap().unwrap();
        assert_eq!(job.file.path, "photos/0001.jpg");
        attempts.push(job.attempt);
        poison = job.id;
    }
    assert_eq!(attempts, [1, 2, 3]);
    let next = queue.claim("w", LEASE).unwrap().unwrap();
    assert_eq!(
        next.file.path, "photos/0002.jpg",
        "the poison file is skipped"
    );
    assert_eq!(
        queue.job_counts().unwrap().failed,
        1,
        "given up as soon as anyone looks"
    );
    assert_eq!(queue.claim("w", LEASE).unwrap(), None);
    let failed = queue.failed_jobs().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].1, "photos/0001.jpg");
    assert!(failed[0].2.contains("3 times"), "{}", failed[0].2);
    // The third holder was only slow: its renewer takes the job back, it finishes after
    // all, and the file counts as done; no one else can take or finish it.
    assert!(!queue.renew(poison, "someone else", LEASE).unwrap());
    assert!(queue.renew(poison, "crashes", LEASE).unwrap());
    assert_eq!(queue.job_counts().unwrap().running, 2);
    assert!(!queue.complete(poison, "someone else").unwrap());
    assert!(queue.complete(poison, "crashes").unwrap());
    assert_eq!(queue.job_counts().unwrap().failed, 0);
    assert!(queue.failed_jobs().unwrap().is_empty());

    assert!(queue.fail(next.id, "w", "could not be read").unwrap());
    assert!(
        !queue.renew(next.id, "w", LEASE).unwrap(),
        "a job its holder failed stays failed"
    );
    assert_eq!(queue.job_counts().unwrap().failed, 1);
    assert_eq!(queue.job_counts().unwrap().open(), 0);
}

#[test]
fn workers_on_their_own_connections_share_the_jobs_out_exactly() {
    let Some((queue, schema)) = common::postgres() else {
        return;
    };
    const JOBS: u32 = 400;
    queue
        .enqueue(&(0..JOBS).map(file).collect::<Vec<_>>())
        .unwrap();
    let config = schema.config();
    let handled: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|n| {
                let config = config.clone();
                scope.spawn(move || {
                    let own = PgCatalog::connect(&config).unwrap();
                    let name = format!("worker-{n}");
                    let mut ids = Vec::new();
                    while let Some(job) = own.claim(&name, LEASE).unwrap() {
                        assert!(own.complete(job.id, &name).unwrap());
                        ids.push(job.id);
                    }
                    ids
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let all: Vec<i64> = handled.iter().flatten().copied().collect();
    let distinct: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), JOBS as usize, "every job handled once");
    assert_eq!(distinct.len(), JOBS as usize, "none twice");
    assert_eq!(queue.job_counts().unwrap().done, u64::from(JOBS));
}

#[test]
fn a_name_that_is_not_utf8_comes_back_as_its_own_bytes() {
    let Some((queue, _schema)) = common::postgres() else {
        return;
    };
    let mut gbk = file(1);
    gbk.path = "\\xc3\\xfb\\xb5\\xa5.txt".to_owned();
    gbk.path_bytes = Some(b"\xc3\xfb\xb5\xa5.txt".to_vec());
    queue.enqueue(&[gbk.clone()]).unwrap();
    let claimed = queue.claim("w", LEASE).unwrap().unwrap();
    assert_eq!(claimed.file, gbk);
}

#[test]
fn a_catalog_has_one_indexer_at_a_time() {
    let Some((first, schema)) = common::postgres() else {
        return;
    };
    let second = PgCatalog::connect(&schema.config()).unwrap();
    let mut held = first.take_role("indexer").unwrap().expect("free");
    assert!(second.take_role("indexer").unwrap().is_none(), "taken");
    assert!(
        second.take_role("records").unwrap().is_some(),
        "another role is free"
    );
    assert_eq!(held.still_held(), Ok(true));
    drop(held);
    assert!(
        second.take_role("indexer").unwrap().is_some(),
        "released when dropped"
    );
    drop(first);
}

#[test]
fn a_role_whose_connection_breaks_is_known_lost() {
    let Some((catalog, schema)) = common::postgres() else {
        return;
    };
    let mut held = catalog.take_role("indexer").unwrap().expect("free");
    // The catalog's own connections come and go; the role's stays with it.
    catalog.job_counts().unwrap();
    assert_eq!(held.still_held(), Ok(true));

    // As a server restart or a network fault would: the role's connection ends.
    schema
        .client()
        .execute("SELECT pg_terminate_backend($1)", &[&held.backend()])
        .unwrap();
    let other = PgCatalog::connect(&schema.config()).unwrap();
    assert!(
        held.still_held().is_err(),
        "the holder learns the role is gone, and why"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while other.take_role("indexer").unwrap().is_none() {
        assert!(std::time::Instant::now() < deadline, "never released");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn threads_sharing_one_pool_share_the_jobs_out_exactly() {
    let Some(schema) = common::postgres().map(|(_, schema)| schema) else {
        return;
    };
    const JOBS: u32 = 200;
    let pool = PgCatalog::connect_pool(&schema.config(), 3).unwrap();
    pool.enqueue(&(0..JOBS).map(file).collect::<Vec<_>>())
        .unwrap();
    let handled: Vec<i64> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..6)
            .map(|n| {
                let pool = &pool;
                scope.spawn(move || {
                    let name = format!("thread-{n}");
                    let mut ids = Vec::new();
                    while let Some(job) = pool.claim(&name, LEASE).unwrap() {
                        assert!(pool.complete(job.id, &name).unwrap());
                        ids.push(job.id);
                    }
                    ids
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    assert_eq!(handled.len(), JOBS as usize);
    assert_eq!(handled.iter().collect::<HashSet<_>>().len(), JOBS as usize);
    assert_eq!(pool.job_counts().unwrap().done, u64::from(JOBS));
}
