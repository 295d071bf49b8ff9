"""Two accounts on one server, through boto3: AssumeRole into the other account's role only when
its trust policy and the caller's own policies both allow it; external IDs; session tags,
transitive through role chaining and visible to conditions; a source identity that cannot be
changed; the one-hour chaining limit; GetAccessKeyInfo; RoleLastUsed and PasswordLastUsed."""

import json

import pytest

from helpers import ACCOUNT_ID, allow, expect_error
from servers import run_cli

OTHER_ACCOUNT = "210987654321"
OTHER_KEY_ID = "AKIAFERRIAMOTHERACCT"
OTHER_SECRET = "ferriamAwsClientTestsOtherAccountSecret0"


@pytest.fixture(scope="module")
def other(server):
    """The second account's root IAM client (created as an operator would, with the CLI)."""
    password_file = f"{server.data_dir}/other-password"
    with open(password_file, "w") as out:
        out.write("Other account root password 1!\n")
    run_cli(server.data_dir, "account", "create", "--email", "other@example.com",
            "--password-file", password_file, "--account-id", OTHER_ACCOUNT)
    run_cli(server.data_dir, "access-key", "create", "--account", OTHER_ACCOUNT,
            "--access-key-id", OTHER_KEY_ID, "--secret-access-key", OTHER_SECRET)
    return server.client("iam", OTHER_KEY_ID, OTHER_SECRET)


def trust(principal, actions=("sts:AssumeRole",), condition=None) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": list(actions)}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def other_role(other, name, trust_policy, policy=None) -> str:
    arn = other.create_role(RoleName=name, AssumeRolePolicyDocument=trust_policy,
                            MaxSessionDuration=43200)["Role"]["Arn"]
    other.put_role_policy(RoleName=name, PolicyName="work",
                          PolicyDocument=policy or allow(["iam:ListRoles", "iam:GetRole"]))
    return arn


def session_clients(server, credentials):
    args = (credentials["AccessKeyId"], credentials["SecretAccessKey"],
            credentials["SessionToken"])
    return server.client("iam", *args), server.client("sts", *args)


def test_both_sides_must_allow_a_cross_account_assume_role(server, iam, other, user_with_key,
                                                           name):
    user, _, user_sts = user_with_key()
    role = name("shared")
    arn = other_role(other, role, trust(f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"))
    # The role trusts the user; the user's own account has not allowed it.
    error = expect_error("AccessDenied", user_sts.assume_role, RoleArn=arn,
                         RoleSessionName="ss-session")
    assert error.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/{user} is not authorized to perform: "
        f"sts:AssumeRole on resource: {arn}")
    iam.put_user_policy(UserName=user, PolicyName="assume",
                        PolicyDocument=allow("sts:AssumeRole", arn))
    assumed = user_sts.assume_role(RoleArn=arn, RoleSessionName="ss-session")
    assert assumed["AssumedRoleUser"]["Arn"] == (
        f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/{role}/ss-session")
    session_iam, session_sts = session_clients(server, assumed["Credentials"])
    me = session_sts.get_caller_identity()
    assert me["Account"] == OTHER_ACCOUNT
    assert me["UserId"].startswith("AROA") and me["UserId"].endswith(":ss-session")
    # It acts in the role's account, with the role's permissions only.
    assert role in [r["RoleName"] for r in session_iam.list_roles()["Roles"]]
    expect_error("AccessDenied", session_iam.list_users)

    # The user's permission alone: a role that does not trust its account refuses.
    private = other_role(other, name("private"), trust(OTHER_ACCOUNT))
    iam.put_user_policy(UserName=user, PolicyName="assume-any",
                        PolicyDocument=allow("sts:AssumeRole"))
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=private, RoleSessionName="ss-session")

    # A role that trusts the whole account delegates to its administrators' policies.
    delegated = other_role(other, name("delegated"), trust(ACCOUNT_ID))
    assert user_sts.assume_role(RoleArn=delegated, RoleSessionName="dd-session")["Credentials"]
    stranger, _, stranger_sts = user_with_key()
    expect_error("AccessDenied", stranger_sts.assume_role, RoleArn=delegated,
                 RoleSessionName="dd-session")


def test_an_external_id_must_match(iam, other, user_with_key, name):
    _, _, user_sts = user_with_key(allow("sts:AssumeRole"))
    arn = other_role(other, name("vendor"), trust(
        ACCOUNT_ID, condition={"StringEquals": {"sts:ExternalId": "tenant-7"}}))
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=arn, RoleSessionName="vv-session")
    expect_error("AccessDenied", user_sts.assume_role, RoleArn=arn, RoleSessionName="vv-session",
                 ExternalId="tenant-8")
    assert user_sts.assume_role(RoleArn=arn, RoleSessionName="vv-session",
                                ExternalId="tenant-7")["Credentials"]


def test_session_tags_follow_the_chain_and_reach_conditions(server, other, user_with_key,
                                                           name):
    _, _, user_sts = user_with_key(allow(["sts:AssumeRole", "sts:TagSession"]))
    everything = ("sts:AssumeRole", "sts:TagSession")
    first = other_role(other, name("first"), trust(ACCOUNT_ID, everything),
                       allow(["sts:AssumeRole", "sts:TagSession"]))
    # The second role may list roles only for sessions whose Project tag is blue.
    second = other_role(other, name("second"), trust(OTHER_ACCOUNT, everything), allow(
        "iam:ListRoles", condition={"StringEquals": {"aws:PrincipalTag/Project": "blue"}}))
    tagged = user_sts.assume_role(
        RoleArn=first, RoleSessionName="tt-session",
        Tags=[{"Key": "Project", "Value": "blue"}, {"Key": "Team", "Value": "ops"}],
        TransitiveTagKeys=["Project"])
    _, first_sts = session_clients(server, tagged["Credentials"])
    hop = first_sts.assume_role(RoleArn=second, RoleSessionName="hop")
    hop_iam, _ = session_clients(server, hop["Credentials"])
    assert hop_iam.list_roles()["Roles"]
    # The transitive tag cannot be set again on the next hop.
    error = expect_error("InvalidParameterValue", first_sts.assume_role, RoleArn=second,
                         RoleSessionName="again", Tags=[{"Key": "project", "Value": "red"}])
    assert "conflicts with a transitive tag key" in error.response["Error"]["Message"]
    # Without the tag, the second role's condition does not hold.
    untagged = user_sts.assume_role(RoleArn=first, RoleSessionName="uu-session")
    _, untagged_sts = session_clients(server, untagged["Credentials"])
    plain_iam, _ = session_clients(
        server, untagged_sts.assume_role(RoleArn=second, RoleSessionName="pp-session")["Credentials"])
    expect_error("AccessDenied", plain_iam.list_roles)
    expect_error("InvalidParameterValue", user_sts.assume_role, RoleArn=first,
                 RoleSessionName="xx-session", Tags=[{"Key": "a", "Value": "1"}],
                 TransitiveTagKeys=["b"])


def test_a_source_identity_is_kept_and_cannot_be_changed(server, iam, other, user_with_key,
                                                         name):
    _, _, user_sts = user_with_key(allow(["sts:AssumeRole", "sts:SetSourceIdentity"]))
    with_identity = ("sts:AssumeRole", "sts:SetSourceIdentity")
    first = other_role(other, name("first"), trust(ACCOUNT_ID, with_identity),
                       allow(["sts:AssumeRole", "sts:SetSourceIdentity"]))
    second = other_role(other, name("second"), trust(OTHER_ACCOUNT, with_identity))
    plain = other_role(other, name("plain"), trust(OTHER_ACCOUNT))
    assumed = user_sts.assume_role(RoleArn=first, RoleSessionName="alice",
                                   SourceIdentity="alice@example.com")
    assert assumed["SourceIdentity"] == "alice@example.com"
    _, first_sts = session_clients(server, assumed["Credentials"])
    assert first_sts.assume_role(RoleArn=second, RoleSessionName="kept")["Credentials"]
    error = expect_error("InvalidParameterValue", first_sts.assume_role, RoleArn=second,
                         RoleSessionName="changed", SourceIdentity="mallory")
    assert "cannot be changed" in error.response["Error"]["Message"]
    # A role whose trust does not allow a source identity cannot be chained into.
    expect_error("AccessDenied", first_sts.assume_role, RoleArn=plain, RoleSessionName="pp-session")


def test_role_chaining_is_limited_to_one_hour(server, other, user_with_key, name):
    _, _, user_sts = user_with_key(allow("sts:AssumeRole"))
    first = other_role(other, name("first"), trust(ACCOUNT_ID), allow("sts:AssumeRole"))
    second = other_role(other, name("second"), trust(OTHER_ACCOUNT))
    assumed = user_sts.assume_role(RoleArn=first, RoleSessionName="cc-session", DurationSeconds=7200)
    _, first_sts = session_clients(server, assumed["Credentials"])
    error = expect_error("ValidationError", first_sts.assume_role, RoleArn=second,
                         RoleSessionName="long", DurationSeconds=3601)
    assert error.response["Error"]["Message"] == (
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.")
    assert first_sts.assume_role(RoleArn=second, RoleSessionName="ok",
                                 DurationSeconds=3600)["Credentials"]


def test_get_access_key_info_names_the_account(server, sts, other, user_with_key):
    _, _, user_sts = user_with_key(allow("sts:GetAccessKeyInfo"))
    assert user_sts.get_access_key_info(AccessKeyId=OTHER_KEY_ID)["Account"] == OTHER_ACCOUNT
    temporary = sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert user_sts.get_access_key_info(
        AccessKeyId=temporary["AccessKeyId"])["Account"] == ACCOUNT_ID
    expect_error("InvalidParameterValue", user_sts.get_access_key_info,
                 AccessKeyId="AKIAUNKNOWNKEY000000")
    _, _, denied_sts = user_with_key()
    expect_error("AccessDenied", denied_sts.get_access_key_info, AccessKeyId=OTHER_KEY_ID)


def test_get_role_reports_its_sessions_last_use(server, other, user_with_key, name):
    _, _, user_sts = user_with_key(allow("sts:AssumeRole"))
    role = name("used")
    arn = other_role(other, role, trust(ACCOUNT_ID))
    assert "LastUsedDate" not in other.get_role(RoleName=role)["Role"]["RoleLastUsed"]
    session_iam, _ = session_clients(
        server, user_sts.assume_role(RoleArn=arn, RoleSessionName="uu-session")["Credentials"])
    session_iam.get_role(RoleName=role)
    used = other.get_role(RoleName=role)["Role"]["RoleLastUsed"]
    assert used["Region"] == "us-east-1"
    assert used["LastUsedDate"]
    # ListRoles does not report it, as on AWS.
    listed = [r for r in other.list_roles()["Roles"] if r["RoleName"] == role]
    assert "RoleLastUsed" not in listed[0]
