//! The `.csv` a new access key downloads as, built in the browser (as a `data:` URL, so the
//! secret never makes another trip to the server). Two columns with AWS's header; the values
//! are an ID and a base64 secret, which hold no comma, quote or line break, so no field needs
//! quoting.

/// AWS's file: the header line, then the key.
pub fn access_key_csv(access_key_id: &str, secret_access_key: &str) -> String {
    format!("Access key ID,Secret access key\r\n{access_key_id},{secret_access_key}\r\n")
}

/// A `data:` URL for `text`, percent-encoding everything but unreserved characters.
pub fn csv_data_url(text: &str) -> String {
    let mut url = String::from("data:text/csv;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The file name AWS's console uses.
pub fn csv_file_name(access_key_id: &str) -> String {
    format!("{access_key_id}_accessKeys.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_aws_header_and_one_row() {
        let csv = access_key_csv("AKIAEXAMPLE", "ab+/c=");
        assert_eq!(
            csv,
            "Access key ID,Secret access key\r\nAKIAEXAMPLE,ab+/c=\r\n"
        );
    }

    #[test]
    fn the_data_url_round_trips_through_percent_decoding() {
        let url = csv_data_url("Access key ID,x\r\nA+/=\r\n");
        assert_eq!(
            url,
            "data:text/csv;charset=utf-8,Access%20key%20ID%2Cx%0D%0AA%2B%2F%3D%0D%0A"
        );
    }
}
