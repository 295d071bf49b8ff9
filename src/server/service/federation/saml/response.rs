//! Checking a SAML 2.0 `Response` from a registered identity provider: the document's shape
//! (one assertion, signatures only where SAML puts them, no DTD, no comments), the XML signature
//! by a certificate from the provider's metadata (libxmlsec1, through samael), then the SAML
//! rules — issuer, status, audience, recipient, destination, times, one bearer confirmation.
//! Every value is read from the canonical bytes the signature covers (xmlsec's pre-digest
//! data), never by a second look into the document that was sent.

use base64::Engine;
use roxmltree::{Node, NodeType};
use samael::crypto::{
    AllowedSignatureAlgorithm, CertificateDer, Crypto, CryptoProvider, ReduceMode,
};

use crate::server::service::error::FederationRefusal;
use crate::server::service::ServiceError;

use super::xml::{self, ASSERTION_NS, PROTOCOL_NS, SIGNATURE_NS};

/// Clock skew allowed between the identity provider and Ferriam.
pub const SKEW_MILLIS: i64 = 3 * 60 * 1000;
/// The audience AWS's own service-provider metadata names; accepted as Ferriam's, as AWS
/// accepts it, so an identity provider set up for AWS works unchanged.
pub const AWS_AUDIENCE: &str = "urn:amazon:webservices";

const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const EXCLUSIVE_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// The one answer to a response no provider of the account vouches for — unknown provider,
/// expired metadata, another issuer, a bad signature alike — so that a stranger learns nothing
/// of which providers exist.
pub const NOT_VALIDATED: &str = "The SAML response could not be validated: no SAML provider of the role's account with current metadata signed it.";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
/// SHA-1 signatures are refused: forgeable in principle, and every maintained IdP signs with
/// SHA-256 or better.
const ALLOWED_ALGORITHMS: &[AllowedSignatureAlgorithm] = &[
    AllowedSignatureAlgorithm::RsaSha256,
    AllowedSignatureAlgorithm::RsaSha384,
    AllowedSignatureAlgorithm::RsaSha512,
    AllowedSignatureAlgorithm::EcdsaSha256,
    AllowedSignatureAlgorithm::EcdsaSha384,
    AllowedSignatureAlgorithm::EcdsaSha512,
];

/// What the assertion must match.
pub struct Expected<'a> {
    /// Ferriam's assertion consumer service: the `Recipient` (and `Destination`, when given).
    pub acs_url: &'a str,
    /// Ferriam's entity ID: an accepted `Audience` (besides `urn:amazon:webservices`).
    pub entity_id: &'a str,
    /// The provider's entity ID, which the assertion's `Issuer` must be.
    pub issuer: &'a str,
    /// The provider's signing certificates (DER).
    pub certificates: &'a [Vec<u8>],
    pub now: i64,
    /// Refuse responses to an authentication request (`InResponseTo`): the console's
    /// assertion consumer service never sends one, so such a response was meant for another.
    pub unsolicited_only: bool,
}

/// A checked assertion's content.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VerifiedAssertion {
    /// The assertion's `ID`.
    pub id: String,
    pub issuer: String,
    /// The `NameID`.
    pub subject: String,
    /// The `NameID`'s `Format`.
    pub subject_format: Option<String>,
    /// The bearer confirmation's `Recipient` (AWS's `Audience` and `SAML:aud`).
    pub recipient: String,
    /// When the assertion stops being acceptable: the earlier of the conditions' and the
    /// confirmation's `NotOnOrAfter`, in milliseconds.
    pub not_on_or_after: i64,
    /// The authentication statement's `SessionNotOnOrAfter`, in milliseconds.
    pub session_not_on_or_after: Option<i64>,
    /// Attribute name → its values, in document order.
    pub attributes: Vec<(String, Vec<String>)>,
}

impl VerifiedAssertion {
    /// The values of the attribute `name` (none when it is absent).
    pub fn attribute(&self, name: &str) -> &[String] {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, values)| values.as_slice())
    }
}

const UNSOLICITED_ONLY: &str = "The response answers an authentication request this service never sent (InResponseTo): sign in from the identity provider's own page.";

fn refused(message: impl Into<String>) -> ServiceError {
    FederationRefusal::InvalidIdentityToken.error(message.into())
}

/// Decodes a `SAMLResponse` / `SAMLAssertion` parameter (base64, line breaks allowed).
pub fn decode(encoded: &str) -> Result<String, ServiceError> {
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| refused("The SAML response is not valid base64."))?;
    String::from_utf8(bytes).map_err(|_| refused("The SAML response is not UTF-8 XML."))
}

extern "C" {
    /// libxmlsec1's switch for its default error callback, which prints to standard error
    /// (`xmlsec/errors.h`).
    fn xmlSecErrorsDefaultCallbackEnableOutput(enabled: std::os::raw::c_int);
}

/// Turns libxmlsec1's own printing off: a refused signature is answered (and audited) through
/// Ferriam's error, and the library's lines would put what a stranger sent into the server's
/// log unstructured.
fn quiet_xmlsec() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    // SAFETY: sets one global flag of the library; no pointers are passed.
    QUIET.call_once(|| unsafe { xmlSecErrorsDefaultCallbackEnableOutput(0) });
}

/// Refuses what `verify` would refuse before any signature work: DTDs, comments, the
/// document's shape, signatures of a form that is not accepted.
pub fn precheck(document: &str) -> Result<(), ServiceError> {
    Shape::check(document).map(|_| ())
}

/// Where an unchecked response says it comes from: its assertion's `Issuer` and the provider
/// ARNs its Role attribute names (at most `limit`, distinct). Only for choosing which
/// provider's certificates to check it with; nothing else is ever read from here. Refuses what
/// [`precheck`] refuses.
pub fn unverified_providers(
    document: &str,
    limit: usize,
) -> Result<(String, Vec<String>), ServiceError> {
    let outer = Shape::check(document)?;
    let root = outer.doc.root_element();
    let assertion = xml::only_child(root, ASSERTION_NS, "Assertion")
        .ok_or_else(|| refused("The response must hold exactly one assertion."))?;
    let issuer = outer.issuer.clone();
    let mut providers: Vec<String> = Vec::new();
    let values = assertion
        .descendants()
        .filter(|n| {
            xml::is(*n, ASSERTION_NS, "Attribute")
                && n.attribute("Name") == Some(crate::domain::saml_provider::attributes::ROLE)
        })
        .flat_map(|attribute| xml::children(attribute, ASSERTION_NS, "AttributeValue"))
        .map(xml::text);
    for value in values {
        for part in value.split(',').map(str::trim) {
            if part.contains(":saml-provider/") && !providers.iter().any(|p| p == part) {
                providers.push(part.to_string());
            }
        }
        if providers.len() >= limit {
            break;
        }
    }
    providers.truncate(limit);
    Ok((issuer, providers))
}

/// Checks the decoded response `document` against `expected`.
pub fn verify(document: &str, expected: &Expected<'_>) -> Result<VerifiedAssertion, ServiceError> {
    let outer = Shape::check(document)?;
    // Unsigned, so it can only refuse: a response from another issuer costs no signature work.
    if outer.issuer != expected.issuer {
        return Err(refused(NOT_VALIDATED));
    }
    quiet_xmlsec();
    let certificates: Vec<CertificateDer> = expected
        .certificates
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    let signed = Crypto::reduce_xml_to_signed_with_allowed_algorithms(
        document,
        &certificates,
        ReduceMode::PreDigest,
        Some(ALLOWED_ALGORITHMS),
    )
    .map_err(|_| refused(NOT_VALIDATED))?;
    let signed_doc =
        xml::parse(&signed).map_err(|_| refused("The signed content does not parse."))?;
    let signed_root = signed_doc.root_element();
    // The signed element must be the one used: the response itself, or its only assertion.
    let assertion = if xml::is(signed_root, PROTOCOL_NS, "Response") {
        if signed_root.attribute("ID") != Some(outer.response_id.as_str()) {
            return Err(refused(
                "The signature covers an element that is not this response.",
            ));
        }
        check_response(signed_root, expected)?;
        xml::only_child(signed_root, ASSERTION_NS, "Assertion")
            .ok_or_else(|| refused("The response must hold exactly one assertion."))?
    } else if xml::is(signed_root, ASSERTION_NS, "Assertion") {
        if signed_root.attribute("ID") != Some(outer.assertion_id.as_str()) {
            return Err(refused(
                "The signature covers an element that is not this assertion.",
            ));
        }
        // The response around a signed assertion is not signed: it can only refuse.
        check_response(outer.doc.root_element(), expected)?;
        signed_root
    } else {
        return Err(refused(
            "The signature covers neither the response nor its assertion.",
        ));
    };
    read_assertion(assertion, expected)
}

/// The document as sent, before any signature is looked at.
struct Shape<'a> {
    doc: roxmltree::Document<'a>,
    response_id: String,
    assertion_id: String,
    /// The assertion's `Issuer` as sent (unverified).
    issuer: String,
}

impl<'a> Shape<'a> {
    fn check(document: &'a str) -> Result<Shape<'a>, ServiceError> {
        let doc = xml::parse(document)
            .map_err(|e| refused(format!("The SAML response is not acceptable XML: {e}.")))?;
        if doc
            .descendants()
            .any(|n| matches!(n.node_type(), NodeType::Comment | NodeType::PI))
        {
            return Err(refused(
                "The SAML response contains XML comments or processing instructions.",
            ));
        }
        let root = doc.root_element();
        if !xml::is(root, PROTOCOL_NS, "Response") {
            return Err(refused("The document is not a SAML 2.0 Response."));
        }
        if root
            .descendants()
            .any(|n| xml::is(n, ASSERTION_NS, "EncryptedAssertion"))
        {
            return Err(refused(
                "Encrypted assertions are not accepted (AssertionEncryptionMode is Allowed).",
            ));
        }
        let assertions: Vec<Node<'_, '_>> = root
            .descendants()
            .filter(|n| xml::is(*n, ASSERTION_NS, "Assertion"))
            .collect();
        let [assertion] = assertions.as_slice() else {
            return Err(refused("The response must hold exactly one assertion."));
        };
        if assertion.parent_element() != Some(root) {
            return Err(refused("The assertion must be a child of the response."));
        }
        let misplaced_signature = root.descendants().any(|n| {
            xml::is(n, SIGNATURE_NS, "Signature")
                && n.parent_element() != Some(root)
                && n.parent_element() != Some(*assertion)
        });
        if misplaced_signature {
            return Err(refused(
                "A signature may only sign the response or its assertion.",
            ));
        }
        let id = |node: Node<'_, '_>| node.attribute("ID").unwrap_or_default().to_string();
        let (response_id, assertion_id) = (id(root), id(*assertion));
        if response_id.is_empty() || assertion_id.is_empty() {
            return Err(refused("The response and its assertion must have IDs."));
        }
        for signed in [root, *assertion] {
            check_signatures(signed)?;
        }
        let issuer = xml::only_child(*assertion, ASSERTION_NS, "Issuer")
            .map(xml::text)
            .ok_or_else(|| refused("The assertion has no Issuer."))?;
        Ok(Shape {
            doc,
            response_id,
            assertion_id,
            issuer,
        })
    }
}

/// SECURITY: libxmlsec1 follows a signature's references and runs its transforms before it
/// checks the signature value, so what a stranger may put there is fixed first: at most one
/// signature on `signed`, exclusive canonicalization, exactly one reference, to `signed`
/// itself, with only the enveloped-signature and exclusive-canonicalization transforms; no
/// objects, manifests or key retrieval (nothing is fetched, nothing is computed beyond the
/// digest of `signed`).
fn check_signatures(signed: Node<'_, '_>) -> Result<(), ServiceError> {
    let unsafe_signature = || {
        refused("The signature's form is not accepted: exclusive canonicalization, one same-document reference to the signed element, and only the enveloped-signature and exclusive canonicalization transforms.")
    };
    let mut signatures = xml::children(signed, SIGNATURE_NS, "Signature");
    let Some(signature) = signatures.next() else {
        return Ok(());
    };
    if signatures.next().is_some() {
        return Err(unsafe_signature());
    }
    let own_reference = format!("#{}", signed.attribute("ID").unwrap_or_default());
    let allowed_child = |node: &Node<'_, '_>| {
        ["SignedInfo", "SignatureValue", "KeyInfo"]
            .iter()
            .any(|name| xml::is(*node, SIGNATURE_NS, name))
    };
    if !signature
        .children()
        .filter(|n| n.is_element())
        .all(|n| allowed_child(&n))
    {
        return Err(unsafe_signature());
    }
    let signed_info =
        xml::only_child(signature, SIGNATURE_NS, "SignedInfo").ok_or_else(unsafe_signature)?;
    let canonicalization = xml::only_child(signed_info, SIGNATURE_NS, "CanonicalizationMethod");
    if canonicalization.and_then(|method| method.attribute("Algorithm")) != Some(EXCLUSIVE_C14N) {
        return Err(unsafe_signature());
    }
    let reference =
        xml::only_child(signed_info, SIGNATURE_NS, "Reference").ok_or_else(unsafe_signature)?;
    if reference.attribute("URI") != Some(own_reference.as_str()) {
        return Err(unsafe_signature());
    }
    if let Some(transforms) = xml::only_child(reference, SIGNATURE_NS, "Transforms") {
        for transform in transforms.children().filter(|n| n.is_element()) {
            let known = xml::is(transform, SIGNATURE_NS, "Transform")
                && matches!(
                    transform.attribute("Algorithm"),
                    Some(ENVELOPED | EXCLUSIVE_C14N)
                )
                && transform.children().filter(|n| n.is_element()).all(|n| {
                    n.tag_name().name() == "InclusiveNamespaces"
                        && n.tag_name().namespace() == Some(EXCLUSIVE_C14N)
                });
            if !known {
                return Err(unsafe_signature());
            }
        }
    }
    if let Some(key_info) = xml::only_child(signature, SIGNATURE_NS, "KeyInfo") {
        let plain = key_info.children().filter(|n| n.is_element()).all(|n| {
            ["X509Data", "KeyName", "KeyValue"]
                .iter()
                .any(|name| xml::is(n, SIGNATURE_NS, name))
        });
        if !plain {
            return Err(unsafe_signature());
        }
    }
    Ok(())
}

/// The response's own rules: success, and addressed to Ferriam when it says where it goes.
fn check_response(response: Node<'_, '_>, expected: &Expected<'_>) -> Result<(), ServiceError> {
    if expected.unsolicited_only && response.attribute("InResponseTo").is_some() {
        return Err(refused(UNSOLICITED_ONLY));
    }
    if let Some(destination) = response.attribute("Destination") {
        if destination != expected.acs_url {
            return Err(refused(format!(
                "The response's Destination is not this service's assertion consumer service ({}).",
                expected.acs_url
            )));
        }
    }
    let status = xml::only_child(response, PROTOCOL_NS, "Status")
        .and_then(|status| xml::only_child(status, PROTOCOL_NS, "StatusCode"))
        .and_then(|code| code.attribute("Value"));
    if status != Some(SUCCESS) {
        return Err(FederationRefusal::RejectedClaim.error(
            "The identity provider (IdP) reported that authentication failed.".to_string(),
        ));
    }
    Ok(())
}

fn time_attribute(node: Node<'_, '_>, name: &str) -> Result<Option<i64>, ServiceError> {
    node.attribute(name)
        .map(|text| xml::date_time(text).ok_or_else(|| refused(format!("{name} is not a date."))))
        .transpose()
}

fn read_assertion(
    assertion: Node<'_, '_>,
    expected: &Expected<'_>,
) -> Result<VerifiedAssertion, ServiceError> {
    let now = expected.now;
    if assertion.attribute("Version") != Some("2.0") {
        return Err(refused("The assertion is not SAML 2.0."));
    }
    let issuer = xml::only_child(assertion, ASSERTION_NS, "Issuer")
        .map(xml::text)
        .ok_or_else(|| refused("The assertion has no Issuer."))?;
    if issuer != expected.issuer {
        return Err(refused(format!(
            "The assertion's Issuer ({issuer}) is not the provider's entity ID."
        )));
    }
    let conditions = xml::only_child(assertion, ASSERTION_NS, "Conditions")
        .ok_or_else(|| refused("The assertion has no Conditions."))?;
    if let Some(not_before) = time_attribute(conditions, "NotBefore")? {
        if now + SKEW_MILLIS < not_before {
            return Err(refused("The assertion is not yet valid (NotBefore)."));
        }
    }
    let conditions_end = time_attribute(conditions, "NotOnOrAfter")?;
    let restrictions: Vec<_> =
        xml::children(conditions, ASSERTION_NS, "AudienceRestriction").collect();
    let audience_ok = |restriction: &Node<'_, '_>| {
        xml::children(*restriction, ASSERTION_NS, "Audience").any(|audience| {
            let audience = xml::text(audience);
            audience == expected.entity_id || audience == AWS_AUDIENCE
        })
    };
    if restrictions.is_empty() || !restrictions.iter().all(audience_ok) {
        return Err(FederationRefusal::RejectedClaim.error(format!(
            "The assertion's Audience is not this service ({}).",
            expected.entity_id
        )));
    }
    let subject = xml::only_child(assertion, ASSERTION_NS, "Subject")
        .ok_or_else(|| refused("The assertion must have one Subject."))?;
    let name_id = xml::only_child(subject, ASSERTION_NS, "NameID")
        .ok_or_else(|| refused("The Subject must have one NameID."))?;
    if name_id.children().any(|n| n.is_element()) {
        return Err(refused("The NameID must be text."));
    }
    let subject_name = xml::text(name_id);
    if subject_name.trim().is_empty() {
        return Err(refused("The NameID is empty."));
    }
    let confirmation = xml::only_child(subject, ASSERTION_NS, "SubjectConfirmation")
        .filter(|c| c.attribute("Method") == Some(BEARER))
        .ok_or_else(|| refused("The Subject must have exactly one bearer SubjectConfirmation."))?;
    let data = xml::only_child(confirmation, ASSERTION_NS, "SubjectConfirmationData")
        .ok_or_else(|| refused("The bearer confirmation has no SubjectConfirmationData."))?;
    let recipient = data
        .attribute("Recipient")
        .ok_or_else(|| refused("The bearer confirmation has no Recipient."))?;
    if recipient != expected.acs_url {
        return Err(refused(format!(
            "The Recipient is not this service's assertion consumer service ({}).",
            expected.acs_url
        )));
    }
    if data.attribute("NotBefore").is_some() {
        return Err(refused("A bearer confirmation may not have NotBefore."));
    }
    if expected.unsolicited_only && data.attribute("InResponseTo").is_some() {
        return Err(refused(UNSOLICITED_ONLY));
    }
    let confirmation_end = time_attribute(data, "NotOnOrAfter")?
        .ok_or_else(|| refused("The bearer confirmation has no NotOnOrAfter."))?;
    let not_on_or_after = conditions_end.map_or(confirmation_end, |end| end.min(confirmation_end));
    if now - SKEW_MILLIS >= not_on_or_after {
        return Err(FederationRefusal::Expired
            .error("The SAML assertion has expired (NotOnOrAfter).".to_string()));
    }
    let mut session_not_on_or_after = None;
    for statement in xml::children(assertion, ASSERTION_NS, "AuthnStatement") {
        if let Some(end) = time_attribute(statement, "SessionNotOnOrAfter")? {
            session_not_on_or_after =
                Some(session_not_on_or_after.map_or(end, |e: i64| e.min(end)));
        }
    }
    let mut attributes: Vec<(String, Vec<String>)> = Vec::new();
    for statement in xml::children(assertion, ASSERTION_NS, "AttributeStatement") {
        for attribute in xml::children(statement, ASSERTION_NS, "Attribute") {
            let name = attribute
                .attribute("Name")
                .ok_or_else(|| refused("An Attribute has no Name."))?;
            let mut values = Vec::new();
            for value in xml::children(attribute, ASSERTION_NS, "AttributeValue") {
                if value.children().any(|n| n.is_element()) {
                    return Err(refused(format!("The values of {name} must be text.")));
                }
                values.push(xml::text(value));
            }
            match attributes.iter_mut().find(|(n, _)| n == name) {
                Some((_, existing)) => existing.extend(values),
                None => attributes.push((name.to_string(), values)),
            }
        }
    }
    Ok(VerifiedAssertion {
        id: assertion.attribute("ID").unwrap_or_default().to_string(),
        issuer,
        subject: subject_name,
        subject_format: name_id.attribute("Format").map(str::to_string),
        recipient: recipient.to_string(),
        not_on_or_after,
        session_not_on_or_after,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Signed by pysaml2 with xmlsec1 (tests/data/saml/make_fixtures.py) at 2026-11-22T00:00:15Z,
    /// valid 15 minutes, for https://iam.example.com.
    const SIGNED_RESPONSE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/saml/signed-response.xml"
    ));
    const SIGNED_ASSERTION: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/saml/signed-assertion.xml"
    ));
    const CERT_PEM: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/saml/idp-cert.pem"
    ));
    const ISSUED: i64 = 1_795_305_615_000;

    fn der() -> Vec<u8> {
        let body: String = CERT_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    }

    fn check(document: &str, now: i64, acs: &str) -> Result<VerifiedAssertion, ServiceError> {
        verify(
            document,
            &Expected {
                acs_url: acs,
                entity_id: "https://iam.example.com/saml/metadata.xml",
                issuer: "https://fixture-idp.example.com/saml",
                certificates: &[der()],
                now,
                unsolicited_only: false,
            },
        )
    }

    fn code(result: Result<VerifiedAssertion, ServiceError>) -> &'static str {
        result.unwrap_err().code()
    }

    const ACS: &str = "https://iam.example.com/saml";

    #[test]
    fn a_signed_response_or_assertion_gives_its_values() {
        for document in [SIGNED_RESPONSE, SIGNED_ASSERTION] {
            let verified = check(document, ISSUED + 60_000, ACS).unwrap();
            assert_eq!(verified.subject, "alice");
            assert_eq!(verified.issuer, "https://fixture-idp.example.com/saml");
            assert_eq!(verified.recipient, ACS);
            assert_eq!(verified.not_on_or_after, ISSUED + 15 * 60_000);
            assert_eq!(
                verified.attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1"),
                ["staff", "member"]
            );
            assert_eq!(
                verified.attribute(crate::domain::saml_provider::attributes::ROLE_SESSION_NAME),
                ["alice@example.com"]
            );
        }
    }

    #[test]
    fn times_are_checked_with_bounded_skew() {
        let end = ISSUED + 15 * 60_000;
        assert!(check(SIGNED_RESPONSE, end + SKEW_MILLIS - 1, ACS).is_ok());
        assert_eq!(
            code(check(SIGNED_RESPONSE, end + SKEW_MILLIS, ACS)),
            "ExpiredTokenException"
        );
        assert!(check(SIGNED_RESPONSE, ISSUED - SKEW_MILLIS, ACS).is_ok());
        assert_eq!(
            code(check(SIGNED_RESPONSE, ISSUED - SKEW_MILLIS - 1, ACS)),
            "InvalidIdentityToken"
        );
    }

    #[test]
    fn anything_changed_after_signing_is_refused() {
        let now = ISSUED + 60_000;
        for document in [SIGNED_RESPONSE, SIGNED_ASSERTION] {
            let tampered = document.replace(">alice<", ">admin<");
            assert_ne!(tampered, document);
            assert_eq!(code(check(&tampered, now, ACS)), "InvalidIdentityToken");
        }
        let injected = SIGNED_RESPONSE.replace(">alice<", ">ali<!---->ce<");
        assert_eq!(code(check(&injected, now, ACS)), "InvalidIdentityToken");
    }

    #[test]
    fn another_service_or_issuer_or_key_is_refused() {
        let now = ISSUED + 60_000;
        assert_eq!(
            code(check(
                SIGNED_RESPONSE,
                now,
                "https://other.example.com/saml"
            )),
            "InvalidIdentityToken"
        );
        let other_issuer = verify(
            SIGNED_RESPONSE,
            &Expected {
                acs_url: ACS,
                entity_id: "https://iam.example.com/saml/metadata.xml",
                issuer: "https://another-idp.example.com",
                certificates: &[der()],
                now,
                unsolicited_only: false,
            },
        );
        assert_eq!(code(other_issuer), "InvalidIdentityToken");
        let other_audience = verify(
            SIGNED_RESPONSE,
            &Expected {
                acs_url: ACS,
                entity_id: "https://elsewhere.example.com/saml/metadata.xml",
                issuer: "https://fixture-idp.example.com/saml",
                certificates: &[der()],
                now,
                unsolicited_only: false,
            },
        );
        assert_eq!(code(other_audience), "IDPRejectedClaim");
        let no_key = verify(
            SIGNED_RESPONSE,
            &Expected {
                acs_url: ACS,
                entity_id: "https://iam.example.com/saml/metadata.xml",
                issuer: "https://fixture-idp.example.com/saml",
                certificates: &[],
                now,
                unsolicited_only: false,
            },
        );
        assert_eq!(code(no_key), "InvalidIdentityToken");
    }

    #[test]
    fn signatures_may_not_reach_outside_the_signed_element() {
        let now = ISSUED + 60_000;
        let reference = SIGNED_RESPONSE
            .split("Reference URI=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_string();
        let forms = [
            // A reference xmlsec would read before checking anything (the file never ends).
            SIGNED_RESPONSE.replace(&reference, "file:///dev/zero"),
            SIGNED_RESPONSE.replace(&reference, "http://169.254.169.254/latest/meta-data/"),
            SIGNED_RESPONSE.replace(&reference, ""),
            // A transform that computes rather than canonicalizes.
            SIGNED_RESPONSE.replacen(
                "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                "http://www.w3.org/TR/1999/REC-xpath-19991116",
                1,
            ),
            // An object carried in the signature, and key retrieval.
            SIGNED_RESPONSE.replacen(
                "</ns2:SignatureValue>",
                "</ns2:SignatureValue><ns2:Object>x</ns2:Object>",
                1,
            ),
            SIGNED_RESPONSE.replacen(
                "<ns2:X509Data>",
                "<ns2:RetrievalMethod URI=\"http://192.0.2.1/key\"/><ns2:X509Data>",
                1,
            ),
        ];
        for form in forms {
            assert_ne!(form, SIGNED_RESPONSE);
            let started = std::time::Instant::now();
            assert_eq!(code(check(&form, now, ACS)), "InvalidIdentityToken");
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
    }

    #[test]
    fn the_console_refuses_answers_to_requests_it_never_sent() {
        let response = r#"<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" ID="r" InResponseTo="req-1"><p:Status><p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></p:Status></p:Response>"#;
        let doc = xml::parse(response).unwrap();
        let expected = |unsolicited_only| Expected {
            acs_url: ACS,
            entity_id: "https://iam.example.com/saml/metadata.xml",
            issuer: "https://fixture-idp.example.com/saml",
            certificates: &[],
            now: ISSUED,
            unsolicited_only,
        };
        assert!(check_response(doc.root_element(), &expected(false)).is_ok());
        assert!(check_response(doc.root_element(), &expected(true)).is_err());
    }

    #[test]
    fn base64_with_line_breaks_decodes() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(SIGNED_RESPONSE);
        let wrapped: String = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
            .collect();
        assert_eq!(decode(&wrapped).unwrap(), SIGNED_RESPONSE);
        assert!(decode("not base64!").is_err());
    }
}
