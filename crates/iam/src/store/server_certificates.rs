//! Server certificates: TLS certificates an account uploads for load balancers and CloudFront.
//! Only the certificate and its chain are kept; the private key is checked against the
//! certificate at upload and not kept.

use super::account_tables::account_table;
use super::Tags;
use serde::{Deserialize, Serialize};

/// An IAM server certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerCertificate {
    /// Owning account.
    pub account: String,
    /// The name as uploaded.
    pub name: String,
    /// The path.
    pub path: String,
    /// `ASCA…`.
    pub id: String,
    /// The PEM certificate body (trimmed).
    pub body: String,
    /// The PEM chain, if uploaded.
    pub chain: Option<String>,
    /// Upload time, seconds since the epoch.
    pub uploaded: f64,
    /// The certificate's notAfter, seconds since the epoch.
    pub expires: f64,
    /// Tags.
    pub tags: Tags,
}

impl ServerCertificate {
    /// `arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:server-certificate{}{}",
            self.account, self.path, self.name
        )
    }
}

/// Journal table of server certificates.
pub const TABLE: &str = "server-certificate";

account_table!(ServerCertificate, TABLE, server_certificates);
