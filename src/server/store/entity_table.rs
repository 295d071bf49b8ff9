//! The queries users, groups and roles share, written once over a description of each one's
//! table: find by name (ignoring case) or ID, a page by name, rename, and the permissions
//! boundary column of users and roles.

use std::marker::PhantomData;

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

use super::name_range::name_key_range;
use super::StoreError;

/// A row of an entity table: every one has a name.
pub trait EntityRow {
    fn id(&self) -> &str;
    fn name(&self) -> &str;
    fn path(&self) -> &str;
}

/// One entity table: its name, its ID column, and the columns its row type reads.
pub struct Table<R> {
    name: &'static str,
    id: &'static str,
    columns: &'static str,
    row: PhantomData<fn() -> R>,
}

impl<R> Table<R> {
    pub const fn new(name: &'static str, id: &'static str, columns: &'static str) -> Self {
        Self {
            name,
            id,
            columns,
            row: PhantomData,
        }
    }
}

impl<R> Table<R>
where
    R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    pub async fn find_by_name<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        account_id: &str,
        name: &str,
    ) -> Result<Option<R>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE account_id = $1 AND name_key = $2",
            self.columns, self.name
        );
        Ok(sqlx::query_as(&sql)
            .bind(account_id)
            .bind(name.to_ascii_lowercase())
            .fetch_optional(db)
            .await?)
    }

    pub async fn find_by_id<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        id: &str,
    ) -> Result<Option<R>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = $1",
            self.columns, self.name, self.id
        );
        Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
    }

    /// One page ordered by name ignoring case, after `after_key` (exclusive), of the entities
    /// whose name starts with `name_prefix` (ignoring case) and whose path with `path_prefix`.
    pub async fn list_page<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        account_id: &str,
        path_prefix: &str,
        name_prefix: &str,
        after_key: Option<&str>,
        limit: i64,
    ) -> Result<Vec<R>, StoreError> {
        if super::never_stored(&[path_prefix, name_prefix]) {
            return Ok(Vec::new());
        }
        let (lower, upper) = name_key_range(name_prefix, after_key);
        // One lower bound, computed here: with two, SQLite cannot tell which is tighter and
        // walks the index from the start.
        let sql = format!(
            "SELECT {} FROM {} WHERE account_id = $1 AND name_key > $2 AND name_key < $3 \
             AND substr(path, 1, length($4)) = $4 ORDER BY name_key LIMIT $5",
            self.columns, self.name
        );
        Ok(sqlx::query_as(&sql)
            .bind(account_id)
            .bind(lower)
            .bind(upper)
            .bind(path_prefix)
            .bind(limit)
            .fetch_all(db)
            .await?)
    }

    pub async fn rename<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        id: &str,
        name: &str,
        path: &str,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET name = $2, name_key = $3, path = $4 WHERE {} = $1",
            self.name, self.id
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(name)
            .bind(name.to_ascii_lowercase())
            .bind(path)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        id: &str,
    ) -> Result<(), StoreError> {
        let sql = format!("DELETE FROM {} WHERE {} = $1", self.name, self.id);
        sqlx::query(&sql).bind(id).execute(db).await?;
        Ok(())
    }
}

/// A table with a `permissions_boundary_arn` column (users and roles).
pub struct BoundedTable<R>(pub Table<R>);

impl<R> std::ops::Deref for BoundedTable<R> {
    type Target = Table<R>;

    fn deref(&self) -> &Table<R> {
        &self.0
    }
}

impl<R> BoundedTable<R>
where
    R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    /// The entities of the account that use `policy_arn` as their permissions boundary.
    pub async fn with_boundary<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        account_id: &str,
        policy_arn: &str,
    ) -> Result<Vec<R>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE account_id = $1 AND permissions_boundary_arn = $2",
            self.0.columns, self.0.name
        );
        Ok(sqlx::query_as(&sql)
            .bind(account_id)
            .bind(policy_arn)
            .fetch_all(db)
            .await?)
    }

    pub async fn set_permissions_boundary<'c>(
        &self,
        db: impl Executor<'c, Database = Any>,
        id: &str,
        boundary_arn: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET permissions_boundary_arn = $2 WHERE {} = $1",
            self.0.name, self.0.id
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(boundary_arn)
            .execute(db)
            .await?;
        Ok(())
    }
}
