//! The account generations one request has read. On PostgreSQL a generation is read from the
//! database before a cached policy set, user or signing key is used; within one request it is
//! read once per account and remembered here, so a signed call costs one read, not one per
//! cache. The guarantee is unchanged: the read happens after the request started, so a change
//! committed on any instance before that is seen. The request's own writes forget the account's
//! generation (`forget`), so what it reads after its commit is current.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

tokio::task_local! {
    static READ: RefCell<HashMap<String, i64>>;
}

/// Runs one request (its whole handling) with its own memory of generations read.
pub async fn within_one_request<F: Future>(request: F) -> F::Output {
    READ.scope(RefCell::new(HashMap::new()), request).await
}

/// The generation this request already read for `account_id` (never outside a request).
pub fn remembered(account_id: &str) -> Option<i64> {
    READ.try_with(|read| read.borrow().get(account_id).copied())
        .ok()
        .flatten()
}

pub fn remember(account_id: &str, generation: i64) {
    let _ = READ.try_with(|read| read.borrow_mut().insert(account_id.to_string(), generation));
}

/// After this request committed a write to the account: read its generation afresh.
pub fn forget(account_id: &str) {
    let _ = READ.try_with(|read| read.borrow_mut().remove(account_id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_remembers_until_it_writes_and_nothing_outlives_it() {
        remember("111122223333", 7);
        assert_eq!(
            remembered("111122223333"),
            None,
            "outside a request nothing is kept"
        );
        within_one_request(async {
            assert_eq!(remembered("111122223333"), None);
            remember("111122223333", 7);
            assert_eq!(remembered("111122223333"), Some(7));
            assert_eq!(remembered("210987654321"), None);
            forget("111122223333");
            assert_eq!(remembered("111122223333"), None);
        })
        .await;
        within_one_request(async {
            assert_eq!(
                remembered("111122223333"),
                None,
                "each request starts empty"
            );
        })
        .await;
    }
}
