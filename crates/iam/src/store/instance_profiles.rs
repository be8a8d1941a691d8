//! Instance profiles: the containers through which EC2 hands a role to an instance. mediamock
//! runs no instances, but tools that manage roles (Terraform, the CLI's cleanup scripts) create,
//! list and empty them, and a role in one cannot be deleted.

use super::{entity_key, from_value, to_value, AccountState, State, Tags};
use serde::{Deserialize, Serialize};
use service::{Journal, Record};

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

impl State {
    /// Journals and stores an instance profile.
    pub fn put_instance_profile(&mut self, j: &Journal, p: InstanceProfile) {
        j.put(
            &p.account,
            TABLE,
            &entity_key(&p.account, TABLE, &p.name),
            to_value(&p),
        );
        self.ensure_account(&p.account.clone())
            .instance_profiles
            .insert(p.name.to_lowercase(), p);
    }

    /// Journals and removes an instance profile.
    pub fn delete_instance_profile(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(account, TABLE, &entity_key(account, TABLE, name));
        if let Some(a) = self.accounts.get_mut(account) {
            a.instance_profiles.remove(&name.to_lowercase());
        }
    }

    /// Re-applies an instance profile record; `None` when the record is of another table.
    pub(super) fn apply_instance_profile(&mut self, r: &Record) -> Option<Result<(), String>> {
        if r.table != TABLE {
            return None;
        }
        let Some(v) = &r.value else {
            let name = r.key.rsplit(':').next().unwrap_or_default();
            if let Some(a) = self.accounts.get_mut(&r.account) {
                a.instance_profiles.remove(name);
            }
            return Some(Ok(()));
        };
        Some(from_value::<InstanceProfile>(v).map(|p| {
            self.ensure_account(&p.account.clone())
                .instance_profiles
                .insert(p.name.to_lowercase(), p);
        }))
    }

    /// Puts every instance profile of an account into `j`.
    pub(super) fn instance_profile_records(a: &AccountState, j: &Journal) {
        for p in a.instance_profiles.values() {
            j.put(
                &p.account,
                TABLE,
                &entity_key(&p.account, TABLE, &p.name),
                to_value(p),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_through_records() {
        let mut s = State::new();
        let j = Journal::default();
        s.put_instance_profile(
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
        s.delete_instance_profile(&j, "000000000000", "WEB");
        for (_, r) in j.take() {
            fresh.apply(&r).unwrap();
        }
        assert!(fresh.accounts["000000000000"].instance_profiles.is_empty());
    }
}
