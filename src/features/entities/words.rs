//! What the users, groups and roles pages call each kind and where its pages are, in one table
//! picked by `EntityKind`, so one component serves the three kinds with their own words.

use crate::domain::EntityKind;

/// A kind's words and addresses in the console.
pub struct Words {
    /// The list page's title, and the breadcrumb back to it.
    pub list_title: &'static str,
    /// The list page; an entity's page is `{list_href}/{name}`.
    pub list_href: &'static str,
    /// The create page.
    pub new_href: &'static str,
    /// The list's Create button and the create page's submit button.
    pub create_label: &'static str,
    pub create_test_id: &'static str,
    /// The create page's window title and heading.
    pub create_title: &'static str,
    /// The name field's label on the create page.
    pub name_label: &'static str,
    /// The test id of the Delete and Rename buttons on the entity's page.
    pub delete_test_id: &'static str,
    pub rename_test_id: &'static str,
    /// The form field (and AWS parameter) of the new name when renaming.
    pub new_name_field: &'static str,
    /// The tab open at first on the entity's page.
    pub first_tab: &'static str,
    /// "The ID" row of the summary.
    pub id_label: &'static str,
}

const USER: Words = Words {
    list_title: "Users",
    list_href: "/users",
    new_href: "/new/user",
    create_label: "Create user",
    create_test_id: "create-user",
    create_title: "Create user",
    name_label: "User name",
    delete_test_id: "delete-user",
    rename_test_id: "rename-user",
    new_name_field: "NewUserName",
    first_tab: "Permissions",
    id_label: "User ID",
};

const GROUP: Words = Words {
    list_title: "User groups",
    list_href: "/groups",
    new_href: "/new/group",
    create_label: "Create group",
    create_test_id: "create-group",
    create_title: "Create user group",
    name_label: "Group name",
    delete_test_id: "delete-group",
    rename_test_id: "rename-group",
    new_name_field: "NewGroupName",
    first_tab: "Users",
    id_label: "Group ID",
};

const ROLE: Words = Words {
    list_title: "Roles",
    list_href: "/roles",
    new_href: "/new/role",
    create_label: "Create role",
    create_test_id: "create-role",
    create_title: "Create role",
    name_label: "Role name",
    delete_test_id: "delete-role",
    // Roles are not renamed (AWS has no way to): the console offers no Rename for them.
    rename_test_id: "rename-role",
    new_name_field: "NewRoleName",
    first_tab: "Permissions",
    id_label: "Role ID",
};

/// The words of `kind`.
pub fn words(kind: EntityKind) -> &'static Words {
    kind.pick([&USER, &GROUP, &ROLE])
}

/// The address of an entity's page.
pub fn entity_href(kind: EntityKind, name: &str) -> String {
    format!("{}/{name}", words(kind).list_href)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_addresses() {
        assert_eq!(entity_href(EntityKind::Group, "admins"), "/groups/admins");
        assert_eq!(words(EntityKind::Role).new_href, "/new/role");
        assert_eq!(words(EntityKind::User).name_label, "User name");
    }
}
