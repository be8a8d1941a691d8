//! The reference's ARN formats (`arn:${Partition}:ivs:${Region}:${Account}:channel/${ResourceId}`):
//! filling them in, and recognising which format an ARN has.

/// One piece of a compiled format.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    Variable(String),
}

/// A compiled ARN format.
#[derive(Debug, Clone, PartialEq)]
pub struct ArnFormat {
    pieces: Vec<Piece>,
}

impl ArnFormat {
    /// Compiles a format; text outside `${…}` is literal.
    pub fn new(format: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = format;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                pieces.push(Piece::Literal(rest[..start].to_string()));
            }
            pieces.push(Piece::Variable(rest[start + 2..start + len].to_string()));
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest.to_string()));
        }
        ArnFormat { pieces }
    }

    /// The variables other than partition, region and account (`ResourceId`, `FlowName`).
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(v) if !matches!(v.as_str(), "Partition" | "Region" | "Account") => {
                Some(v.as_str())
            }
            _ => None,
        })
    }

    /// The ARN in `region` and `account` with identifiers from `id` (`*` where it has none).
    pub fn fill(&self, region: &str, account: &str, id: impl Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Literal(l) => out.push_str(l),
                Piece::Variable(v) => match v.as_str() {
                    "Partition" => out.push_str("aws"),
                    "Region" => out.push_str(region),
                    "Account" => out.push_str(account),
                    other => out.push_str(&id(other).unwrap_or_else(|| "*".into())),
                },
            }
        }
        out
    }

    /// Whether `arn` has this format. A variable matches one or more characters without `:`,
    /// except the last, which takes the rest (IAM's `${UserNameWithPath}`); `${Region}` may be
    /// empty.
    pub fn matches(&self, arn: &str) -> bool {
        Self::match_from(&self.pieces, arn)
    }

    fn match_from(pieces: &[Piece], s: &str) -> bool {
        match pieces.split_first() {
            None => s.is_empty(),
            Some((Piece::Literal(l), rest)) => {
                s.starts_with(l.as_str()) && Self::match_from(rest, &s[l.len()..])
            }
            Some((Piece::Variable(v), rest)) => {
                let may_be_empty = v == "Region";
                if rest.is_empty() {
                    return may_be_empty || !s.is_empty();
                }
                // Try every split point within the colon-free prefix.
                let limit = s.find(':').unwrap_or(s.len());
                let first = if may_be_empty { 0 } else { 1 };
                (first..=limit)
                    .filter(|i| s.is_char_boundary(*i))
                    .any(|i| Self::match_from(rest, &s[i..]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_matches() {
        let f = ArnFormat::new("arn:${Partition}:ivs:${Region}:${Account}:channel/${ResourceId}");
        assert_eq!(
            f.fill("us-west-2", "123", |_| None),
            "arn:aws:ivs:us-west-2:123:channel/*"
        );
        assert!(f.matches("arn:aws:ivs:us-west-2:123:channel/abc"));
        assert!(!f.matches("arn:aws:ivs:us-west-2:123:stream-key/abc"));
        assert!(!f.matches("arn:aws:ivs:us-west-2:123:channel/"));
        assert_eq!(f.identifiers().collect::<Vec<_>>(), ["ResourceId"]);
        let user = ArnFormat::new("arn:${Partition}:iam::${Account}:user/${UserNameWithPath}");
        assert!(user.matches("arn:aws:iam::123:user/team/alice"));
        assert!(!user.matches("arn:aws:iam::123:role/alice"));
        let flow = ArnFormat::new(
            "arn:${Partition}:mediaconnect:${Region}:${Account}:flow:${FlowId}:${FlowName}",
        );
        assert!(flow.matches("arn:aws:mediaconnect:us-east-1:123:flow:1-abc:my-flow"));
        assert!(!flow.matches("arn:aws:mediaconnect:us-east-1:123:flow:1-abc"));
        assert_eq!(
            flow.fill("r", "a", |v| (v == "FlowName").then(|| "f".to_string())),
            "arn:aws:mediaconnect:r:a:flow:*:f"
        );
    }
}
