//! SAML 2.0 metadata: reading an identity provider's (its entity ID, signing certificates and
//! expiry, with AWS's refusals) and writing Ferriam's own service-provider metadata, which the
//! administrator gives their identity provider.

use base64::Engine;
use openssl::asn1::Asn1Time;
use openssl::x509::X509;

use crate::domain::saml_provider::attributes;
use crate::domain::Invalid;

use super::xml::{self, METADATA_NS, SIGNATURE_NS};

/// An identity provider's metadata, as far as Ferriam uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdpMetadata {
    pub entity_id: String,
    pub certificates: Vec<SigningCertificate>,
    /// The document's `validUntil`, in milliseconds since the epoch.
    pub valid_until: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningCertificate {
    pub der: Vec<u8>,
    /// The certificate's subject, as OpenSSL prints it (`CN=idp.example.com`).
    pub subject: String,
    /// Its `notAfter`, in milliseconds since the epoch.
    pub not_after: i64,
}

const SAML2_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// Signing certificates read from one document: each is tried on every response, so the
/// work a stranger can cause stays bounded.
pub const MAX_CERTIFICATES: usize = 10;
/// Why SAML is not served: its endpoints' origin is not known.
pub const NO_SERVICE_ORIGIN: &str = "SAML needs this service's address: start the server with --public-url (FERRIAM_PUBLIC_URL), or listening on one address rather than all of them.";

fn invalid(message: impl Into<String>) -> Invalid {
    Invalid::new("SAMLMetadataDocument", message).with_code("InvalidInput")
}

/// Reads an identity provider's metadata document: an `EntityDescriptor` with an
/// `IDPSSODescriptor` for SAML 2.0 and at least one signing certificate. A document past its
/// `validUntil` (at `now`, in milliseconds) is refused.
pub fn parse_idp_metadata(document: &str, now: i64) -> Result<IdpMetadata, Invalid> {
    let doc =
        xml::parse(document).map_err(|e| invalid(format!("Could not parse metadata: {e}")))?;
    let root = doc.root_element();
    if !xml::is(root, METADATA_NS, "EntityDescriptor") {
        return Err(invalid(
            "Could not parse metadata: the document must be an md:EntityDescriptor.",
        ));
    }
    let entity_id = root
        .attribute("entityID")
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| invalid("Could not parse metadata: the EntityDescriptor has no entityID."))?
        .to_string();
    let valid_until = root
        .attribute("validUntil")
        .map(|text| {
            xml::date_time(text)
                .ok_or_else(|| invalid("Could not parse metadata: validUntil is not a date."))
        })
        .transpose()?;
    if valid_until.is_some_and(|until| until <= now) {
        return Err(invalid("The metadata document has expired (validUntil)."));
    }
    let idp = xml::children(root, METADATA_NS, "IDPSSODescriptor")
        .find(|descriptor| {
            descriptor
                .attribute("protocolSupportEnumeration")
                .is_some_and(|list| list.split_whitespace().any(|p| p == SAML2_PROTOCOL))
        })
        .ok_or_else(|| invalid("The metadata document has no IDPSSODescriptor for SAML 2.0."))?;
    let mut certificates = Vec::new();
    for key in xml::children(idp, METADATA_NS, "KeyDescriptor") {
        if key.attribute("use").is_some_and(|used| used != "signing") {
            continue;
        }
        let texts = key
            .descendants()
            .filter(|node| xml::is(*node, SIGNATURE_NS, "X509Certificate"));
        for text in texts {
            let certificate = read_certificate(&xml::text(text))?;
            if !certificates.contains(&certificate) {
                certificates.push(certificate);
            }
        }
    }
    if certificates.len() > MAX_CERTIFICATES {
        return Err(invalid(format!(
            "The metadata document has more than {MAX_CERTIFICATES} signing certificates."
        )));
    }
    if certificates.is_empty() {
        return Err(invalid(
            "The metadata document has no signing certificate (KeyDescriptor with an X509Certificate).",
        ));
    }
    Ok(IdpMetadata {
        entity_id,
        certificates,
        valid_until,
    })
}

fn read_certificate(base64_text: &str) -> Result<SigningCertificate, Invalid> {
    let compact: String = base64_text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| invalid("An X509Certificate in the metadata is not base64."))?;
    let certificate = X509::from_der(&der)
        .map_err(|_| invalid("An X509Certificate in the metadata is not a DER certificate."))?;
    let epoch = Asn1Time::from_unix(0).map_err(|_| invalid("certificate time"))?;
    let age = epoch
        .diff(certificate.not_after())
        .map_err(|_| invalid("An X509Certificate in the metadata has no valid notAfter."))?;
    let subject = certificate
        .subject_name()
        .entries()
        .filter_map(|entry| {
            let key = entry.object().nid().short_name().ok()?;
            let value = String::from_utf8_lossy(entry.data().as_slice());
            Some(format!("{key}={value}"))
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(SigningCertificate {
        der,
        subject,
        not_after: (i64::from(age.days) * 86_400 + i64::from(age.secs)) * 1_000,
    })
}

/// Ferriam's entity ID (the audience its assertions must name) at `origin`.
pub fn entity_id(origin: &str) -> String {
    format!("{origin}/saml/metadata.xml")
}

/// Ferriam's assertion consumer service (the `Recipient` and `Destination`) at `origin`.
pub fn acs_url(origin: &str) -> String {
    format!("{origin}/saml")
}

/// The service-provider metadata served at `GET /saml/metadata.xml`.
pub fn sp_metadata(origin: &str) -> String {
    let entity_id = xml::escape(&entity_id(origin));
    let acs = xml::escape(&acs_url(origin));
    let role = attributes::ROLE;
    let session_name = attributes::ROLE_SESSION_NAME;
    let duration = attributes::SESSION_DURATION;
    let source_identity = attributes::SOURCE_IDENTITY;
    let transitive = attributes::TRANSITIVE_TAG_KEYS;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="{SAML2_PROTOCOL}">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="1" isDefault="true"/>
    <md:AttributeConsumingService index="1" isDefault="true">
      <md:ServiceName xml:lang="en">Ferriam console and STS</md:ServiceName>
      <md:RequestedAttribute isRequired="true" Name="{role}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="Role"/>
      <md:RequestedAttribute isRequired="true" Name="{session_name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="RoleSessionName"/>
      <md:RequestedAttribute isRequired="false" Name="{duration}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="SessionDuration"/>
      <md:RequestedAttribute isRequired="false" Name="{source_identity}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="SourceIdentity"/>
      <md:RequestedAttribute isRequired="false" Name="{transitive}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="TransitiveTagKeys"/>
    </md:AttributeConsumingService>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate (CN=test-idp, valid 2026-12-07 to 2027-01-06).
    const CERT: &str = "MIIDBzCCAe+gAwIBAgIUKdZD1IxWJ+k2AmQRsUKBPfrsq5YwDQYJKoZIhvcNAQELBQAwEzERMA8GA1UEAwwIdGVzdC1pZHAwHhcNMjYxMjA3MjIxNzA0WhcNMjcwMTA2MjIxNzA0WjATMREwDwYDVQQDDAh0ZXN0LWlkcDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMTQ4tVzY9xJxo+iByuaEZCIV1XeWX4kYq5AJdD+QOffvC23rsrZ7vPvR/O8jLuTPnNVvphhCV0eB6SMUe1kOVzE/ECXh4tHzI07zEc22Pwh8mKqb7K0GThasM0S7Vqhf9SQdqmt5mfAiQNIeJmJ2yYSgsejAQnnWdt7VYeCmgJ44XtO4PywbtP2d4WhE3gN5yG3kO7hG77ZTX6r37eo65Ny04Thi6qEK/XJpN2RL14vEnqV6D1yuJAKUx/2MI6YL11ZJ4SOZ28CCVgqudPJ62LX7GbxW6+QiJuB8bvS8D62ynOX9EKt2QEfzgW5ItBxyXHAHD+tNN2+AclaBQEBrGsCAwEAAaNTMFEwHQYDVR0OBBYEFOg8f1B2DrN7tSfRlE1OMRNPyvkMMB8GA1UdIwQYMBaAFOg8f1B2DrN7tSfRlE1OMRNPyvkMMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAJnnPoV/5YgufiSvHDRjQ2uoMC07AKGofWf2BhKbwV88VS4XAyWg4axMlbCb9lFcue8tOdBgRgDTZ3Y6jAAupsYggN9h7tb6AeUcuSCxNZuXU8gdJSuUXs3TAkd5XVnGJHSV5CsF/yvspqV1mh/LFOUgJ2Xd5LTdoVJ4OlTsWadLyGepPoVpyp6PJ5jry5lXoB4w3Izt6ZmhGmRvoT6FmrMSyyFaKYLH1Fbe/3BIbDEayClqMzrLFnvI7l1BHelKHfvK8h++7av7YC1qhflXzDcZZXKYvYHnb1RGCBfRZ6iYvc6yyPFfKu2XMnFK80/n3Xb7l+yzoZA6QnL99eOIhCg=";
    const NOW: i64 = 1_796_000_000_000;

    fn metadata(attributes: &str, key_use: &str, certificate: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" {attributes}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor {key_use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
{certificate}
    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#
        )
    }

    #[test]
    fn reads_entity_id_certificates_and_expiry() {
        let doc = metadata(
            r#"entityID="https://idp.example.com/" validUntil="2027-06-01T00:00:00Z""#,
            r#"use="signing""#,
            CERT,
        );
        let parsed = parse_idp_metadata(&doc, NOW).unwrap();
        assert_eq!(parsed.entity_id, "https://idp.example.com/");
        assert_eq!(parsed.valid_until, Some(1_811_808_000_000));
        assert_eq!(parsed.certificates.len(), 1);
        assert_eq!(parsed.certificates[0].subject, "CN=test-idp");
        // notAfter 2027-01-06T22:17:04Z.
        assert_eq!(parsed.certificates[0].not_after, 1_799_273_824_000);
    }

    #[test]
    fn refuses_what_aws_refuses() {
        let ok_attrs = r#"entityID="https://idp.example.com/""#;
        let no_signing = metadata(ok_attrs, r#"use="encryption""#, CERT);
        assert!(parse_idp_metadata(&no_signing, NOW)
            .unwrap_err()
            .message
            .contains("no signing certificate"));
        let expired = metadata(
            r#"entityID="x" validUntil="2020-01-01T00:00:00Z""#,
            "",
            CERT,
        );
        assert!(parse_idp_metadata(&expired, NOW)
            .unwrap_err()
            .message
            .contains("expired"));
        let no_entity = metadata("", "", CERT);
        assert!(parse_idp_metadata(&no_entity, NOW).is_err());
        let bad_cert = metadata(ok_attrs, "", "bm90IGEgY2VydA==");
        assert!(parse_idp_metadata(&bad_cert, NOW).is_err());
        assert!(parse_idp_metadata("<not-closed", NOW).is_err());
        let sp = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#;
        assert!(parse_idp_metadata(sp, NOW)
            .unwrap_err()
            .message
            .contains("IDPSSODescriptor"));
    }

    #[test]
    fn refuses_dtds_and_entities() {
        let doc = format!(
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{}",
            metadata(r#"entityID="&e;""#, "", CERT)
        );
        assert!(parse_idp_metadata(&doc, NOW).is_err());
    }

    #[test]
    fn sp_metadata_names_the_acs_and_escapes_the_origin() {
        let doc = sp_metadata("https://iam.example.com");
        assert!(doc.contains(r#"entityID="https://iam.example.com/saml/metadata.xml""#));
        assert!(doc.contains(r#"Location="https://iam.example.com/saml""#));
        assert!(xml::parse(&doc).is_ok());
        assert!(sp_metadata("https://a\"b").contains("a&quot;b"));
    }
}
