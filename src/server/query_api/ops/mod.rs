//! The operations' handlers, one small function each, grouped by area. Each decodes its
//! parameters, calls one service function and encodes the result.

pub mod account;
pub mod attachments;
pub mod credentials;
pub mod groups;
pub mod inline;
pub mod instance_profiles;
pub mod mfa;
pub mod oidc_providers;
pub mod policies;
pub mod roles;
pub mod saml_providers;
pub mod simulation;
pub mod sts;
pub mod tags_and_boundaries;
pub mod users;

use super::errors::ApiError;
use super::input::Input;
use super::xml::Xml;
use crate::domain::iam_models::Page;
use crate::server::service::paging::{decode_marker, encode_marker, max_items, PageRequest};
use crate::server::service::{Caller, Iam};

/// What a handler gets: the service handle, the authenticated caller and the parameters —
/// only those its table entry declares (see `input::Input`).
pub struct Cx<'a> {
    pub iam: &'a Iam,
    pub caller: &'a Caller,
    pub params: &'a Input<'a>,
}

/// The `<XResult>` body, or `None` for operations without output.
pub type Reply = Result<Option<Xml>, ApiError>;

pub fn result(build: impl FnOnce(&mut Xml)) -> Reply {
    let mut xml = Xml::new();
    build(&mut xml);
    Ok(Some(xml))
}

pub fn done() -> Reply {
    Ok(None)
}

/// AWS's `MaxItems` (1–1,000, default 100) and `Marker` of an index-paged listing, as the
/// index of the first item wanted and the most items wanted.
pub fn index_page(params: &Input<'_>) -> Result<(usize, usize), ApiError> {
    let limit = max_items(params.int("MaxItems")?)
        .map_err(|invalid| ApiError::from(crate::server::service::ServiceError::from(invalid)))?
        as usize;
    let start = match decode_marker(params.get("Marker"))
        .map_err(|invalid| ApiError::from(crate::server::service::ServiceError::from(invalid)))?
    {
        Some(offset) => offset
            .strip_prefix("i:")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::validation("Invalid Marker."))?,
        None => 0,
    };
    Ok((start, limit))
}

/// The `Marker` that continues an index-paged listing at item `next`.
pub fn index_marker(next: usize) -> String {
    encode_marker(&format!("i:{next}"))
}

/// `MaxItems` and `Marker` of a listing the service pages in the store.
pub fn page_request(params: &Input<'_>) -> Result<PageRequest, ApiError> {
    Ok(PageRequest {
        marker: params.string("Marker"),
        max_items: params.int("MaxItems")?,
    })
}

/// Pages a complete listing the service returns in one piece, with AWS's `MaxItems` and an
/// opaque `Marker`. Only for listings an enforced quota keeps small (each call site names
/// it); a listing that grows with the account pages in the store (see `page_request`).
pub fn paginate<T>(items: Vec<T>, params: &Input<'_>) -> Result<Page<T>, ApiError> {
    let (start, limit) = index_page(params)?;
    let total = items.len();
    let end = start.saturating_add(limit).min(total);
    let is_truncated = end < total;
    Ok(Page {
        items: items
            .into_iter()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect(),
        is_truncated,
        marker: is_truncated.then(|| index_marker(end)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::query_api::input::Members;
    use crate::server::query_api::params::Params;

    static LISTING: Members = Members {
        op: crate::catalog::Op::ListUserTags,
        reads: &["MaxItems", "Marker"],
        refuses: &[],
    };

    fn paginate<T>(items: Vec<T>, params: &Params) -> Result<Page<T>, ApiError> {
        super::paginate(items, &Input::new(params, &LISTING))
    }

    #[test]
    fn whole_listings_page_with_max_items_and_markers() {
        let params = Params::from_pairs([("MaxItems", "2")]);
        let first = paginate(vec![1, 2, 3, 4, 5], &params).unwrap();
        assert_eq!(first.items, vec![1, 2]);
        assert!(first.is_truncated);
        let next = Params::from_pairs([
            ("MaxItems", "2".to_string()),
            ("Marker", first.marker.unwrap()),
        ]);
        let second = paginate(vec![1, 2, 3, 4, 5], &next).unwrap();
        assert_eq!(second.items, vec![3, 4]);
        let all = paginate(vec![1, 2], &Params::default()).unwrap();
        assert_eq!(all.items, vec![1, 2]);
        assert!(!all.is_truncated);
        assert_eq!(all.marker, None);
        assert!(paginate(vec![1], &Params::from_pairs([("MaxItems", "0")])).is_err());
        assert!(paginate(vec![1], &Params::from_pairs([("Marker", "!!")])).is_err());
    }
}
