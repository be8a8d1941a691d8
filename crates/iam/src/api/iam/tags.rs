//! Tag, Untag and List...Tags for every taggable IAM entity (users, roles, customer managed
//! policies, instance profiles, server certificates, MFA devices, OIDC and SAML providers): the rules are the same for all of them.

use super::entity::{update, Entity};
use super::Call;
use crate::api::input;
use crate::store::{
    InstanceProfile, ManagedPolicy, MfaDevice, OidcProvider, Role, SamlProvider, ServerCertificate,
    State, User,
};
use serde_json::{json, Value};
use service::ServiceError;

/// An entity with a tag list.
pub(crate) trait Tagged: Entity {
    /// The tags, in the order they were added.
    fn tags(&self) -> &[(String, String)];

    /// The tags, to change.
    fn tags_mut(&mut self) -> &mut Vec<(String, String)>;
}

/// Implements [`Tagged`] for entities that keep their tags in a `tags` field (all of them).
macro_rules! tags_in_field {
    ($($entity:ty),*) => {$(
        impl Tagged for $entity {
            fn tags(&self) -> &[(String, String)] {
                &self.tags
            }

            fn tags_mut(&mut self) -> &mut Vec<(String, String)> {
                &mut self.tags
            }
        }
    )*};
}

tags_in_field!(
    User,
    Role,
    ManagedPolicy,
    InstanceProfile,
    ServerCertificate,
    MfaDevice,
    OidcProvider,
    SamlProvider
);

/// Adds or replaces tags (keys compare case-insensitively), at most 50.
pub(crate) fn merge_tags(
    existing: &mut Vec<(String, String)>,
    new: Vec<(String, String)>,
) -> Result<(), ServiceError> {
    for (k, v) in new {
        existing.retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
        existing.push((k, v));
    }
    if existing.len() > 50 {
        return Err(ServiceError::new(
            "LimitExceeded",
            "The number of tags has reached the maximum limit.",
        ));
    }
    Ok(())
}

/// `Tag<Entity>`: merges the input's `Tags` into the named entity's.
pub(crate) fn tag<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let tags = input::tags(c.input, "Tags");
    update(c, s, |_, e: &mut E| merge_tags(e.tags_mut(), tags))
}

/// `Untag<Entity>`: drops the tags whose keys `TagKeys` names (case-insensitively).
pub(crate) fn untag<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let keys = input::strings(c.input, "TagKeys");
    update(c, s, |_, e: &mut E| {
        e.tags_mut()
            .retain(|(k, _)| !keys.iter().any(|x| x.eq_ignore_ascii_case(k)));
        Ok(())
    })
}

/// `List<Entity>Tags`: the named entity's tags, a page at a time, sorted by key.
pub(crate) fn list<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let items = input::sorted_tags(E::named(c, s)?.tags())
        .enumerate()
        .map(|(i, (k, v))| (format!("{i:05}"), json!({"Key": k, "Value": v})))
        .collect();
    c.paged(items, "Tags")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn merging_replaces_keys_case_insensitively_and_appends_new_ones() {
        let mut tags = pairs(&[("Team", "a"), ("Env", "dev")]);
        merge_tags(&mut tags, pairs(&[("team", "b"), ("Owner", "x")])).unwrap();
        assert_eq!(
            tags,
            pairs(&[("Env", "dev"), ("team", "b"), ("Owner", "x")])
        );
    }

    #[test]
    fn merging_past_fifty_tags_is_refused() {
        let mut tags: Vec<(String, String)> =
            (0..50).map(|i| (format!("k{i}"), String::new())).collect();
        merge_tags(&mut tags, pairs(&[("k0", "same key")])).unwrap();
        let err = merge_tags(&mut tags, pairs(&[("new", "")])).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");
    }
}
