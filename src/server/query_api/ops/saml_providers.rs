//! IAM's SAML providers: create, read, list, update, delete, tags.

use super::{done, paginate, result, Cx, Reply};
use crate::server::query_api::shapes;
use crate::server::service::federation::saml::providers::{
    self, CreateSamlProvider, UpdateSamlProvider,
};

const ARN: &str = "SAMLProviderArn";

pub async fn create(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let tags = p.tags("Tags");
    let input = CreateSamlProvider {
        name: p.required("Name")?.to_string(),
        metadata: p.required("SAMLMetadataDocument")?.to_string(),
        tags: tags.clone(),
        assertion_encryption_mode: p.string("AssertionEncryptionMode"),
        add_private_key: p.string("AddPrivateKey"),
    };
    let arn = providers::create(cx.iam, cx.caller, input).await?;
    result(|x| {
        x.text(ARN, &arn);
        if !tags.is_empty() {
            shapes::tags(x, &tags);
        }
    })
}

pub async fn get(cx: &Cx<'_>) -> Reply {
    let provider = providers::get(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    result(|x| {
        x.text("SAMLProviderUUID", &provider.uuid)
            .text("SAMLMetadataDocument", &provider.metadata)
            .date("CreateDate", provider.create_date)
            .date("ValidUntil", provider.valid_until)
            .text("AssertionEncryptionMode", "Allowed");
        shapes::tags(x, &provider.tags);
    })
}

pub async fn list(cx: &Cx<'_>) -> Reply {
    let entries = providers::list(cx.iam, cx.caller).await?;
    result(|x| {
        x.members("SAMLProviderList", &entries, |x, entry| {
            x.text("Arn", &entry.arn)
                .date("ValidUntil", entry.valid_until)
                .date("CreateDate", entry.create_date);
        });
    })
}

pub async fn update(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = UpdateSamlProvider {
        arn: p.required(ARN)?.to_string(),
        metadata: p.string("SAMLMetadataDocument"),
        assertion_encryption_mode: p.string("AssertionEncryptionMode"),
        add_private_key: p.string("AddPrivateKey"),
        remove_private_key: p.string("RemovePrivateKey"),
    };
    let arn = providers::update(cx.iam, cx.caller, input).await?;
    result(|x| {
        x.text(ARN, &arn);
    })
}

pub async fn delete(cx: &Cx<'_>) -> Reply {
    providers::delete(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    done()
}

pub async fn tag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    providers::tag(cx.iam, cx.caller, p.required(ARN)?, p.tags("Tags")).await?;
    done()
}

pub async fn untag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    providers::untag(cx.iam, cx.caller, p.required(ARN)?, p.list("TagKeys")).await?;
    done()
}

pub async fn list_tags(cx: &Cx<'_>) -> Reply {
    let tags = providers::list_tags(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    // In memory: a provider has at most MAX_TAGS (50) tags, enforced by TagSAMLProvider.
    let page = paginate(tags, cx.params)?;
    result(|x| {
        shapes::tags(x, &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}
