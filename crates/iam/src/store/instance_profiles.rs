//! Instance profiles: the containers through which EC2 hands a role to an instance. mediamock
//! runs no instances, but tools that manage roles (Terraform, the CLI's cleanup scripts) create,
//! list and empty them, and a role in one cannot be deleted.

use super::account_tables::account_table;
use super::Tags;
use serde::{Deserialize, Serialize};

/// An IAM instance profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceProfile {
    /// Owning account.
    pub account: String,
    /// The name as created.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AIPA…`.
    pub id: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// The names of its roles (AWS allows one).
    pub roles: Vec<String>,
    /// Tags.
    pub tags: Tags,
}

impl InstanceProfile {
    /// `arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:instance-profile{}{}",
            self.account, self.path, self.name
        )
    }

    /// Whether it holds the role `name` (role names compare case-insensitively).
    pub fn holds(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r.eq_ignore_ascii_case(role))
    }
}

/// Journal table of instance profiles.
pub const TABLE: &str = "instance-profile";

account_table!(InstanceProfile, TABLE, instance_profiles);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::State;
    use service::Journal;

    #[test]
    fn profiles_round_trip_through_records() {
        let mut s = State::new();
        let j = Journal::default();
        s.put_entity(
            &j,
            InstanceProfile {
                account: "000000000000".into(),
                name: "Web".into(),
                path: "/app/".into(),
                id: "AIPAEXAMPLE".into(),
                created: 1.0,
                roles: vec!["web-role".into()],
                tags: vec![("team".into(), "a".into())],
            },
        );
        let mut fresh = State::new();
        for r in s.records() {
            fresh.apply(&r).unwrap();
        }
        assert_eq!(fresh, s);
        assert_eq!(
            fresh.accounts["000000000000"].instance_profiles["web"].arn(),
            "arn:aws:iam::000000000000:instance-profile/app/Web"
        );
        s.delete_entity::<InstanceProfile>(&j, "000000000000", "WEB");
        for (_, r) in j.take() {
            fresh.apply(&r).unwrap();
        }
        assert!(fresh.accounts["000000000000"].instance_profiles.is_empty());
    }
}
