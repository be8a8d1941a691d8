//! A user's credentials for other services than AWS's APIs: SSH public keys (CodeCommit),
//! X.509 signing certificates and service-specific credentials (CodeCommit and Keyspaces
//! passwords, Bedrock and CloudWatch Logs API keys). mediamock serves none of those services,
//! so it keeps what IAM shows of them and no password or secret.

use serde::{Deserialize, Serialize};

/// An uploaded SSH public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SshPublicKey {
    /// `APKA…`.
    pub id: String,
    /// The key as uploaded (trimmed): `ssh-rsa …` or PEM.
    pub body: String,
    /// MD5 fingerprint of the key, colon-separated.
    pub fingerprint: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Upload time, seconds since the epoch.
    pub uploaded: f64,
}

/// An uploaded X.509 signing certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SigningCertificate {
    /// The certificate ID.
    pub id: String,
    /// The PEM body as uploaded (trimmed).
    pub body: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Upload time, seconds since the epoch.
    pub uploaded: f64,
}

/// A service-specific credential, without its password or secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCredential {
    /// `ACCA…`.
    pub id: String,
    /// The service, e.g. `codecommit.amazonaws.com`.
    pub service: String,
    /// `NAME-at-ACCOUNT` for password credentials.
    pub service_user_name: Option<String>,
    /// The public part of an API key.
    pub alias: Option<String>,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// When an API key created with `CredentialAgeDays` expires.
    pub expires: Option<f64>,
}

/// The three kinds together, as a user holds them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserCredentials {
    /// SSH public keys, in upload order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<SshPublicKey>,
    /// Signing certificates, in upload order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<SigningCertificate>,
    /// Service-specific credentials, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<ServiceCredential>,
}

impl UserCredentials {
    /// Whether the user holds none.
    pub fn is_empty(&self) -> bool {
        self.ssh_keys.is_empty() && self.certificates.is_empty() && self.service.is_empty()
    }
}
