//! BinaryEquals: policy and request values are base64; the decoded bytes are compared.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_standard_base64() {
        assert_eq!(
            decode_base64("QmluYXJ5VmFsdWU="),
            Some(b"BinaryValue".to_vec())
        );
        assert_eq!(decode_base64("not base64!"), None);
    }
}
