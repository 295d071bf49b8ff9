"""Users through boto3: create, read, list with paginators, update, tags, delete, and the
errors AWS gives for each."""

from helpers import ACCOUNT_ID, expect_error
from mfa_codes import create_and_enable


def test_create_get_update_delete_user(iam, name):
    user = name("user")
    created = iam.create_user(UserName=user, Path="/team/", Tags=[{"Key": "k", "Value": "v"}])
    assert created["User"]["UserName"] == user
    assert created["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/team/{user}"
    assert created["User"]["UserId"].startswith("AIDA")
    assert created["User"]["CreateDate"].year >= 2024
    got = iam.get_user(UserName=user)["User"]
    assert got["Path"] == "/team/"
    assert got["Tags"] == [{"Key": "k", "Value": "v"}]
    renamed = name("renamed")
    iam.update_user(UserName=user, NewUserName=renamed, NewPath="/moved/")
    expect_error("NoSuchEntity", iam.get_user, UserName=user)
    assert iam.get_user(UserName=renamed)["User"]["Path"] == "/moved/"
    iam.delete_user(UserName=renamed)
    error = expect_error("NoSuchEntity", iam.get_user, UserName=renamed)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert renamed in error.response["Error"]["Message"]


def test_get_user_without_name_is_the_caller(iam, user_with_key):
    user, user_iam, _ = user_with_key('{"Version":"2012-10-17","Statement":'
                                      '[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}')
    assert user_iam.get_user()["User"]["UserName"] == user
    root = iam.get_user()["User"]
    assert root["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert root["UserId"] == ACCOUNT_ID


def test_names_are_unique_ignoring_case(iam, name):
    user = name("Case")
    iam.create_user(UserName=user)
    error = expect_error("EntityAlreadyExists", iam.create_user, UserName=user.upper())
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    iam.delete_user(UserName=user)


def test_invalid_input_is_a_validation_error(unchecked_iam):
    error = expect_error("ValidationError", unchecked_iam.create_user, UserName="bad name!")
    assert "userName" in error.response["Error"]["Message"]
    expect_error("ValidationError", unchecked_iam.create_user, UserName="x" * 65)
    expect_error("ValidationError", unchecked_iam.list_users, MaxItems=0)


def test_list_users_pages_with_a_paginator(iam, name):
    prefix = f"/page-{name('p')}/"
    users = sorted(name("pu") for _ in range(5))
    for user in users:
        iam.create_user(UserName=user, Path=prefix)
    first = iam.list_users(PathPrefix=prefix, MaxItems=2)
    assert first["IsTruncated"] is True
    assert len(first["Users"]) == 2
    second = iam.list_users(PathPrefix=prefix, MaxItems=2, Marker=first["Marker"])
    assert len(second["Users"]) == 2
    pages = list(
        iam.get_paginator("list_users").paginate(
            PathPrefix=prefix, PaginationConfig={"PageSize": 2}
        )
    )
    assert len(pages) == 3
    listed = [u["UserName"] for page in pages for u in page["Users"]]
    assert sorted(listed) == users
    expect_error("ValidationError", iam.list_users, Marker="not-a-marker")
    for user in users:
        iam.delete_user(UserName=user)


def test_user_tags(iam, name):
    user = name("tagged")
    iam.create_user(UserName=user)
    iam.tag_user(UserName=user, Tags=[{"Key": f"k{i}", "Value": str(i)} for i in range(4)])
    tags = iam.list_user_tags(UserName=user)
    assert {t["Key"]: t["Value"] for t in tags["Tags"]} == {f"k{i}": str(i) for i in range(4)}
    assert tags["IsTruncated"] is False
    pages = list(
        iam.get_paginator("list_user_tags").paginate(
            UserName=user, PaginationConfig={"PageSize": 3}
        )
    )
    assert [len(p["Tags"]) for p in pages] == [3, 1]
    iam.untag_user(UserName=user, TagKeys=["k0", "k1"])
    assert {t["Key"] for t in iam.list_user_tags(UserName=user)["Tags"]} == {"k2", "k3"}
    expect_error("InvalidInput", iam.tag_user, UserName=user,
                 Tags=[{"Key": "aws:reserved", "Value": "x"}])
    expect_error("NoSuchEntity", iam.tag_user, UserName=name("ghost"),
                 Tags=[{"Key": "a", "Value": "b"}])
    iam.delete_user(UserName=user)


def test_delete_user_conflicts_while_it_has_dependents(iam, name):
    user = name("dependent")
    group = name("grp")
    iam.create_user(UserName=user)
    iam.create_group(GroupName=group)

    def conflicts():
        error = expect_error("DeleteConflict", iam.delete_user, UserName=user)
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409

    key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
    conflicts()
    iam.delete_access_key(UserName=user, AccessKeyId=key)
    iam.create_login_profile(UserName=user, Password="A long password 123!")
    conflicts()
    iam.delete_login_profile(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="p",
                        PolicyDocument='{"Version":"2012-10-17","Statement":'
                        '[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')
    conflicts()
    iam.delete_user_policy(UserName=user, PolicyName="p")
    iam.attach_user_policy(UserName=user, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    conflicts()
    iam.detach_user_policy(UserName=user, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.add_user_to_group(UserName=user, GroupName=group)
    conflicts()
    iam.remove_user_from_group(UserName=user, GroupName=group)
    serial, _, _ = create_and_enable(iam, user, name("mfa"))
    conflicts()
    iam.deactivate_mfa_device(UserName=user, SerialNumber=serial)
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
