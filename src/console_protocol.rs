//! The wire protocol of the console's server functions: Leptos's own HTTP protocol (a POST with
//! URL-encoded or JSON arguments, answered with JSON), with a browser side that is shared.
//!
//! Leptos's `Http` protocol inlines the whole exchange (send, status, redirect, body) into every
//! server function's client future, so the browser bundle carried 73 copies of it. Here each
//! server function keeps only what depends on its types — encoding its arguments and decoding
//! its answer — and every call goes through one `exchange`. On the server it is `Http`, unchanged,
//! so requests and responses on the wire are exactly Leptos's.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use http::Method;
use leptos::server_fn::client::Client as ServerFnClient;
use leptos::server_fn::codec::{
    Encoding, FromReq, FromRes, IntoReq, IntoRes, Json, JsonEncoding, PostUrl,
};
use leptos::server_fn::error::{FromServerFnError, IntoAppError, ServerFnErrorErr};
use leptos::server_fn::redirect::call_redirect_hook;
use leptos::server_fn::response::ClientRes;
use leptos::server_fn::server::Server as ServerFnServer;
use leptos::server_fn::{Bytes, ContentType, Decodes, Http, Protocol};

/// `protocol = Console<PostUrl>` or `Console<Json>` on a `#[server]` function: the arguments'
/// encoding, with JSON answers.
pub struct Console<InputEncoding>(PhantomData<InputEncoding>);

/// Arguments URL-encoded, as an HTML form sends them (`ServerForm`).
pub type FormArguments = Console<PostUrl>;

/// Arguments as JSON, for nested ones (lists of tags, policy documents with their options).
pub type JsonArguments = Console<Json>;

impl<InputEncoding, Input, Output, Client, Server, E> Protocol<Input, Output, Client, Server, E>
    for Console<InputEncoding>
where
    Input: IntoReq<InputEncoding, Client::Request, E>
        + FromReq<InputEncoding, Server::Request, E>
        + Send,
    // `FromRes` only because `Http`, which serves the server side, asks for it.
    Output: IntoRes<Json, Server::Response, E> + FromRes<Json, Client::Response, E> + Send,
    JsonEncoding: Decodes<Output>,
    E: FromServerFnError + Send,
    InputEncoding: Encoding,
    Client: ServerFnClient<E>,
    Server: ServerFnServer<E>,
{
    const METHOD: Method = InputEncoding::METHOD;

    fn run_server<F, Fut>(
        request: Server::Request,
        server_fn: F,
    ) -> impl Future<Output = Result<Server::Response, E>> + Send
    where
        F: Fn(Input) -> Fut + Send,
        Fut: Future<Output = Result<Output, E>> + Send,
    {
        <Http<InputEncoding, Json> as Protocol<Input, Output, Client, Server, E>>::run_server(
            request, server_fn,
        )
    }

    async fn run_client(path: &str, input: Input) -> Result<Output, E> {
        let request = input.into_req(path, Json::CONTENT_TYPE)?;
        let answer = exchange::<Client, E>(request).await?;
        let output = JsonEncoding::decode(answer.body).map_err(|error| {
            ServerFnErrorErr::Deserialization(error.to_string()).into_app_error()
        })?;
        if let Some(location) = answer.redirect_to {
            call_redirect_hook(&location);
        }
        Ok(output)
    }
}

/// A successful answer's body, and where the server asked the browser to go next.
struct Answer {
    body: Bytes,
    redirect_to: Option<String>,
}

type AnswerFuture<E> = Pin<Box<dyn Future<Output = Result<Answer, E>> + Send>>;

/// Sends a request and reads its answer; an error status becomes the error the server encoded.
/// Boxed so that every server function shares this one copy of the code.
fn exchange<Client, E>(request: Client::Request) -> AnswerFuture<E>
where
    Client: ServerFnClient<E>,
    E: FromServerFnError + Send,
{
    Box::pin(async move {
        let response = Client::send(request).await?;
        let status = response.status();
        let location = response.location();
        let redirected = (300..=399).contains(&status) || response.has_redirect();
        let body = response.try_into_bytes().await?;
        if (400..=599).contains(&status) {
            return Err(E::de(body));
        }
        Ok(Answer {
            body,
            redirect_to: redirected.then_some(location),
        })
    })
}
