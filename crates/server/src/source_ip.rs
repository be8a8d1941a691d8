//! Which address `aws:SourceIp` is: the peer's, or — with `--trust-forwarded-for`, for a
//! server behind a proxy — the client the proxy names first in `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

/// The request's source IP: the first parseable `X-Forwarded-For` address when trusted,
/// else (or when the header is absent or unreadable) the peer address.
pub fn source_ip(peer: SocketAddr, headers: &[(&str, &[u8])], trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for {
        if let Some(ip) = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-forwarded-for"))
            .and_then(|(_, value)| first_forwarded(value))
        {
            return ip;
        }
    }
    peer.ip()
}

/// The first address of an `X-Forwarded-For` value (`client, proxy1, …`), which may carry a
/// port (`1.2.3.4:5678`, `[::1]:5678`).
fn first_forwarded(value: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(value).ok()?;
    let first = text.split(',').next()?.trim();
    first
        .parse::<IpAddr>()
        .ok()
        .or_else(|| first.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            first
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

    #[test]
    fn the_peer_is_the_source_unless_forwarded_for_is_trusted() {
        let h: Vec<(&str, &[u8])> = vec![("X-Forwarded-For", b"10.1.2.3, 192.168.0.1")];
        assert_eq!(source_ip(peer(), &h, false), peer().ip());
        assert_eq!(
            source_ip(peer(), &h, true),
            "10.1.2.3".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn ports_and_brackets_are_dropped_and_garbage_falls_back_to_the_peer() {
        assert_eq!(first_forwarded(b"10.0.0.1:99"), "10.0.0.1".parse().ok());
        assert_eq!(
            first_forwarded(b"[2001:db8::1]:99"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(
            first_forwarded(b"[2001:db8::1]"),
            "2001:db8::1".parse().ok()
        );
        assert_eq!(first_forwarded(b"unknown"), None);
        assert_eq!(first_forwarded(&[0xff, 0xfe]), None);
        let h: Vec<(&str, &[u8])> = vec![("x-forwarded-for", b"nonsense")];
        assert_eq!(source_ip(peer(), &h, true), peer().ip());
    }
}
