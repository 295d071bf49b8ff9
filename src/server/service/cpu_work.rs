//! CPU-heavy request work (policy simulation) runs on Tokio's blocking threads, a bounded
//! number at a time: it never holds an executor thread, so other requests (and `/healthz`)
//! are served meanwhile and the request timeout can fire while it runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::ServiceError;

#[derive(Clone)]
pub struct CpuWork {
    permits: Arc<Semaphore>,
}

impl CpuWork {
    /// At most `workers` pieces of work run at once; the rest wait (asynchronously) in turn.
    pub fn new(workers: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(workers.max(1))),
        }
    }

    /// Half the machine's cores (at least one): the other half keeps serving requests.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores / 2)
    }

    /// Runs `work` on a blocking thread once a worker is free. When the returned future is
    /// dropped first (the request timed out, the client went away), the flag given to `work`
    /// is set so that it can stop early; its worker stays taken until it does.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ServiceError>
    where
        T: Send + 'static,
        F: FnOnce(&AtomicBool) -> T + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ServiceError::internal("the CPU work queue is closed"))?;
        let cancelled = Arc::new(AtomicBool::new(false));
        let _cancel_on_drop = CancelOnDrop(cancelled.clone());
        tokio::task::spawn_blocking(move || {
            // INVARIANT: the permit is held until the work itself ends, not the request.
            let _permit = permit;
            work(&cancelled)
        })
        .await
        .map_err(|error| ServiceError::internal_from("CPU work failed", error))
    }
}

struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn dropped_work_is_told_to_stop_and_keeps_its_worker_until_it_does() {
        let cpu = CpuWork::new(1);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (stopped_tx, stopped_rx) = std::sync::mpsc::channel();
        let first = cpu.run(move |cancelled| {
            started_tx.send(()).unwrap();
            while !cancelled.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
            }
            stopped_tx.send(()).unwrap();
        });
        // The request gives up after 50 ms; the executor stays free meanwhile.
        assert!(tokio::time::timeout(Duration::from_millis(50), first)
            .await
            .is_err());
        started_rx.recv().unwrap();
        stopped_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("the abandoned work saw the flag");
        assert_eq!(cpu.run(|_| 7).await.unwrap(), 7);
    }
}
