//! IP address operators: IpAddress / NotIpAddress with IPv4 and IPv6 CIDR
//! blocks (a bare address is a /32 or /128).

use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    pub fn parse(text: &str) -> Option<IpNetwork> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) => {
                prefix.parse::<u8>().ok().filter(|prefix| *prefix <= max)?
            }
            Some(_) => return None,
        };
        Some(IpNetwork { address, prefix })
    }

    pub fn contains(&self, candidate: IpAddr) -> bool {
        match (self.address, candidate) {
            (IpAddr::V4(network), IpAddr::V4(candidate)) => {
                masked(u32::from(network).into(), 32, self.prefix)
                    == masked(u32::from(candidate).into(), 32, self.prefix)
            }
            (IpAddr::V6(network), IpAddr::V6(candidate)) => {
                masked(u128::from(network), 128, self.prefix)
                    == masked(u128::from(candidate), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u32, prefix: u8) -> u128 {
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return 0;
    }
    let shift = width - prefix;
    (bits >> shift) << shift
}

/// Reads a request's IP address; a CIDR-shaped value counts as its address.
pub fn parse_request_ip(text: &str) -> Option<IpAddr> {
    let address = text.split_once('/').map_or(text, |(address, _)| address);
    address.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_cidr_blocks() {
        let table: &[(&str, &str, bool)] = &[
            ("203.0.113.0/24", "203.0.113.77", true),
            ("203.0.113.0/24", "203.0.114.1", false),
            ("203.0.113.5", "203.0.113.5", true),
            ("203.0.113.5", "203.0.113.6", false),
            ("0.0.0.0/0", "198.51.100.1", true),
            (
                "2001:DB8:1234:5678::/64",
                "2001:db8:1234:5678:abcd::1",
                true,
            ),
            ("2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", false),
            ("::/0", "203.0.113.5", false),
            ("203.0.113.0/24", "2001:db8::1", false),
        ];
        for (network, address, expected) in table {
            let network = IpNetwork::parse(network).expect("network");
            let address = parse_request_ip(address).expect("address");
            assert_eq!(
                network.contains(address),
                *expected,
                "{network:?} {address}"
            );
        }
        for bad in [
            "203.0.113.0/33",
            "203.0.113.0/",
            "nope",
            "1.2.3.4/x",
            "::/129",
        ] {
            assert_eq!(IpNetwork::parse(bad), None, "{bad}");
        }
    }
}
