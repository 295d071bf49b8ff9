//! How requests reach this instance through a load balancer: with `--trusted-proxy`, a request
//! whose peer is one of those proxies takes its client address from `X-Forwarded-For` and its
//! scheme from `X-Forwarded-Proto` (from anyone else those headers are the client's own word,
//! and ignored); with `--public-url`, a browser on that origin is on our origin whatever `Host`
//! the proxy passes on.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::server::config::PublicUrl;

/// The operator's load-balancer settings, available to every request as an extension.
#[derive(Clone, Debug, Default)]
pub struct Forwarding {
    pub trusted_proxies: Vec<IpNet>,
    pub public_url: Option<PublicUrl>,
    /// This service's own origin, never taken from a request: `--public-url`, else the
    /// listening address when it names one host (`http://127.0.0.1:3000`). SAML assertions are
    /// addressed to it.
    pub service_origin: Option<String>,
}

impl Forwarding {
    /// The service origin for `public_url`, else for listening on `addr`.
    pub fn service_origin(
        public_url: Option<&PublicUrl>,
        addr: std::net::SocketAddr,
    ) -> Option<String> {
        match public_url {
            Some(public) => Some(public.origin().to_string()),
            None if addr.ip().is_unspecified() => None,
            None => Some(format!("http://{addr}")),
        }
    }
}

/// The client as the request's nearest trusted hop reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// `Some` when a trusted proxy said which scheme the client used.
    pub https: Option<bool>,
}

impl Forwarding {
    /// The client behind `peer`, the address that connected to us.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Client {
        if !self.trusts(peer) {
            return Client {
                ip: peer,
                https: None,
            };
        }
        Client {
            ip: self.forwarded_for(peer, headers),
            https: last_value(headers, "x-forwarded-proto")
                .map(|proto| proto.eq_ignore_ascii_case("https")),
        }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    // SECURITY: each proxy appends the address it received from, so only the entries added by
    // our own proxies can be believed: walk from the right past trusted hops; the first other
    // address is the client. Anything left of it (or an entry that is no address) may be forged.
    fn forwarded_for(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                break;
            };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// IPv4 addresses arriving on an IPv6 socket (`::ffff:a.b.c.d`) as the IPv4 addresses they are.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The last comma-separated value of `name`: the one the nearest proxy added.
fn last_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .rfind(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarding(nets: &[&str]) -> Forwarding {
        Forwarding {
            trusted_proxies: nets.iter().map(|n| n.parse().unwrap()).collect(),
            ..Forwarding::default()
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = Forwarding::default().client(ip("10.0.0.5"), &h);
        assert_eq!(
            client,
            Client {
                ip: ip("10.0.0.5"),
                https: None
            }
        );
    }

    #[test]
    fn a_peer_outside_the_trusted_proxies_is_the_client() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        let client = forwarding(&["10.0.0.0/8"]).client(ip("198.51.100.1"), &h);
        assert_eq!(client.ip, ip("198.51.100.1"));
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        // The client forged the first entry; two of our proxies added the rest.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 203.0.113.9"),
            ("x-forwarded-for", "10.0.0.7"),
            ("x-forwarded-proto", "http, https"),
        ]);
        let client = forwarding(&["10.0.0.0/8"]).client(ip("10.0.0.5"), &h);
        assert_eq!(
            client,
            Client {
                ip: ip("203.0.113.9"),
                https: Some(true)
            }
        );
    }

    #[test]
    fn a_garbled_entry_stops_the_walk_at_the_last_trusted_hop() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9, nonsense, 10.0.0.7")]);
        let client = forwarding(&["10.0.0.0/8"]).client(ip("10.0.0.5"), &h);
        assert_eq!(client.ip, ip("10.0.0.7"));
        let none = forwarding(&["10.0.0.0/8"]).client(ip("10.0.0.5"), &HeaderMap::new());
        assert_eq!(
            none,
            Client {
                ip: ip("10.0.0.5"),
                https: None
            }
        );
    }

    #[test]
    fn plain_http_from_the_proxy_is_not_secure_and_mapped_addresses_match() {
        let h = headers(&[
            ("x-forwarded-for", "::ffff:203.0.113.9"),
            ("x-forwarded-proto", "http"),
        ]);
        let client = forwarding(&["127.0.0.1/32"]).client(ip("::ffff:127.0.0.1"), &h);
        assert_eq!(
            client,
            Client {
                ip: ip("203.0.113.9"),
                https: Some(false)
            }
        );
    }
}
