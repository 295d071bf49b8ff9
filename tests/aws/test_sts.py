"""STS through boto3: GetCallerIdentity, GetSessionToken (with and without MFA) and
AssumeRole, whose temporary credentials sign later requests with their session token."""

import json
import sqlite3
import time

from helpers import ACCOUNT_ID, TRUST_ACCOUNT, allow, expect_error
from mfa_codes import code_at_step, create_and_enable


def credentials_of(client) -> tuple[str, str]:
    credentials = client._request_signer._credentials
    return credentials.access_key, credentials.secret_key


def test_get_caller_identity(sts, user_with_key):
    root = sts.get_caller_identity()
    assert root["Account"] == ACCOUNT_ID
    assert root["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    user, _, user_sts = user_with_key()
    me = user_sts.get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"
    assert me["UserId"].startswith("AIDA")


def test_session_token_with_mfa_satisfies_mfa_conditions(server, iam, user_with_key, name):
    mfa_only = allow("iam:ListUsers", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    user, user_iam, user_sts = user_with_key(mfa_only)
    expect_error("AccessDenied", user_iam.list_users)
    serial, totp, step = create_and_enable(iam, user, name("dev"))

    plain = user_sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert plain["AccessKeyId"].startswith("ASIA")
    plain_iam = server.client("iam", plain["AccessKeyId"], plain["SecretAccessKey"],
                              plain["SessionToken"])
    expect_error("AccessDenied", plain_iam.list_users)

    expect_error("AccessDenied", user_sts.get_session_token, SerialNumber=serial,
                 TokenCode="000000")
    issued = time.time()
    credentials = user_sts.get_session_token(
        SerialNumber=serial, TokenCode=code_at_step(totp, step), DurationSeconds=3600
    )["Credentials"]
    expiration = credentials["Expiration"].timestamp()
    assert issued + 3600 - 5 <= expiration <= issued + 3600 + 5
    with_mfa = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                             credentials["SessionToken"])
    assert user in [u["UserName"] for u in with_mfa.list_users()["Users"]]
    assert server.client("sts", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                         credentials["SessionToken"]).get_caller_identity()["Arn"].endswith(
        f":user/{user}")
    # A replayed code is refused.
    expect_error("AccessDenied", user_sts.get_session_token, SerialNumber=serial,
                 TokenCode=code_at_step(totp, step))
    unchecked = server.client("sts", credentials_of(user_sts)[0], credentials_of(user_sts)[1],
                              validate=False)
    expect_error("ValidationError", unchecked.get_session_token, DurationSeconds=60)


def test_assume_role_carries_the_role_and_the_session_policy(server, iam, user_with_key, name):
    role = name("assumable")
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))[
        "Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="lists",
                        PolicyDocument=allow(["iam:ListUsers", "iam:ListRoles"]))
    user, _, user_sts = user_with_key(allow("sts:AssumeRole", role_arn))
    session = name("sess")
    assumed = user_sts.assume_role(
        RoleArn=role_arn, RoleSessionName=session, DurationSeconds=900,
        Policy=allow("iam:ListRoles"),
    )
    credentials = assumed["Credentials"]
    assert assumed["AssumedRoleUser"]["Arn"] == \
        f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{session}"
    assert assumed["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert assumed["AssumedRoleUser"]["AssumedRoleId"].endswith(f":{session}")
    role_iam = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                             credentials["SessionToken"])
    role_sts = server.client("sts", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                             credentials["SessionToken"])
    assert role_sts.get_caller_identity()["Arn"] == assumed["AssumedRoleUser"]["Arn"]
    assert role in [r["RoleName"] for r in role_iam.list_roles()["Roles"]]
    # The role allows ListUsers, the session policy does not: the intersection decides.
    expect_error("AccessDenied", role_iam.list_users)
    expect_error("AccessDenied", role_iam.create_user, UserName=name("nope"))

    # Without the session token, or with another one, the key is not valid.
    no_token = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"])
    expect_error("InvalidClientTokenId", no_token.list_roles)
    wrong_token = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                credentials["SessionToken"][:-4] + "AAAA")
    expect_error("InvalidClientTokenId", wrong_token.list_roles)

    # Expiry: move the stored expiration into the past (the server reads it on every request).
    with sqlite3.connect(server.db_path, timeout=10) as db:
        db.execute("UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?",
                   (int(time.time() * 1000) - 1000, credentials["AccessKeyId"]))
    expect_error("ExpiredToken", role_iam.list_roles)


def test_assume_role_refusals(server, iam, user_with_key, name):
    role = name("closed")
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "sts:AssumeRole"}],
    }))["Role"]["Arn"]
    _, _, user_sts = user_with_key(allow("sts:AssumeRole", role_arn))
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=role_arn, RoleSessionName="ss")
    _, _, no_permission = user_with_key()
    open_role = name("open")
    open_arn = iam.create_role(RoleName=open_role,
                               AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))["Role"]["Arn"]
    expect_error("AccessDenied", no_permission.assume_role, RoleArn=open_arn,
                 RoleSessionName="ss")
    key_id, secret = credentials_of(no_permission)
    unchecked = server.client("sts", key_id, secret, validate=False)
    expect_error("ValidationError", unchecked.assume_role, RoleArn=open_arn,
                 RoleSessionName="bad name with spaces")
    expect_error("ValidationError", unchecked.assume_role, RoleArn=open_arn,
                 RoleSessionName="ss", DurationSeconds=100)




def test_assume_role_honours_managed_session_policies_and_the_external_id(
        server, iam, user_with_key, name):
    role = name("partner")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "partner-42"}},
        }],
    }
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"]["Arn"]
    iam.attach_role_policy(RoleName=role,
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    user, _, user_sts = user_with_key(allow("sts:AssumeRole", role_arn))
    read_only = [{"arn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}]

    # The trust policy's sts:ExternalId condition sees the request's ExternalId.
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=role_arn,
                 RoleSessionName="s1", PolicyArns=read_only)
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=role_arn,
                 RoleSessionName="s1", PolicyArns=read_only, ExternalId="partner-43")
    assumed = user_sts.assume_role(RoleArn=role_arn, RoleSessionName="s1",
                                   PolicyArns=read_only, ExternalId="partner-42")
    assert 0 < assumed["PackedPolicySize"] <= 100
    credentials = assumed["Credentials"]
    session_iam = server.client("iam", credentials["AccessKeyId"],
                                credentials["SecretAccessKey"], credentials["SessionToken"])
    # The role may do everything; IAMReadOnlyAccess as a session policy leaves reading only.
    assert session_iam.get_user(UserName=user)["User"]["UserName"] == user
    expect_error("AccessDenied", session_iam.create_user, UserName=name("nope"))

    # Limits, and members Ferriam does not support are refused rather than ignored.
    expect_error("ValidationError", user_sts.assume_role, RoleArn=role_arn,
                 RoleSessionName="s2", ExternalId="partner-42", PolicyArns=read_only * 11)
    expect_error("ValidationError", user_sts.assume_role, RoleArn=role_arn,
                 RoleSessionName="s2", ExternalId="partner-42",
                 PolicyArns=[{"arn": f"arn:aws:iam::{ACCOUNT_ID}:policy/no-such-policy"}])
    refused = expect_error("ValidationError", user_sts.assume_role, RoleArn=role_arn,
                           RoleSessionName="s2", ExternalId="partner-42",
                           ProvidedContexts=[{
                               "ProviderArn": "arn:aws:iam::aws:contextProvider/IdentityCenter",
                               "ContextAssertion": "an assertion"}])
    assert "ProvidedContexts" in refused.response["Error"]["Message"]
    # Session tags need sts:TagSession, which this role's trust policy does not allow.
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=role_arn,
                 RoleSessionName="s2", ExternalId="partner-42",
                 Tags=[{"Key": "team", "Value": "blue"}])
