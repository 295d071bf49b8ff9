//! One service operation from start to end: authorization of each action it performs, its write
//! transaction, and its audit records (successes inside the transaction, everything else
//! through the batched audit writer).

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use crate::catalog::{Access, Op};
use crate::server::metrics;
use crate::server::service::audit::{self, SUCCESS};
use crate::server::service::authorization::caller::Caller;
use crate::server::service::authorization::{authorize, authorize_shown, RequestContext};
use crate::server::service::entities::lookup::Named;
use crate::server::service::{Iam, ServiceError};
use crate::server::store::{self, Tx};

pub struct Operation<'a> {
    iam: &'a Iam,
    caller: &'a Caller,
    op: Op,
    /// The resource named in the latest check, for the record of a failure.
    resource: Option<String>,
    /// The operation of a check that failed, so a denial records what was denied.
    failed: Option<Op>,
    authorized: Vec<(Op, String)>,
    recorded: bool,
    started: std::time::Instant,
}

/// An operation's body: `|op| Box::pin(async move { … })`. Boxed, because a future that
/// borrows the operation cannot be named otherwise (and must be `Send` for the server).
pub type Body<'b, T> = Pin<Box<dyn Future<Output = Result<T, ServiceError>> + Send + 'b>>;

/// Proof that one of the operation's checks allowed it, carrying what it was allowed on (`()`
/// when only an ARN was checked): `commit` takes one, and only the checks below make one, so
/// no write lands without an authorization.
#[derive(Debug)]
pub struct Authorized<T = ()>(T);

impl<T> Authorized<T> {
    pub fn into_inner(self) -> T {
        self.0
    }

    /// The proof and the value apart, for a write that changes the value before committing.
    pub fn split(self) -> (Authorized, T) {
        (Authorized(()), self.0)
    }

    /// The proof alone, for a helper that authorized on the operation's behalf.
    pub fn proof(&self) -> Authorized {
        Authorized(())
    }
}

impl<T> Deref for Authorized<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'a> Operation<'a> {
    /// Runs `body` as the operation `op` of `caller`: its checks, its transaction and its
    /// audit records (see `finish`).
    pub async fn run<T>(
        iam: &'a Iam,
        caller: &'a Caller,
        op: Op,
        body: impl for<'b> FnOnce(&'b mut Operation<'a>) -> Body<'b, T>,
    ) -> Result<T, ServiceError> {
        let mut operation = Operation::new(iam, caller, op);
        let result = body(&mut operation).await;
        operation.finish(result).await
    }

    /// A door's parse of `op`'s parameters into the service's validated input. A refusal is
    /// recorded as the operation's failure, exactly as when the service refused it itself, so
    /// the audit log sees every call whichever layer turned it away.
    pub async fn parsed<T>(
        iam: &'a Iam,
        caller: &'a Caller,
        op: Op,
        parsed: Result<T, crate::domain::Invalid>,
    ) -> Result<T, ServiceError> {
        match parsed {
            Ok(input) => Ok(input),
            Err(invalid) => {
                let refused = Operation::new(iam, caller, op);
                refused.finish(Err(invalid.into())).await
            }
        }
    }

    fn new(iam: &'a Iam, caller: &'a Caller, op: Op) -> Self {
        Self {
            iam,
            caller,
            op,
            resource: None,
            failed: None,
            authorized: Vec::new(),
            recorded: false,
            started: std::time::Instant::now(),
        }
    }

    pub fn iam(&self) -> &'a Iam {
        self.iam
    }

    pub fn caller(&self) -> &'a Caller {
        self.caller
    }

    /// Checks the operation's own action on `resource`.
    pub async fn authorize(&mut self, resource: &str) -> Result<Authorized, ServiceError> {
        self.authorize_action(self.op, resource, &RequestContext::default())
            .await
    }

    /// Checks the operation's own action with extra request context (e.g. request tags).
    pub async fn authorize_with(
        &mut self,
        resource: &str,
        extra: &RequestContext,
    ) -> Result<Authorized, ServiceError> {
        self.authorize_action(self.op, resource, extra).await
    }

    /// Checks a further operation this one performs (the console's composite operations).
    pub async fn authorize_action(
        &mut self,
        op: Op,
        resource: &str,
        extra: &RequestContext,
    ) -> Result<Authorized, ServiceError> {
        self.resource = Some(resource.to_string());
        if let Err(error) = authorize(self.iam, self.caller, op.action(), resource, extra).await {
            self.failed = Some(op);
            return Err(error);
        }
        self.authorized.push((op, resource.to_string()));
        Ok(Authorized(()))
    }

    /// Checks the operation's own action on an entity it names, and only then hands it out —
    /// or answers NoSuchEntity. See `lookup::Named`.
    pub async fn authorize_named<T>(
        &mut self,
        named: Named<T>,
        extra: &RequestContext,
    ) -> Result<Authorized<T>, ServiceError> {
        self.authorize_action_named(self.op, named, extra).await
    }

    /// As `authorize_named`, for a further action the operation performs.
    pub async fn authorize_action_named<T>(
        &mut self,
        op: Op,
        named: Named<T>,
        extra: &RequestContext,
    ) -> Result<Authorized<T>, ServiceError> {
        let resource = named.arn().to_string();
        self.resource = Some(resource.clone());
        if let Err(error) = authorize_shown(
            self.iam,
            self.caller,
            op.action(),
            &resource,
            named.shown(),
            extra,
        )
        .await
        {
            self.failed = Some(op);
            return Err(error);
        }
        self.authorized.push((op, resource));
        Ok(Authorized(named.found()?))
    }

    /// Names the resource the operation is about, for the record of a failure that happens
    /// before (or instead of) an authorization through `authorize`.
    pub fn target(&mut self, resource: &str) {
        self.resource = Some(resource.to_string());
    }

    /// Records an action as authorized by a rule outside the policy engine (e.g. the password
    /// policy's "allow users to change their own password").
    pub fn resource_checked(&mut self, resource: &str) -> Authorized {
        self.resource = Some(resource.to_string());
        if !self
            .authorized
            .iter()
            .any(|(op, r)| *op == self.op && r == resource)
        {
            self.authorized.push((self.op, resource.to_string()));
        }
        Authorized(())
    }

    /// Opens the operation's write transaction (a read operation has none).
    pub async fn begin(&self) -> Result<Tx, ServiceError> {
        debug_assert_eq!(self.op.access(), Access::Write, "{:?} writes", self.op);
        Ok(self.iam.store().begin().await?)
    }

    /// Records each authorized action as a success inside `tx`, then commits: the change and
    /// its audit record land together or not at all.
    pub async fn commit<P>(
        &mut self,
        mut tx: Tx,
        _proof: &Authorized<P>,
    ) -> Result<(), ServiceError> {
        let now = self.iam.clock().now_millis();
        let account_id = self.caller.account_id().as_str();
        // INVARIANT: every committed write makes the account's cached entries stale, here and
        // on every other instance (caches::policy_sets).
        store::accounts::bump_authz_generation(&mut *tx, account_id).await?;
        for (op, resource) in &self.authorized {
            store::audit_chain::insert(
                &mut tx,
                &audit::row(self.caller, now, op.action(), resource, SUCCESS),
            )
            .await?;
        }
        tx.commit().await.map_err(store::StoreError::from)?;
        self.recorded = true;
        self.iam.policy_sets().invalidate_account(account_id);
        Ok(())
    }

    /// As `commit`, for the one write issuing temporary credentials makes: `row` and the
    /// operation's success records go through the group-commit writer (`session_writer`), in a
    /// transaction shared with other issues. It changes nothing cached, so the account's caches
    /// stay (see `session_writer::commit`). `false` (and nothing written) when the issuer
    /// already holds `cap` live credentials.
    pub async fn commit_credentials<P>(
        &mut self,
        row: store::sts_sessions::StsSessionRow,
        cap: i64,
        _proof: &Authorized<P>,
    ) -> Result<bool, ServiceError> {
        let now = self.iam.clock().now_millis();
        let records = self
            .authorized
            .iter()
            .map(|(op, resource)| audit::row(self.caller, now, op.action(), resource, SUCCESS))
            .collect();
        let stored = self
            .iam
            .session_writer()
            .store(row, records, now, cap)
            .await?;
        self.recorded = stored;
        Ok(stored)
    }

    /// Ends the operation: records its outcome unless `commit` already did, and returns it.
    async fn finish<T>(self, mut result: Result<T, ServiceError>) -> Result<T, ServiceError> {
        // SECURITY: a caller that may not perform the action learns nothing about which names
        // exist: "not found" before any authorization becomes AccessDenied for it.
        if matches!(result, Err(ServiceError::NoSuchEntity(_))) && self.authorized.is_empty() {
            if let Err(denied @ ServiceError::AccessDenied(_)) = authorize(
                self.iam,
                self.caller,
                self.op.action(),
                "*",
                &RequestContext::default(),
            )
            .await
            {
                result = Err(denied);
            }
        }
        let outcome = match &result {
            Ok(_) => SUCCESS,
            Err(error) => error.code(),
        };
        metrics::operation(
            self.caller.door(),
            self.op.name(),
            outcome,
            self.started.elapsed(),
        );
        let now = self.iam.clock().now_millis();
        let log = self.iam.audit();
        match &result {
            Ok(_) if !self.recorded => {
                for (op, resource) in &self.authorized {
                    log.record(audit::row(self.caller, now, op.action(), resource, SUCCESS))
                        .await;
                }
            }
            Ok(_) => {}
            Err(error) => {
                let action = self.failed.unwrap_or(self.op).action();
                let resource = self.resource.as_deref().unwrap_or("*");
                log.record(audit::failure_row(
                    self.caller,
                    now,
                    action,
                    resource,
                    error,
                ))
                .await;
            }
        }
        result
    }
}
