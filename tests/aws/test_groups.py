"""Groups through boto3: CRUD, membership, listings and their errors."""

from helpers import ACCOUNT_ID, allow, expect_error


def test_group_lifecycle_and_membership(iam, name):
    group = name("grp")
    users = [name("member") for _ in range(3)]
    created = iam.create_group(GroupName=group, Path="/eng/")["Group"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:group/eng/{group}"
    assert created["GroupId"].startswith("AGPA")
    for user in users:
        iam.create_user(UserName=user)
        iam.add_user_to_group(GroupName=group, UserName=user)
    got = iam.get_group(GroupName=group)
    assert got["Group"]["GroupName"] == group
    assert sorted(u["UserName"] for u in got["Users"]) == sorted(users)
    pages = list(
        iam.get_paginator("get_group").paginate(GroupName=group, PaginationConfig={"PageSize": 2})
    )
    assert [len(p["Users"]) for p in pages] == [2, 1]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=users[0])["Groups"]] == [group]
    assert group in [g["GroupName"] for g in iam.list_groups(PathPrefix="/eng/")["Groups"]]

    error = expect_error("DeleteConflict", iam.delete_group, GroupName=group)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    for user in users:
        iam.remove_user_from_group(GroupName=group, UserName=user)
    # As in AWS, removing a user who is no longer a member succeeds.
    iam.remove_user_from_group(GroupName=group, UserName=users[0])
    assert iam.list_groups_for_user(UserName=users[0])["Groups"] == []

    renamed = name("renamed")
    iam.update_group(GroupName=group, NewGroupName=renamed, NewPath="/ops/")
    assert iam.get_group(GroupName=renamed)["Group"]["Path"] == "/ops/"
    expect_error("NoSuchEntity", iam.get_group, GroupName=group)
    iam.delete_group(GroupName=renamed)
    for user in users:
        iam.delete_user(UserName=user)


def test_group_errors(iam, name):
    group = name("Grp")
    iam.create_group(GroupName=group)
    expect_error("EntityAlreadyExists", iam.create_group, GroupName=group.lower())
    expect_error("NoSuchEntity", iam.add_user_to_group, GroupName=group, UserName=name("ghost"))
    expect_error("NoSuchEntity", iam.add_user_to_group, GroupName=name("ghost"), UserName="x")
    expect_error("ValidationError", iam.create_group, GroupName="no spaces allowed")
    iam.put_group_policy(GroupName=group, PolicyName="p", PolicyDocument=allow("s3:*"))
    expect_error("DeleteConflict", iam.delete_group, GroupName=group)
    iam.delete_group_policy(GroupName=group, PolicyName="p")
    iam.delete_group(GroupName=group)
    expect_error("NoSuchEntity", iam.delete_group, GroupName=group)


def test_list_groups_paginates(iam, name):
    path = f"/{name('gp')}/"
    groups = sorted(name("g") for _ in range(3))
    for group in groups:
        iam.create_group(GroupName=group, Path=path)
    pages = list(
        iam.get_paginator("list_groups").paginate(PathPrefix=path, PaginationConfig={"PageSize": 1})
    )
    assert len(pages) == 3
    assert sorted(g["GroupName"] for p in pages for g in p["Groups"]) == groups
    for group in groups:
        iam.delete_group(GroupName=group)


def test_every_broken_constraint_is_named_at_once(iam, name):
    group = name("g")
    iam.create_group(GroupName=group)
    error = expect_error(
        "ValidationError",
        iam.update_group,
        GroupName=group,
        NewGroupName="g" * 129,
        NewPath="/" + "p" * 512,
    )
    assert error.response["Error"]["Message"] == (
        "2 validation errors detected: "
        "Value at 'groupName' failed to satisfy constraint: "
        "Member must have length less than or equal to 128; "
        "Value at 'path' failed to satisfy constraint: "
        "Member must have length less than or equal to 512"
    )
    assert iam.get_group(GroupName=group)["Group"]["Path"] == "/"
    iam.delete_group(GroupName=group)


def test_get_group_pages_members_one_at_a_time(iam, name):
    group = name("pgrp")
    members = [name("pm") for _ in range(3)]
    outsider = name("po")
    iam.create_group(GroupName=group)
    for user in members + [outsider]:
        iam.create_user(UserName=user)
    for user in members:
        iam.add_user_to_group(GroupName=group, UserName=user)
    pages = list(
        iam.get_paginator("get_group").paginate(GroupName=group, PaginationConfig={"PageSize": 1})
    )
    assert [len(p["Users"]) for p in pages] == [1, 1, 1]
    assert [u["UserName"] for p in pages for u in p["Users"]] == sorted(members, key=str.lower)
    first = iam.get_group(GroupName=group, MaxItems=1)
    assert first["IsTruncated"] and first["Marker"]
    expect_error("ValidationError", iam.get_group, GroupName=group, Marker="not-a-marker!")
    for user in members:
        iam.remove_user_from_group(GroupName=group, UserName=user)
    for user in members + [outsider]:
        iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
