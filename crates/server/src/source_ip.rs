//! Which address `aws:SourceIp` is: the peer's, or — with `--trust-forwarded-for`, for a
//! server behind proxies — the address the outermost trusted proxy appended to
//! `X-Forwarded-For`. Entries left of it were written by the client and prove nothing.

use std::net::{IpAddr, SocketAddr};

/// The request's source IP: with `trusted_hops` trusted proxies, the `X-Forwarded-For` entry
/// that many places from the right (every `X-Forwarded-For` header, in order, as one list);
/// the peer address when not trusted, or when that entry is missing or unreadable.
pub fn source_ip(
    peer: SocketAddr,
    headers: &[(&str, &[u8])],
    trust_forwarded_for: bool,
    trusted_hops: usize,
) -> IpAddr {
    if !trust_forwarded_for || trusted_hops == 0 {
        return peer.ip();
    }
    let mut entries: Vec<&str> = Vec::new();
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("x-forwarded-for") {
            continue;
        }
        let Ok(text) = std::str::from_utf8(value) else {
            return peer.ip();
        };
        entries.extend(text.split(','));
    }
    entries
        .len()
        .checked_sub(trusted_hops)
        .and_then(|i| parse_entry(entries[i]))
        .unwrap_or_else(|| peer.ip())
}

/// One `X-Forwarded-For` entry, which may carry a port (`1.2.3.4:5678`, `[::1]:5678`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .and_then(|s| s.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> SocketAddr {
        "127.0.0.1:4000".parse().unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_peer_is_the_source_unless_forwarded_for_is_trusted() {
        let h: Vec<(&str, &[u8])> = vec![("X-Forwarded-For", b"10.1.2.3, 192.168.0.1")];
        assert_eq!(source_ip(peer(), &h, false, 1), peer().ip());
        assert_eq!(source_ip(peer(), &h, true, 1), ip("192.168.0.1"));
    }

    #[test]
    fn a_client_written_first_entry_is_not_the_source() {
        // The client sent `X-Forwarded-For: 203.0.113.9` to claim an allowed address; the
        // trusted proxy appended the address it really came from.
        let h: Vec<(&str, &[u8])> = vec![("x-forwarded-for", b"203.0.113.9, 198.51.100.7")];
        assert_eq!(source_ip(peer(), &h, true, 1), ip("198.51.100.7"));
        // Two trusted proxies: the second appended the first's address.
        let h: Vec<(&str, &[u8])> =
            vec![("x-forwarded-for", b"203.0.113.9, 198.51.100.7, 10.0.0.2")];
        assert_eq!(source_ip(peer(), &h, true, 2), ip("198.51.100.7"));
        // Fewer entries than trusted hops: nothing trustworthy, so the peer.
        assert_eq!(source_ip(peer(), &h, true, 4), peer().ip());
        // Repeated headers are one list, in order.
        let h: Vec<(&str, &[u8])> = vec![
            ("x-forwarded-for", b"203.0.113.9"),
            ("X-Forwarded-For", b"198.51.100.7"),
        ];
        assert_eq!(source_ip(peer(), &h, true, 1), ip("198.51.100.7"));
    }

    #[test]
    fn ports_and_brackets_are_dropped_and_garbage_falls_back_to_the_peer() {
        assert_eq!(parse_entry("10.0.0.1:99"), "10.0.0.1".parse().ok());
        assert_eq!(parse_entry(" [2001:db8::1]:99"), "2001:db8::1".parse().ok());
        assert_eq!(parse_entry("[2001:db8::1]"), "2001:db8::1".parse().ok());
        assert_eq!(parse_entry("unknown"), None);
        let h: Vec<(&str, &[u8])> = vec![("x-forwarded-for", b"1.2.3.4, nonsense")];
        assert_eq!(source_ip(peer(), &h, true, 1), peer().ip());
        let h: Vec<(&str, &[u8])> = vec![("x-forwarded-for", &[0xff, 0xfe])];
        assert_eq!(source_ip(peer(), &h, true, 1), peer().ip());
    }
}
