"""Account alias, summary, authorization details and the policy simulator through boto3."""

import json

from helpers import ACCOUNT_ID, TRUST_ACCOUNT, allow, expect_error


def test_account_alias(iam, name):
    alias = name("alias").lower()
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias=alias)
    try:
        assert iam.list_account_aliases()["AccountAliases"] == [alias]
        expect_error("ValidationError", iam.create_account_alias, AccountAlias="Bad_Alias")
    finally:
        iam.delete_account_alias(AccountAlias=alias)
    assert iam.list_account_aliases()["AccountAliases"] == []
    expect_error("NoSuchEntity", iam.delete_account_alias, AccountAlias=alias)


def test_account_summary_counts(iam, name):
    before = iam.get_account_summary()["SummaryMap"]
    user = name("sum")
    iam.create_user(UserName=user)
    after = iam.get_account_summary()["SummaryMap"]
    assert after["Users"] == before["Users"] + 1
    assert after["UsersQuota"] >= after["Users"]
    assert after["AccessKeysPerUserQuota"] == 2
    assert after["AccountAccessKeysPresent"] == 1
    iam.delete_user(UserName=user)


def test_account_authorization_details(iam, name):
    user, role = name("aad"), name("aadr")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=allow("s3:*"))
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    details = iam.get_account_authorization_details(Filter=["User", "Role"])
    users = {u["UserName"]: u for u in details["UserDetailList"]}
    assert users[user]["UserPolicyList"][0]["PolicyName"] == "inline"
    assert users[user]["UserPolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"] == "s3:*"
    roles = {r["RoleName"]: r for r in details["RoleDetailList"]}
    assert roles[role]["AssumeRolePolicyDocument"] == TRUST_ACCOUNT
    assert details["GroupDetailList"] == [] and details["Policies"] == []
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(
        Filter=["User"], PaginationConfig={"PageSize": 1}))
    assert len(pages) >= 1 and all(len(p["UserDetailList"]) <= 1 for p in pages)
    iam.delete_user_policy(UserName=user, PolicyName="inline")
    iam.delete_user(UserName=user)
    iam.delete_role(RoleName=role)


def test_simulate_custom_policy(iam):
    policy = allow(["s3:GetObject"], "arn:aws:s3:::bucket/*")
    results = iam.simulate_custom_policy(
        PolicyInputList=[policy],
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::bucket/key"],
    )["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny"}
    allowed = next(r for r in results if r["EvalActionName"] == "s3:GetObject")
    assert allowed["MatchedStatements"][0]["SourcePolicyId"]
    conditional = allow("s3:GetObject", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    with_mfa = iam.simulate_custom_policy(
        PolicyInputList=[conditional], ActionNames=["s3:GetObject"],
        ContextEntries=[{"ContextKeyName": "aws:MultiFactorAuthPresent",
                         "ContextKeyValues": ["true"], "ContextKeyType": "boolean"}],
    )["EvaluationResults"]
    assert with_mfa[0]["EvalDecision"] == "allowed"
    expect_error("MalformedPolicyDocument", iam.simulate_custom_policy,
                 PolicyInputList=["{nope"], ActionNames=["s3:GetObject"])


def test_simulate_principal_policy_and_context_keys(iam, name):
    user = name("sim")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=allow(
        "ec2:*", condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))
    arn = f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"
    results = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["ec2:RunInstances", "iam:CreateUser"],
        ContextEntries=[{"ContextKeyName": "aws:RequestedRegion",
                         "ContextKeyValues": ["eu-west-1"], "ContextKeyType": "string"}],
    )["EvaluationResults"]
    assert {r["EvalActionName"]: r["EvalDecision"] for r in results} == {
        "ec2:RunInstances": "allowed", "iam:CreateUser": "implicitDeny"}
    pages = list(iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=arn, ActionNames=["ec2:A", "ec2:B", "ec2:C"],
        PaginationConfig={"PageSize": 2}))
    assert [len(p["EvaluationResults"]) for p in pages] == [2, 1]
    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=arn)["ContextKeyNames"]
    assert keys == ["aws:RequestedRegion"]
    custom = iam.get_context_keys_for_custom_policy(PolicyInputList=[allow(
        "s3:*", condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                           "Bool": {"aws:SecureTransport": "true"}})])["ContextKeyNames"]
    assert sorted(custom) == ["aws:SecureTransport", "aws:SourceIp"]
    expect_error("NoSuchEntity", iam.simulate_principal_policy,
                 PolicySourceArn=f"arn:aws:iam::{ACCOUNT_ID}:user/{name('ghost')}",
                 ActionNames=["s3:GetObject"])
    iam.delete_user_policy(UserName=user, PolicyName="p")
    iam.delete_user(UserName=user)


def test_account_authorization_details_page_one_at_a_time(iam, name):
    users = [name("aadp") for _ in range(3)]
    group = name("aadg")
    for user in users:
        iam.create_user(UserName=user)
    iam.create_group(GroupName=group)
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(
        Filter=["User"], PaginationConfig={"PageSize": 1}))
    # Groups are filtered out before paging: every page holds exactly one user.
    assert len(pages) >= 3 and all(len(p["UserDetailList"]) == 1 for p in pages)
    assert all(p["GroupDetailList"] == [] for p in pages)
    seen = [u["UserName"] for p in pages for u in p["UserDetailList"]]
    assert seen == sorted(seen, key=str.lower) and len(seen) == len(set(seen))
    assert set(users) <= set(seen)
    expect_error("ValidationError", iam.get_account_authorization_details, Marker="bad!")
    for user in users:
        iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
