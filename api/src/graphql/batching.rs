//! When DataLoader batches run. async-graphql's DataLoader spawns each batch on the runtime
//! after a short delay; under load the delay can expire while a list is still being resolved,
//! and a list of 200 bookings then costs several queries per relation instead of one.
//!
//! Here a request's batches are queued and run on the request's own task, in rounds: a round
//! starts only when the previous one is over and the query cannot go further without it. By
//! then every item of a list has asked for its key, so each relation costs exactly one
//! statement, whatever the machine's load and whichever batch finishes first. The query keeps
//! being polled while a round runs, so a resolver's own queries are never starved.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::task::ArcWake;

/// The batches one request has queued.
#[derive(Clone, Default)]
pub struct BatchQueue(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

impl BatchQueue {
    /// The spawner to give the request's DataLoaders.
    pub fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let queue = self.0.clone();
        move |batch| queue.lock().expect("batch queue").push(batch)
    }

    /// Drives `work` (a GraphQL execution) and the batches it queues, on this task.
    pub async fn run<F: Future>(&self, work: F) -> F::Output {
        let mut work = pin!(work);
        let mut batches = FuturesUnordered::new();
        std::future::poll_fn(|cx| {
            loop {
                // Poll the query with a waker that tells whether it asked to be polled again
                // at once (a list of many items yields half-way): then it is not done asking
                // for keys, and the batches wait.
                let flag = Arc::new(Flag {
                    woken: AtomicBool::new(false),
                    inner: cx.waker().clone(),
                });
                let waker = futures::task::waker(flag.clone());
                if let Poll::Ready(out) = work.as_mut().poll(&mut Context::from_waker(&waker)) {
                    return Poll::Ready(out);
                }
                if flag.woken.load(Ordering::SeqCst) {
                    return Poll::Pending;
                }
                // Drive the round of batches under way.
                let mut delivered = false;
                while let Poll::Ready(Some(())) = batches.poll_next_unpin(cx) {
                    delivered = true;
                }
                if batches.is_empty() {
                    // The round is over and the query is idle: everything it needs next is
                    // queued. Start the next round, all of it at once.
                    let next: Vec<_> = self.0.lock().expect("batch queue").drain(..).collect();
                    if next.is_empty() {
                        return Poll::Pending;
                    }
                    batches.extend(next);
                    continue;
                }
                if !delivered {
                    return Poll::Pending;
                }
                // Some rows arrived while others are still loading: let the query use them
                // (it stays responsive), but hold what it asks next for the next round.
            }
        })
        .await
    }
}

/// A waker that remembers being woken.
struct Flag {
    woken: AtomicBool,
    inner: Waker,
}

impl ArcWake for Flag {
    fn wake_by_ref(flag: &Arc<Self>) {
        flag.woken.store(true, Ordering::SeqCst);
        flag.inner.wake_by_ref();
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    use async_graphql::dataloader::{DataLoader, Loader};

    use super::*;

    struct Counting(Arc<AtomicUsize>);

    impl Loader<u32> for Counting {
        type Value = u32;
        type Error = String;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, String> {
            self.0.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(keys.iter().map(|k| (*k, k * 2)).collect())
        }
    }

    /// Asks to be polled again at once, the first time.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();

        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_batch_per_pass_however_slow_the_pass() {
        let calls = Arc::new(AtomicUsize::new(0));
        let queue = BatchQueue::default();
        let loader = DataLoader::new(Counting(calls.clone()), queue.spawner())
            .delay(std::time::Duration::ZERO);
        let total: u32 = queue
            .run(async {
                let items = (0..300u32).map(|i| {
                    let loader = &loader;
                    async move {
                        // A slow item that also yields once, as big lists do half-way through
                        // their first pass: neither must split the batch.
                        std::thread::sleep(std::time::Duration::from_micros(20));
                        YieldOnce(false).await;
                        loader.load_one(i).await.unwrap().unwrap()
                    }
                });
                futures::future::join_all(items).await.into_iter().sum()
            })
            .await;
        assert_eq!(total, (0..300u32).map(|i| i * 2).sum::<u32>());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
