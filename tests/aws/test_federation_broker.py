"""The custom identity broker as AWS documents it: a broker user's GetFederationToken (boto3),
then the federation endpoint's getSigninToken and login, as a broker script and a browser call
them — ending in a console page as the federated user."""

import http.client
import json
import urllib.parse

from helpers import ACCOUNT_ID, allow, aws_error, code_of


def federation(server, query: dict) -> http.client.HTTPResponse:
    """GET /federation?… without following redirects."""
    host = urllib.parse.urlsplit(server.endpoint).netloc
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request("GET", "/federation?" + urllib.parse.urlencode(query))
    return connection.getresponse()


def test_a_broker_opens_a_console_session_for_a_federated_user(server, user_with_key):
    # A federated user may do what both the broker and its session policy allow.
    _, _, broker_sts = user_with_key(allow(["sts:GetFederationToken", "iam:ListUsers"]))
    answer = broker_sts.get_federation_token(
        Name="carol", Policy=allow("iam:ListUsers"), DurationSeconds=900
    )
    assert answer["FederatedUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:federated-user/carol"
    assert answer["FederatedUser"]["FederatedUserId"] == f"{ACCOUNT_ID}:carol"
    assert "PackedPolicySize" in answer
    credentials = answer["Credentials"]
    session = json.dumps({
        "sessionId": credentials["AccessKeyId"],
        "sessionKey": credentials["SecretAccessKey"],
        "sessionToken": credentials["SessionToken"],
    })
    token_answer = federation(server, {"Action": "getSigninToken", "Session": session})
    assert token_answer.status == 200
    token = json.loads(token_answer.read())["SigninToken"]

    login = federation(server, {
        "Action": "login", "Issuer": "https://broker.example.com",
        "Destination": f"{server.endpoint}/users", "SigninToken": token,
    })
    assert login.status == 303
    assert login.getheader("Location") == "/users"
    cookie = login.getheader("Set-Cookie").split(";")[0]

    host = urllib.parse.urlsplit(server.endpoint).netloc
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request("GET", "/users", headers={"Cookie": cookie})
    page = connection.getresponse()
    body = page.read().decode()
    assert page.status == 200
    assert "Federated user carol" in body

    # The same link twice: refused.
    again = federation(server, {
        "Action": "login", "Destination": "/users", "SigninToken": token,
    })
    assert again.status == 400


def test_federated_credentials_cannot_call_iam_through_the_api(server, user_with_key):
    _, _, broker_sts = user_with_key(allow("sts:GetFederationToken"))
    credentials = broker_sts.get_federation_token(
        Name="dave", Policy=allow("iam:ListUsers")
    )["Credentials"]
    as_dave = dict(key_id=credentials["AccessKeyId"], secret=credentials["SecretAccessKey"],
                   token=credentials["SessionToken"])
    me = server.client("sts", **as_dave).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:federated-user/dave"
    error = aws_error(server.client("iam", **as_dave).list_users)
    assert code_of(error) == "AccessDenied"
    session_error = aws_error(server.client("sts", **as_dave).get_session_token)
    assert code_of(session_error) == "AccessDenied"
