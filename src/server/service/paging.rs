//! Listing parameters as AWS takes them: `MaxItems` (1–1,000, default 100) and an opaque
//! `Marker` that continues after the last item of the previous page.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::domain::iam_models::Page;
use crate::domain::iam_names::constraint_message;
use crate::domain::Invalid;

pub const DEFAULT_MAX_ITEMS: i64 = 100;

/// Checks `MaxItems`.
pub fn max_items(value: Option<i64>) -> Result<i64, Invalid> {
    match value {
        None => Ok(DEFAULT_MAX_ITEMS),
        Some(n) if (1..=1000).contains(&n) => Ok(n),
        Some(n) if n < 1 => Err(Invalid::new(
            "MaxItems",
            constraint_message("maxItems", "have value greater than or equal to 1"),
        )),
        Some(_) => Err(Invalid::new(
            "MaxItems",
            constraint_message("maxItems", "have value less than or equal to 1000"),
        )),
    }
}

/// Decodes a marker into the sort key it continues after.
pub fn decode_marker(marker: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(marker) = marker.filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(marker)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(Some)
        .ok_or_else(invalid_marker)
}

pub fn encode_marker(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// `MaxItems` and `Marker` of one listing, as a service function takes them.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub marker: Option<String>,
    pub max_items: Option<i64>,
}

/// A checked `PageRequest` of a listing whose markers carry its `listing` tag: the most rows
/// wanted and the sort key to continue after.
pub struct PageBounds {
    pub limit: i64,
    pub after: Option<String>,
}

impl PageRequest {
    /// Checks `MaxItems` and decodes a marker made by `tagged_marker(listing, ..)`. A marker
    /// of another listing (or of none) is refused with the error a garbage marker gets, so a
    /// key meant for one order is never read as a position in another.
    pub fn bounds(&self, listing: &str) -> Result<PageBounds, Invalid> {
        let limit = max_items(self.max_items)?;
        let after = match decode_marker(self.marker.as_deref())? {
            None => None,
            Some(key) => Some(
                key.strip_prefix(listing)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(str::to_string)
                    .ok_or_else(invalid_marker)?,
            ),
        };
        Ok(PageBounds { limit, after })
    }
}

/// The marker of a `listing` continuing after the sort key `key`.
pub fn tagged_marker(listing: &str, key: &str) -> String {
    encode_marker(&format!("{listing}:{key}"))
}

/// AWS's answer to a marker that no previous page of this listing returned.
pub fn invalid_marker() -> Invalid {
    Invalid::new(
        "Marker",
        "Invalid Marker: the marker does not come from a previous listing.",
    )
}

/// `page`, for a listing whose markers carry its `listing` tag (see `PageRequest::bounds`).
pub fn tagged_page<R, T>(
    rows: Vec<R>,
    bounds: &PageBounds,
    listing: &str,
    key: impl Fn(&R) -> String,
    item: impl FnMut(R) -> T,
) -> Page<T> {
    let mut page = page(rows, bounds.limit, key, item);
    page.marker = page
        .marker
        .take()
        .and_then(|m| decode_marker(Some(&m)).ok().flatten())
        .map(|key| tagged_marker(listing, &key));
    page
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says more exist.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> String,
    item: impl FnMut(R) -> T,
) -> Page<T> {
    let is_truncated = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let marker = if is_truncated {
        rows.last().map(|row| encode_marker(&key(row)))
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(item).collect(),
        is_truncated,
        marker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_items_bounds() {
        assert_eq!(max_items(None).unwrap(), 100);
        assert_eq!(max_items(Some(1)).unwrap(), 1);
        assert_eq!(max_items(Some(1000)).unwrap(), 1000);
        assert!(max_items(Some(0)).is_err());
        assert!(max_items(Some(1001)).is_err());
    }

    #[test]
    fn markers_round_trip_and_reject_garbage() {
        let marker = encode_marker("alice");
        assert_eq!(
            decode_marker(Some(&marker)).unwrap().as_deref(),
            Some("alice")
        );
        assert_eq!(decode_marker(None).unwrap(), None);
        assert!(decode_marker(Some("!!")).is_err());
    }

    #[test]
    fn tagged_markers_belong_to_one_listing() {
        let request = |marker: Option<String>| PageRequest {
            marker,
            max_items: Some(2),
        };
        let bounds = request(Some(tagged_marker("members", "bob")))
            .bounds("members")
            .unwrap();
        assert_eq!((bounds.limit, bounds.after.as_deref()), (2, Some("bob")));
        assert!(request(None).bounds("members").unwrap().after.is_none());
        // A marker of another listing, an untagged one and garbage are all refused.
        assert!(request(Some(tagged_marker("devices", "bob")))
            .bounds("members")
            .is_err());
        assert!(request(Some(encode_marker("bob")))
            .bounds("members")
            .is_err());
        assert!(request(Some("!!".into())).bounds("members").is_err());
        let page = tagged_page(
            vec!["a", "b", "c"],
            &bounds,
            "members",
            |s| s.to_string(),
            |s| s,
        );
        assert_eq!(
            decode_marker(page.marker.as_deref()).unwrap().as_deref(),
            Some("members:b")
        );
    }

    #[test]
    fn pages_know_when_more_exist() {
        let page = page(
            vec!["a", "b", "c"],
            2,
            |s| s.to_string(),
            |s| s.to_uppercase(),
        );
        assert_eq!(page.items, vec!["A", "B"]);
        assert!(page.is_truncated);
        assert_eq!(
            decode_marker(page.marker.as_deref()).unwrap().as_deref(),
            Some("b")
        );
        let last = super::page(vec!["a"], 2, |s| s.to_string(), |s| s.to_string());
        assert!(!last.is_truncated);
        assert_eq!(last.marker, None);
    }
}
