//! The parameters of creating and renaming users, groups and roles, checked together so that a
//! request hears of every broken constraint at once, and the service receives only valid values.

use super::iam_names::EntityName;
use super::{AllValid, IamPath, Invalid};

/// A new entity's name and path (`Create{User,Group,Role}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntity<N> {
    pub name: N,
    pub path: IamPath,
}

impl<N: EntityName> NewEntity<N> {
    /// The name as typed (surrounding blanks dropped) and the path, `/` when none is given.
    pub fn parse(name: &str, path: Option<&str>) -> Result<Self, Invalid> {
        let (name, path) = (
            N::parse(N::KIND.parameter(), name.trim()),
            IamPath::parse_or_root("Path", path),
        )
            .all_valid()?;
        Ok(Self { name, path })
    }
}

/// `Update{User,Group}`: the entity's current name, and its new name and/or path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename<N> {
    pub name: N,
    pub new_name: Option<N>,
    pub new_path: Option<IamPath>,
}

impl<N: EntityName> Rename<N> {
    /// An empty new name or path means "keep it", as the console's rename form sends it.
    pub fn parse(
        name: &str,
        new_name: Option<&str>,
        new_path: Option<&str>,
    ) -> Result<Self, Invalid> {
        let (name, new_name, new_path) = (
            N::parse_existing(N::KIND.parameter(), name),
            given(new_name.map(str::trim))
                .map(|n| N::parse(N::KIND.new_name_parameter(), n))
                .transpose(),
            given(new_path)
                .map(|p| IamPath::parse("NewPath", p))
                .transpose(),
        )
            .all_valid()?;
        Ok(Self {
            name,
            new_name,
            new_path,
        })
    }
}

fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{GroupName, UserName};

    #[test]
    fn a_bad_name_and_a_bad_path_are_both_named() {
        let error =
            NewEntity::<UserName>::parse(&"u".repeat(65), Some(&"p".repeat(513))).unwrap_err();
        assert_eq!(error.field, "UserName");
        assert_eq!(
            error.message,
            "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64; Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"
        );
    }

    #[test]
    fn a_new_entity_is_trimmed_and_rooted() {
        let group = NewEntity::<GroupName>::parse("  devs ", None).unwrap();
        assert_eq!((group.name.as_str(), group.path.as_str()), ("devs", "/"));
    }

    #[test]
    fn a_rename_keeps_what_is_left_empty() {
        let rename = Rename::<UserName>::parse("alice", Some(" "), Some("/x/")).unwrap();
        assert_eq!(rename.new_name, None);
        assert_eq!(rename.new_path.unwrap().as_str(), "/x/");
        let error =
            Rename::<UserName>::parse(&"a".repeat(129), Some(&"b".repeat(65)), None).unwrap_err();
        assert!(
            error.message.starts_with("2 validation errors detected: "),
            "{}",
            error.message
        );
    }
}
