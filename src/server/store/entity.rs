//! The kinds of entity that policies attach to and tags hang on, as stored in `entity_type`.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityType {
    User,
    Group,
    Role,
    Policy,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::User => "user",
            EntityType::Group => "group",
            EntityType::Role => "role",
            EntityType::Policy => "policy",
        }
    }
}
