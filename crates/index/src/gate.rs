//! Searches let in as many at a time as there are cores, in the order they came.
//!
//! A search is CPU work of a few milliseconds. Fifty at once on two cores share them
//! out, so every search takes about twenty-five times its own cost, and a heavy one
//! (a common word over a million parts) many times more. Let in first come, first
//! served, a search waits for those ahead of it, then runs at full speed: the same
//! throughput, and the slowest answers come far sooner.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::{self, Thread};

/// A first-come, first-served gate that lets `width` holders through at once. A place
/// given up goes straight to the longest waiter, which alone is woken.
pub(crate) struct Gate {
    places: Mutex<Places>,
}

struct Places {
    free: usize,
    waiting: VecDeque<Arc<Waiter>>,
}

/// A thread parked until a place is handed to it.
struct Waiter {
    thread: Thread,
    admitted: AtomicBool,
}

/// Leave to run; dropping it hands the place on.
pub(crate) struct Pass<'a> {
    gate: &'a Gate,
}

impl Gate {
    pub(crate) fn new(width: usize) -> Gate {
        Gate {
            places: Mutex::new(Places {
                free: width.max(1),
                waiting: VecDeque::new(),
            }),
        }
    }

    /// The process's one gate for searches, as wide as the machine has cores: one per
    /// index would let a server with many cases open run that many times more at once.
    pub(crate) fn for_searches() -> &'static Gate {
        static SEARCHES: OnceLock<Gate> = OnceLock::new();
        SEARCHES.get_or_init(|| Gate::new(thread::available_parallelism().map_or(1, |n| n.get())))
    }

    /// Waits until every earlier arrival has gone through and a place is free.
    pub(crate) fn enter(&self) -> Pass<'_> {
        let waiter = {
            let mut places = self.lock();
            if places.free > 0 && places.waiting.is_empty() {
                places.free -= 1;
                return Pass { gate: self };
            }
            let waiter = Arc::new(Waiter {
                thread: thread::current(),
                admitted: AtomicBool::new(false),
            });
            places.waiting.push_back(Arc::clone(&waiter));
            waiter
        };
        // park may return spuriously: the flag says whether the place is ours.
        while !waiter.admitted.load(Ordering::Acquire) {
            thread::park();
        }
        Pass { gate: self }
    }

    /// The lock, even after a panic elsewhere: the places are never left half-changed.
    fn lock(&self) -> MutexGuard<'_, Places> {
        self.places
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut places = self.gate.lock();
        match places.waiting.pop_front() {
            Some(next) => {
                next.admitted.store(true, Ordering::Release);
                next.thread.unpark();
            }
            None => places.free += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread;
    use std::time::Duration;

    use super::*;

    #[test]
    fn never_more_than_its_width_at_once() {
        let gate = Gate::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        let _pass = gate.enter();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        thread::sleep(Duration::from_micros(200));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn waiters_go_through_in_the_order_they_came() {
        let gate = Arc::new(Gate::new(1));
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = gate.enter();
        let waiters: Vec<_> = (0..4)
            .map(|n| {
                let (shared, order) = (Arc::clone(&gate), Arc::clone(&order));
                let waiter = thread::spawn(move || {
                    let _pass = shared.enter();
                    order.lock().unwrap().push(n);
                });
                // The next waiter is started only once this one is in the queue.
                while gate.lock().waiting.len() < n + 1 {
                    thread::yield_now();
                }
                waiter
            })
            .collect();
        drop(first);
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3]);
    }
}
