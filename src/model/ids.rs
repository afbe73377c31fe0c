//! Typed indices into the account's entity vectors.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the owning vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a user in [`super::Account::users`].
    UserId
);
id_type!(
    /// Index of a group in [`super::Account::groups`].
    GroupId
);
id_type!(
    /// Index of a role in [`super::Account::roles`].
    RoleId
);
id_type!(
    /// Index of a managed policy in [`super::Account::managed_policies`].
    PolicyId
);
id_type!(
    /// Index of an instance profile in [`super::Account::instance_profiles`].
    InstanceProfileId
);

/// An IAM identity that can hold policies: a user, a group or a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentityId {
    /// A user.
    User(UserId),
    /// A group.
    Group(GroupId),
    /// A role.
    Role(RoleId),
}
