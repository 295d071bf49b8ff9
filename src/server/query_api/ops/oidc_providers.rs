//! IAM's OpenID Connect providers: create, read, list, delete, thumbprints, client IDs, tags.

use super::{done, paginate, result, Cx, Reply};
use crate::server::query_api::shapes;
use crate::server::service::federation::oidc_providers::{self, CreateOidcProvider};

const ARN: &str = "OpenIDConnectProviderArn";

pub async fn create(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let tags = p.tags("Tags");
    let input = CreateOidcProvider {
        url: p.required("Url")?.to_string(),
        client_ids: p.list("ClientIDList"),
        thumbprints: p.list("ThumbprintList"),
        tags: tags.clone(),
    };
    let arn = oidc_providers::create(cx.iam, cx.caller, input).await?;
    result(|x| {
        x.text(ARN, &arn);
        if !tags.is_empty() {
            shapes::tags(x, &tags);
        }
    })
}

pub async fn get(cx: &Cx<'_>) -> Reply {
    let provider = oidc_providers::get(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    result(|x| {
        x.text("Url", &provider.url)
            .string_members("ClientIDList", &provider.client_ids)
            .string_members("ThumbprintList", &provider.thumbprints)
            .date("CreateDate", provider.create_date);
        shapes::tags(x, &provider.tags);
    })
}

pub async fn list(cx: &Cx<'_>) -> Reply {
    let arns = oidc_providers::list(cx.iam, cx.caller).await?;
    result(|x| {
        x.members("OpenIDConnectProviderList", &arns, |x, arn| {
            x.text("Arn", arn);
        });
    })
}

pub async fn delete(cx: &Cx<'_>) -> Reply {
    oidc_providers::delete(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    done()
}

pub async fn update_thumbprint(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    oidc_providers::update_thumbprints(
        cx.iam,
        cx.caller,
        p.required(ARN)?,
        p.list("ThumbprintList"),
    )
    .await?;
    done()
}

pub async fn add_client_id(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    oidc_providers::add_client_id(cx.iam, cx.caller, p.required(ARN)?, p.required("ClientID")?)
        .await?;
    done()
}

pub async fn remove_client_id(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    oidc_providers::remove_client_id(cx.iam, cx.caller, p.required(ARN)?, p.required("ClientID")?)
        .await?;
    done()
}

pub async fn tag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    oidc_providers::tag(cx.iam, cx.caller, p.required(ARN)?, p.tags("Tags")).await?;
    done()
}

pub async fn untag(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    oidc_providers::untag(cx.iam, cx.caller, p.required(ARN)?, p.list("TagKeys")).await?;
    done()
}

pub async fn list_tags(cx: &Cx<'_>) -> Reply {
    let tags = oidc_providers::list_tags(cx.iam, cx.caller, cx.params.required(ARN)?).await?;
    // In memory: a provider has at most MAX_TAGS (50) tags, enforced by TagOpenIDConnectProvider.
    let page = paginate(tags, cx.params)?;
    result(|x| {
        shapes::tags(x, &page.items);
        shapes::paging(x, page.is_truncated, page.marker.as_deref());
    })
}
