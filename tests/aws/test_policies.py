"""Managed policies with versions, attachments, inline policies and permissions boundaries
through boto3, and their errors."""

import json

from helpers import ACCOUNT_ID, TRUST_ACCOUNT, allow, expect_error

READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"


def test_managed_policy_versions(iam, name):
    policy_name = name("pol")
    created = iam.create_policy(
        PolicyName=policy_name, Path="/app/", PolicyDocument=allow("s3:GetObject"),
        Description="reads objects",
    )["Policy"]
    arn = created["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT_ID}:policy/app/{policy_name}"
    assert created["DefaultVersionId"] == "v1"
    assert created["AttachmentCount"] == 0
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == policy_name

    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow("s3:PutObject"),
                                   SetAsDefault=True)["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"] is True
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    # boto3 decodes the URL-encoded document as it does for AWS.
    assert version["Document"]["Statement"][0]["Action"] == "s3:PutObject"
    listed = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert sorted(v["VersionId"] for v in listed) == ["v1", "v2"]
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    expect_error("DeleteConflict", iam.delete_policy_version, PolicyArn=arn, VersionId="v1")
    for _ in range(3):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=allow("s3:ListBucket"))
    error = expect_error("LimitExceeded", iam.create_policy_version, PolicyArn=arn,
                         PolicyDocument=allow("s3:ListBucket"))
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    expect_error("NoSuchEntity", iam.get_policy_version, PolicyArn=arn, VersionId="v9")
    expect_error("DeleteConflict", iam.delete_policy, PolicyArn=arn)
    for version_id in ["v2", "v3", "v4", "v5"]:
        iam.delete_policy_version(PolicyArn=arn, VersionId=version_id)
    iam.delete_policy(PolicyArn=arn)
    expect_error("NoSuchEntity", iam.get_policy, PolicyArn=arn)


def test_policy_errors(iam, unchecked_iam, name):
    policy_name = name("Pol")
    arn = iam.create_policy(PolicyName=policy_name, PolicyDocument=allow("s3:*"))["Policy"]["Arn"]
    expect_error("EntityAlreadyExists", iam.create_policy, PolicyName=policy_name.upper(),
                 PolicyDocument=allow("s3:*"))
    error = expect_error("MalformedPolicyDocument", iam.create_policy, PolicyName=name("bad"),
                         PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Maybe",'
                         '"Action":"s3:*","Resource":"*"}]}')
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    expect_error("MalformedPolicyDocument", iam.create_policy, PolicyName=name("bad"),
                 PolicyDocument="not json")
    expect_error("NoSuchEntity", iam.get_policy,
                 PolicyArn=f"arn:aws:iam::{ACCOUNT_ID}:policy/{name('ghost')}")
    expect_error("ValidationError", unchecked_iam.get_policy, PolicyArn="not-an-arn")
    iam.delete_policy(PolicyArn=arn)


def test_list_policies_scope_only_attached_and_path(iam, unchecked_iam, name):
    path = f"/{name('lp')}/"
    arns = [
        iam.create_policy(PolicyName=name("lp"), Path=path, PolicyDocument=allow("s3:*"))[
            "Policy"]["Arn"]
        for _ in range(3)
    ]
    local = iam.list_policies(Scope="Local", PathPrefix=path)["Policies"]
    assert sorted(p["Arn"] for p in local) == sorted(arns)
    aws = iam.list_policies(Scope="AWS", MaxItems=5)
    assert all(p["Arn"].startswith("arn:aws:iam::aws:policy/") for p in aws["Policies"])
    assert aws["IsTruncated"] is True
    pages = list(
        iam.get_paginator("list_policies").paginate(
            Scope="Local", PathPrefix=path, PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["Policies"]) for p in pages] == [2, 1]
    user = name("u")
    iam.create_user(UserName=user)
    iam.attach_user_policy(UserName=user, PolicyArn=arns[0])
    attached = iam.list_policies(Scope="Local", OnlyAttached=True, PathPrefix=path)["Policies"]
    assert [p["Arn"] for p in attached] == [arns[0]]
    assert attached[0]["AttachmentCount"] == 1
    iam.detach_user_policy(UserName=user, PolicyArn=arns[0])
    iam.delete_user(UserName=user)
    for arn in arns:
        iam.delete_policy(PolicyArn=arn)
    expect_error("ValidationError", unchecked_iam.list_policies, Scope="Everywhere")


def test_attachments_and_entities_for_policy(iam, name):
    user, group, role = name("u"), name("g"), name("r")
    iam.create_user(UserName=user)
    iam.create_group(GroupName=group)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    arn = iam.create_policy(PolicyName=name("att"), PolicyDocument=allow("s3:*"))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=READ_ONLY)
    assert [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName=user)[
        "AttachedPolicies"]] == [arn]
    assert [p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName=group)[
        "AttachedPolicies"]] == [arn]
    role_pages = list(iam.get_paginator("list_attached_role_policies").paginate(
        RoleName=role, PaginationConfig={"PageSize": 1}))
    assert len(role_pages) == 2
    assert sorted(p["PolicyArn"] for page in role_pages for p in page["AttachedPolicies"]) == \
        sorted([arn, READ_ONLY])
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == [user]
    assert [g["GroupName"] for g in entities["PolicyGroups"]] == [group]
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == [role]
    only_roles = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
    assert only_roles["PolicyUsers"] == [] and len(only_roles["PolicyRoles"]) == 1
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
    expect_error("DeleteConflict", iam.delete_policy, PolicyArn=arn)
    expect_error("NoSuchEntity", iam.attach_user_policy, UserName=user,
                 PolicyArn=f"arn:aws:iam::{ACCOUNT_ID}:policy/{name('ghost')}")
    expect_error("NoSuchEntity", iam.detach_group_policy, GroupName=group, PolicyArn=READ_ONLY)
    iam.detach_user_policy(UserName=user, PolicyArn=arn)
    iam.detach_group_policy(GroupName=group, PolicyArn=arn)
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    iam.detach_role_policy(RoleName=role, PolicyArn=READ_ONLY)
    iam.delete_policy(PolicyArn=arn)
    iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
    iam.delete_role(RoleName=role)


def test_inline_policies(iam, name):
    user, group, role = name("u"), name("g"), name("r")
    iam.create_user(UserName=user)
    iam.create_group(GroupName=group)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    document = allow("dynamodb:GetItem")
    for kind, entity in [("user", user), ("group", group), ("role", role)]:
        key = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
        put = getattr(iam, f"put_{kind}_policy")
        get = getattr(iam, f"get_{kind}_policy")
        listing = getattr(iam, f"list_{kind}_policies")
        delete = getattr(iam, f"delete_{kind}_policy")
        for policy_name in ["b", "a", "c"]:
            put(**{key: entity}, PolicyName=policy_name, PolicyDocument=document)
        got = get(**{key: entity}, PolicyName="a")
        assert got["PolicyName"] == "a"
        assert got["PolicyDocument"]["Statement"][0]["Action"] == "dynamodb:GetItem"
        assert listing(**{key: entity})["PolicyNames"] == ["a", "b", "c"]
        pages = list(iam.get_paginator(f"list_{kind}_policies").paginate(
            **{key: entity}, PaginationConfig={"PageSize": 2}))
        assert [p["PolicyNames"] for p in pages] == [["a", "b"], ["c"]]
        expect_error("MalformedPolicyDocument", put, **{key: entity}, PolicyName="bad",
                     PolicyDocument='{"Statement":[]}')
        expect_error("NoSuchEntity", get, **{key: entity}, PolicyName="missing")
        for policy_name in ["a", "b", "c"]:
            delete(**{key: entity}, PolicyName=policy_name)
        expect_error("NoSuchEntity", delete, **{key: entity}, PolicyName="a")
    iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
    iam.delete_role(RoleName=role)


def test_permissions_boundaries(iam, name):
    user, role = name("u"), name("r")
    iam.create_user(UserName=user)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary=READ_ONLY)
    boundary = iam.get_user(UserName=user)["User"]["PermissionsBoundary"]
    assert boundary == {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": READ_ONLY}
    iam.put_role_permissions_boundary(RoleName=role, PermissionsBoundary=READ_ONLY)
    assert iam.get_role(RoleName=role)["Role"]["PermissionsBoundary"][
        "PermissionsBoundaryArn"] == READ_ONLY
    expect_error("NoSuchEntity", iam.put_user_permissions_boundary, UserName=user,
                 PermissionsBoundary=f"arn:aws:iam::{ACCOUNT_ID}:policy/{name('ghost')}")
    iam.delete_user_permissions_boundary(UserName=user)
    iam.delete_role_permissions_boundary(RoleName=role)
    assert "PermissionsBoundary" not in iam.get_user(UserName=user)["User"]
    assert "PermissionsBoundary" not in iam.get_role(RoleName=role)["Role"]
    iam.delete_user(UserName=user)
    iam.delete_role(RoleName=role)


def test_entities_for_policy_page_one_at_a_time(iam, name):
    group, role = name("peg"), name("per")
    users = sorted([name("peu") for _ in range(2)], key=str.lower)
    bounded = name("peb")
    arn = iam.create_policy(PolicyName=name("pep"), PolicyDocument=allow("s3:*"))["Policy"]["Arn"]
    iam.create_group(GroupName=group)
    for user in users:
        iam.create_user(UserName=user, Path="/paged/")
    iam.create_user(UserName=bounded, PermissionsBoundary=arn)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_ACCOUNT))
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    for user in users:
        iam.attach_user_policy(UserName=user, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)

    def listed(**filters):
        pages = list(iam.get_paginator("list_entities_for_policy").paginate(
            PolicyArn=arn, PaginationConfig={"PageSize": 1}, **filters))
        for page in pages:
            assert sum(len(page[k]) for k in ("PolicyGroups", "PolicyUsers", "PolicyRoles")) == 1
        return [e.get("GroupName") or e.get("UserName") or e.get("RoleName")
                for p in pages for k in ("PolicyGroups", "PolicyUsers", "PolicyRoles")
                for e in p[k]]

    # One listing over groups, users and roles, in that order; filters apply before paging.
    assert listed(PolicyUsageFilter="PermissionsPolicy") == [group] + users + [role]
    assert listed(PolicyUsageFilter="PermissionsBoundary") == [bounded]
    assert listed(PathPrefix="/paged/") == users
    assert listed(EntityFilter="User", PolicyUsageFilter="PermissionsPolicy") == users
    expect_error("ValidationError", iam.list_entities_for_policy, PolicyArn=arn, Marker="nope!")
    iam.detach_group_policy(GroupName=group, PolicyArn=arn)
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    for user in users:
        iam.detach_user_policy(UserName=user, PolicyArn=arn)
        iam.delete_user(UserName=user)
    iam.delete_user(UserName=bounded)
    iam.delete_group(GroupName=group)
    iam.delete_role(RoleName=role)
    iam.delete_policy(PolicyArn=arn)
