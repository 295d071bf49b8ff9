"""Roles through boto3: CRUD, trust policy, description, tags and their errors."""

import json
import urllib.parse

from helpers import ACCOUNT_ID, TRUST_ACCOUNT, allow, expect_error


def test_role_lifecycle(iam, name):
    role = name("role")
    created = iam.create_role(
        RoleName=role,
        Path="/svc/",
        AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT),
        Description="first",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "a"}],
    )["Role"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/svc/{role}"
    assert created["RoleId"].startswith("AROA")
    got = iam.get_role(RoleName=role)["Role"]
    # boto3 decodes the URL-encoded document into a dict, as it does for AWS.
    document = got["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(urllib.parse.unquote(document))
    assert document == TRUST_ACCOUNT
    assert got["Description"] == "first"
    assert got["MaxSessionDuration"] == 7200
    assert got["Tags"] == [{"Key": "team", "Value": "a"}]

    iam.update_role(RoleName=role, Description="second", MaxSessionDuration=3600)
    assert iam.get_role(RoleName=role)["Role"]["MaxSessionDuration"] == 3600
    described = iam.update_role_description(RoleName=role, Description="third")["Role"]
    assert described["Description"] == "third"
    trust = dict(TRUST_ACCOUNT, Statement=[dict(TRUST_ACCOUNT["Statement"][0], Sid="Again")])
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(trust))
    assert iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]["Statement"][0][
        "Sid"
    ] == "Again"

    iam.tag_role(RoleName=role, Tags=[{"Key": "env", "Value": "test"}])
    assert {t["Key"] for t in iam.list_role_tags(RoleName=role)["Tags"]} == {"team", "env"}
    iam.untag_role(RoleName=role, TagKeys=["team"])
    assert iam.list_role_tags(RoleName=role)["Tags"] == [{"Key": "env", "Value": "test"}]
    assert role in [r["RoleName"] for r in iam.list_roles(PathPrefix="/svc/")["Roles"]]

    iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=allow("s3:*"))
    error = expect_error("DeleteConflict", iam.delete_role, RoleName=role)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    iam.delete_role_policy(RoleName=role, PolicyName="inline")
    iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    expect_error("DeleteConflict", iam.delete_role, RoleName=role)
    iam.detach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.delete_role(RoleName=role)
    expect_error("NoSuchEntity", iam.get_role, RoleName=role)


def test_role_errors(iam, unchecked_iam, name):
    role = name("Role")
    trust = json.dumps(TRUST_ACCOUNT)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
    expect_error("EntityAlreadyExists", iam.create_role, RoleName=role.upper(),
                 AssumeRolePolicyDocument=trust)
    expect_error("MalformedPolicyDocument", iam.create_role, RoleName=name("r"),
                 AssumeRolePolicyDocument="{not json")
    expect_error("MalformedPolicyDocument", iam.update_assume_role_policy, RoleName=role,
                 PolicyDocument=allow("s3:*"))
    expect_error("ValidationError", unchecked_iam.update_role, RoleName=role,
                 MaxSessionDuration=60)
    expect_error("NoSuchEntity", iam.update_role_description, RoleName=name("ghost"),
                 Description="x")
    iam.delete_role(RoleName=role)


def test_list_roles_paginates(iam, name):
    path = f"/{name('rp')}/"
    roles = sorted(name("r") for _ in range(3))
    for role in roles:
        iam.create_role(RoleName=role, Path=path, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    pages = list(
        iam.get_paginator("list_roles").paginate(PathPrefix=path, PaginationConfig={"PageSize": 2})
    )
    assert [len(p["Roles"]) for p in pages] == [2, 1]
    assert sorted(r["RoleName"] for p in pages for r in p["Roles"]) == roles
    for role in roles:
        iam.delete_role(RoleName=role)


def test_trust_names_users_by_id_so_a_deleted_user_stays_untrusted(iam, name):
    user = name("trusted")
    user_id = iam.create_user(UserName=user)["User"]["UserId"]
    user_arn = f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": user_arn},
                       "Action": "sts:AssumeRole"}],
    }
    role = name("trusting")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))

    def principal():
        document = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
        return document["Statement"][0]["Principal"]["AWS"]

    assert principal() == user_arn
    iam.delete_user(UserName=user)
    # As IAM shows a deleted principal: by the unique ID it stored.
    assert principal() == user_id
    iam.create_user(UserName=user)
    assert principal() == user_id
    error = expect_error("MalformedPolicyDocument", iam.create_role, RoleName=name("nobody"),
                         AssumeRolePolicyDocument=json.dumps(dict(trust, Statement=[dict(
                             trust["Statement"][0],
                             Principal={"AWS": f"arn:aws:iam::{ACCOUNT_ID}:user/nobody"})])))
    assert error.response["Error"]["Message"] == \
        f'Invalid principal in policy: "AWS":"arn:aws:iam::{ACCOUNT_ID}:user/nobody"'
