//! One service operation from start to end: authorization of each action it performs, its write
//! transaction, and its audit records (successes inside the transaction, everything else
//! through the batched audit writer).

use super::audit::{self, SUCCESS};
use super::authorize::{authorize, authorize_shown, RequestContext};
use super::caller::Caller;
use super::entity_lookup::Named;
use super::{Iam, ServiceError};
use crate::server::store::{self, Tx};

pub struct Operation<'a> {
    iam: &'a Iam,
    caller: &'a Caller,
    action: &'static str,
    /// The resource named in the latest check, for the record of a failure.
    resource: Option<String>,
    /// The action of a check that failed, so a denial records what was denied.
    failed_action: Option<&'static str>,
    authorized: Vec<(&'static str, String)>,
    recorded: bool,
}

impl<'a> Operation<'a> {
    pub fn new(iam: &'a Iam, caller: &'a Caller, action: &'static str) -> Self {
        Self {
            iam,
            caller,
            action,
            resource: None,
            failed_action: None,
            authorized: Vec::new(),
            recorded: false,
        }
    }

    pub fn iam(&self) -> &'a Iam {
        self.iam
    }

    pub fn caller(&self) -> &'a Caller {
        self.caller
    }

    /// Checks the operation's own action on `resource`.
    pub async fn authorize(&mut self, resource: &str) -> Result<(), ServiceError> {
        self.authorize_action(self.action, resource, &RequestContext::default())
            .await
    }

    /// Checks the operation's own action with extra request context (e.g. request tags).
    pub async fn authorize_with(
        &mut self,
        resource: &str,
        extra: &RequestContext,
    ) -> Result<(), ServiceError> {
        self.authorize_action(self.action, resource, extra).await
    }

    /// Checks a further action the operation performs (the console's composite operations).
    pub async fn authorize_action(
        &mut self,
        action: &'static str,
        resource: &str,
        extra: &RequestContext,
    ) -> Result<(), ServiceError> {
        self.resource = Some(resource.to_string());
        if let Err(error) = authorize(self.iam, self.caller, action, resource, extra).await {
            self.failed_action = Some(action);
            return Err(error);
        }
        self.authorized.push((action, resource.to_string()));
        Ok(())
    }

    /// Checks the operation's own action on an entity it names, and only then hands it out —
    /// or answers NoSuchEntity. See `entity_lookup::Named`.
    pub async fn authorize_named<T>(
        &mut self,
        named: Named<T>,
        extra: &RequestContext,
    ) -> Result<T, ServiceError> {
        self.authorize_action_named(self.action, named, extra).await
    }

    /// As `authorize_named`, for a further action the operation performs.
    pub async fn authorize_action_named<T>(
        &mut self,
        action: &'static str,
        named: Named<T>,
        extra: &RequestContext,
    ) -> Result<T, ServiceError> {
        let resource = named.arn().to_string();
        self.resource = Some(resource.clone());
        if let Err(error) = authorize_shown(
            self.iam,
            self.caller,
            action,
            &resource,
            named.shown(),
            extra,
        )
        .await
        {
            self.failed_action = Some(action);
            return Err(error);
        }
        self.authorized.push((action, resource));
        named.found()
    }

    /// Names the resource the operation is about, for the record of a failure that happens
    /// before (or instead of) an authorization through `authorize`.
    pub fn target(&mut self, resource: &str) {
        self.resource = Some(resource.to_string());
    }

    /// Records an action as authorized by a rule outside the policy engine (e.g. the password
    /// policy's "allow users to change their own password").
    pub fn resource_checked(&mut self, resource: &str) {
        self.resource = Some(resource.to_string());
        if !self
            .authorized
            .iter()
            .any(|(action, r)| *action == self.action && r == resource)
        {
            self.authorized.push((self.action, resource.to_string()));
        }
    }

    pub async fn begin(&self) -> Result<Tx, ServiceError> {
        Ok(self.iam.store().begin().await?)
    }

    /// Records each authorized action as a success inside `tx`, then commits: the change and
    /// its audit record land together or not at all.
    pub async fn commit(&mut self, mut tx: Tx) -> Result<(), ServiceError> {
        let now = self.iam.clock().now_millis();
        for (action, resource) in &self.authorized {
            store::audit::insert(
                &mut tx,
                &audit::row(self.caller, now, action, resource, SUCCESS),
            )
            .await?;
        }
        tx.commit().await.map_err(store::StoreError::from)?;
        self.recorded = true;
        // INVARIANT: after any committed write, cached policy sets of the account are stale.
        self.iam
            .policy_sets()
            .invalidate_account(self.caller.account_id().as_str());
        Ok(())
    }

    /// Ends the operation: records its outcome unless `commit` already did, and returns it.
    pub async fn finish<T>(self, mut result: Result<T, ServiceError>) -> Result<T, ServiceError> {
        // SECURITY: a caller that may not perform the action learns nothing about which names
        // exist: "not found" before any authorization becomes AccessDenied for it.
        if matches!(result, Err(ServiceError::NoSuchEntity(_))) && self.authorized.is_empty() {
            if let Err(denied @ ServiceError::AccessDenied(_)) = authorize(
                self.iam,
                self.caller,
                self.action,
                "*",
                &RequestContext::default(),
            )
            .await
            {
                result = Err(denied);
            }
        }
        let now = self.iam.clock().now_millis();
        let log = self.iam.audit();
        match &result {
            Ok(_) if !self.recorded => {
                for (action, resource) in &self.authorized {
                    log.record(audit::row(self.caller, now, action, resource, SUCCESS))
                        .await;
                }
            }
            Ok(_) => {}
            Err(error) => {
                let action = self.failed_action.unwrap_or(self.action);
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
