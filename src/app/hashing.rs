//! Password hashing, bounded. Each argon2 check takes 19 MiB and a core
//! for a good fraction of a second: unbounded, a login flood would take
//! gigabytes and every core. At most one hash runs per core; the rest wait
//! their turn for a bounded time, then are told the server is busy.

use std::time::Duration;

use tokio::sync::Semaphore;

use super::metrics::HashingLoad;
use super::{Error, Result};

pub struct Hashing {
    permits: Semaphore,
    wait: Duration,
    /// How many wait and run, and how many were told busy: for `/metrics`.
    pub load: HashingLoad,
}

/// How long a login may wait for its turn before it is told to try again.
const WAIT: Duration = Duration::from_secs(5);

impl Default for Hashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hashing::new(cores, WAIT)
    }
}

impl Hashing {
    pub fn new(at_once: usize, wait: Duration) -> Self {
        Hashing { permits: Semaphore::new(at_once), wait, load: HashingLoad::default() }
    }

    /// Runs `work` off the async executor once a core is free, or answers
    /// [`Error::Busy`] if none frees up in time.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let waiting = Counted::new(&self.load.waiting);
        let permit = match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(permit) => permit.map_err(|e| Error::Internal(e.into()))?,
            Err(_) => {
                self.load.busy.inc();
                return Err(Error::Busy);
            }
        };
        drop(waiting);
        let running = Counted::new(&self.load.running);
        let done = tokio::task::spawn_blocking(work).await.map_err(|e| Error::Internal(e.into()));
        drop((permit, running));
        done
    }
}

/// One in a gauge for as long as it lives: a login whose request is
/// dropped while it waits (the client went away) leaves the count too.
struct Counted<'a>(&'a prometheus_client::metrics::gauge::Gauge);

impl<'a> Counted<'a> {
    fn new(gauge: &'a prometheus_client::metrics::gauge::Gauge) -> Self {
        gauge.inc();
        Counted(gauge)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use tokio::sync::mpsc;

    use super::*;

    #[tokio::test]
    async fn no_more_hashes_run_than_permitted_and_a_late_one_is_told_busy() {
        let hashing = Arc::new(Hashing::new(2, Duration::from_millis(200)));
        // Two hashes start and hold their cores until the gate opens.
        let gate = Arc::new(Barrier::new(3));
        let (started, mut running) = mpsc::unbounded_channel();
        let mut holders = Vec::new();
        for _ in 0..2 {
            let (hashing, gate, started) = (hashing.clone(), gate.clone(), started.clone());
            holders.push(tokio::spawn(async move {
                hashing
                    .run(move || {
                        started.send(()).expect("the test listens");
                        gate.wait();
                    })
                    .await
            }));
        }
        for _ in 0..2 {
            running.recv().await.expect("a hash started");
        }
        assert_eq!((hashing.load.running.get(), hashing.load.waiting.get()), (2, 0));
        // A third finds both cores taken for longer than it may wait.
        let late = hashing.run(|| ()).await;
        assert!(matches!(late, Err(Error::Busy)), "the third hash is refused, not queued forever");
        assert_eq!((hashing.load.waiting.get(), hashing.load.busy.get()), (0, 1), "it waited, then was told busy");
        tokio::task::spawn_blocking(move || gate.wait()).await.expect("gate opened");
        for holder in holders {
            holder.await.expect("joined").expect("the two hashes ran");
        }
        // Once they are done, a core is free again.
        assert!(hashing.run(|| 1).await.is_ok());
        assert_eq!((hashing.load.running.get(), hashing.load.waiting.get()), (0, 0));
    }
}
