//! Reloading a panel after a change, and only after a change that succeeded: a refused one
//! keeps the form open with the person's input and the service's message beside it.

use leptos::prelude::*;

use crate::api_error::ApiError;

/// Counts `result`'s successes into `counter`, which the panel's resource is keyed on.
pub fn count_successes<T, S>(counter: RwSignal<u32>, result: S)
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, ApiError>>> + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if result.with(|r| matches!(r, Some(Ok(_)))) {
            counter.update(|n| *n += 1);
        }
    });
}
