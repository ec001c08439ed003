//! Several server processes on one shared access database (PostgreSQL): their audit
//! events form one chain, and what one process writes (a session, a lock-out) the others
//! see. Each `AccessDb` here is what one `trove serve` process holds; they share nothing
//! but the database. Skips without `TROVE_TEST_DATABASE_URL`.

use chrono::{TimeDelta, Utc};
use trove_access::{
    AccessDb, Actor, AuditAction, AuditFilter, Grant, LockoutPolicy, LoginAttempt, LoginClaim,
    NewAccount, NewAuditEvent, SessionLimits,
};
use trove_model::Role;
use trove_store::testing::TestSchema;

const PROCESSES: usize = 3;
const THREADS_EACH: usize = 4;
const EVENTS_EACH: usize = 40;

#[test]
fn appends_from_several_processes_form_one_chain() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let servers: Vec<AccessDb> = (0..PROCESSES)
        .map(|_| AccessDb::connect(&schema.config()).unwrap())
        .collect();
    std::thread::scope(|scope| {
        for (process, db) in servers.iter().enumerate() {
            for thread in 0..THREADS_EACH {
                scope.spawn(move || {
                    for n in 0..EVENTS_EACH {
                        db.append_audit(
                            NewAuditEvent::new(AuditAction::Search)
                                .actor(&format!("user{thread}"))
                                .detail(format!("process {process}, query {n}")),
                        )
                        .unwrap();
                    }
                });
            }
        }
    });
    let total = (PROCESSES * THREADS_EACH * EVENTS_EACH) as u64;
    for db in &servers {
        let report = db.verify_audit_chain().unwrap();
        assert_eq!(report.first_problem, None);
        assert_eq!(report.checked, total, "every event is in the one chain");
    }
    let events = servers[0]
        .audit_events(&AuditFilter::default(), 0, total + 10)
        .unwrap();
    let mut seqs: Vec<u64> = events.iter().map(|event| event.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "no gap, no repeat");
}

#[test]
fn sessions_and_lockouts_made_by_one_process_hold_in_the_others() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let here = AccessDb::connect(&schema.config()).unwrap();
    let there = AccessDb::connect(&schema.config()).unwrap();
    let store = tempfile::tempdir().unwrap();
    trove_store::Store::open(store.path()).unwrap();
    here.add_case("demo", store.path(), &Actor::CommandLine)
        .unwrap();
    let grant = Grant::new(Role::Viewer, Some("demo")).unwrap();
    let vera = NewAccount {
        name: "vera",
        password: "a long enough password",
        grant: &grant,
    };
    there.add_user(vera, &Actor::CommandLine).unwrap();
    assert_eq!(here.cases_of("vera").unwrap().len(), 1);

    let now = Utc::now();
    let limits = SessionLimits {
        idle: TimeDelta::hours(1),
        absolute: TimeDelta::hours(8),
    };
    let token = here.log_in("vera", "192.0.2.1", now, limits).unwrap();
    let session = there.session(&token, now).unwrap().expect("the session");
    assert_eq!(session.user, "vera");
    there.log_out("vera", Some(&token)).unwrap();
    assert_eq!(here.session(&token, now).unwrap(), None);

    let policy = LockoutPolicy::DEFAULT;
    let guess = LoginAttempt {
        name: "vera",
        address: "203.0.113.9",
        at: now,
    };
    for _ in 0..policy.max_failures {
        assert_eq!(
            there.claim_login_attempt(&guess, policy).unwrap(),
            LoginClaim::Granted
        );
        there.fail_login(&guess, "wrong password", policy).unwrap();
    }
    assert!(matches!(
        here.claim_login_attempt(&guess, policy).unwrap(),
        LoginClaim::Locked(_)
    ));
    assert!(here.verify_audit_chain().unwrap().first_problem.is_none());
}

#[test]
fn a_server_process_carries_on_after_its_connections_are_cut() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let mut config = schema.config();
    config.application_name("trove-cut-test");
    let db = AccessDb::connect(&config).unwrap();
    db.append_audit(NewAuditEvent::new(AuditAction::Login).actor("vera"))
        .unwrap();
    // As a database restart or fail-over would: every connection of this process closed.
    schema
        .client()
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'trove-cut-test'",
            &[],
        )
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    for _ in 0..4 {
        // Each of the pool's connections is opened again when next used; a statement
        // caught on one just cut may fail once.
        let _ = db.append_audit(NewAuditEvent::new(AuditAction::Logout).actor("vera"));
    }
    db.append_audit(NewAuditEvent::new(AuditAction::Login).actor("vera"))
        .unwrap();
    assert!(db.verify_audit_chain().unwrap().first_problem.is_none());
}

#[test]
fn a_server_process_opens_connections_only_as_it_needs_them() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let mut config = schema.config();
    config.application_name("trove-lazy-test");
    let opened = || -> i64 {
        schema
            .client()
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'trove-lazy-test'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let db = AccessDb::connect(&config).unwrap();
    for _ in 0..5 {
        db.users().unwrap();
    }
    assert_eq!(opened(), 1, "one caller at a time needs one connection");
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                for n in 0..20 {
                    db.append_audit(NewAuditEvent::new(AuditAction::Search).detail(n.to_string()))
                        .unwrap();
                }
            });
        }
    });
    assert!(opened() <= 4, "never more than the pool's four");
    assert!(db.verify_audit_chain().unwrap().first_problem.is_none());
}
