"""The signing principal's policies decide: what a user's policies allow works, anything
else is AccessDenied with AWS's sentence."""

from helpers import ACCOUNT_ID, allow, expect_error


def test_list_only_user_cannot_create(iam, user_with_key, name):
    user, user_iam, _ = user_with_key(allow("iam:List*"))
    assert user in [u["UserName"] for u in user_iam.list_users()["Users"]]
    user_iam.list_roles()
    new_user = name("denied")
    error = expect_error("AccessDenied", user_iam.create_user, UserName=new_user)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    message = error.response["Error"]["Message"]
    assert f"arn:aws:iam::{ACCOUNT_ID}:user/{user}" in message
    assert "iam:CreateUser" in message
    expect_error("NoSuchEntity", iam.get_user, UserName=new_user)
    expect_error("AccessDenied", user_iam.get_user, UserName=user)


def test_explicit_deny_wins_and_changes_apply_at_once(iam, user_with_key, name):
    user, user_iam, _ = user_with_key(allow("iam:*"))
    created = name("allowed")
    user_iam.create_user(UserName=created)
    iam.put_user_policy(UserName=user, PolicyName="deny", PolicyDocument=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteUser",'
        '"Resource":"*"}]}'))
    expect_error("AccessDenied", user_iam.delete_user, UserName=created)
    iam.delete_user_policy(UserName=user, PolicyName="deny")
    user_iam.delete_user(UserName=created)


def test_resource_scoped_permission(iam, user_with_key, name):
    path = f"/{name('scope')}/"
    user, user_iam, _ = user_with_key(
        allow("iam:CreateUser", f"arn:aws:iam::{ACCOUNT_ID}:user{path}*"))
    inside = name("inside")
    user_iam.create_user(UserName=inside, Path=path)
    expect_error("AccessDenied", user_iam.create_user, UserName=name("outside"))
    iam.delete_user(UserName=inside)


def test_group_policies_apply_to_members(iam, user_with_key, name):
    user, user_iam, _ = user_with_key()
    expect_error("AccessDenied", user_iam.list_groups)
    group = name("readers")
    iam.create_group(GroupName=group)
    iam.attach_group_policy(GroupName=group, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.add_user_to_group(GroupName=group, UserName=user)
    assert group in [g["GroupName"] for g in user_iam.list_groups()["Groups"]]
    iam.remove_user_from_group(GroupName=group, UserName=user)
    expect_error("AccessDenied", user_iam.list_groups)
    iam.detach_group_policy(GroupName=group, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam.delete_group(GroupName=group)


def test_bad_signatures_and_unknown_keys(server):
    wrong = server.client("iam", secret="y" * 40)
    expect_error("SignatureDoesNotMatch", wrong.list_users)
    unknown = server.client("iam", key_id="AKIAUNKNOWNKEY000000")
    expect_error("InvalidClientTokenId", unknown.list_users)
