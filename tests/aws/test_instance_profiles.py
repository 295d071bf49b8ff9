"""Instance profiles through boto3: every operation and its errors in AWS's words — one role per
profile, no deleting a profile that holds a role (nor a role in a profile), iam:PassRole to
hand a role over, tags, paging, and where the profiles show up (ListInstanceProfilesForRole,
GetAccountAuthorizationDetails, GetAccountSummary)."""

import json

from helpers import ACCOUNT_ID, allow, expect_error

EC2_TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})


def test_a_profile_is_created_read_listed_and_deleted(iam, name):
    profile = name("profile")
    created = iam.create_instance_profile(
        InstanceProfileName=profile, Path="/apps/", Tags=[{"Key": "team", "Value": "web"}]
    )["InstanceProfile"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/apps/{profile}"
    assert created["InstanceProfileId"].startswith("AIPA") and len(
        created["InstanceProfileId"]) == 21
    assert created["Roles"] == []
    got = iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]
    assert got["Path"] == "/apps/" and got["Tags"] == [{"Key": "team", "Value": "web"}]
    listed = iam.list_instance_profiles(PathPrefix="/apps/")["InstanceProfiles"]
    assert profile in [p["InstanceProfileName"] for p in listed]
    assert profile not in [p["InstanceProfileName"] for p in
                           iam.list_instance_profiles(PathPrefix="/other/")["InstanceProfiles"]]

    error = expect_error("EntityAlreadyExists", iam.create_instance_profile,
                         InstanceProfileName=profile.upper())
    assert error.response["Error"]["Message"] == (
        f"Instance Profile {profile.upper()} already exists.")
    iam.delete_instance_profile(InstanceProfileName=profile)
    error = expect_error("NoSuchEntity", iam.get_instance_profile, InstanceProfileName=profile)
    assert error.response["Error"]["Message"] == f"Instance Profile {profile} cannot be found."
    expect_error("NoSuchEntity", iam.delete_instance_profile, InstanceProfileName=profile)


def test_bad_input_is_refused_in_aws_words(unchecked_iam):
    error = expect_error("ValidationError", unchecked_iam.create_instance_profile,
                         InstanceProfileName="has space")
    assert "instanceProfileName" in error.response["Error"]["Message"]
    expect_error("ValidationError", unchecked_iam.create_instance_profile,
                 InstanceProfileName="x" * 129)
    expect_error("ValidationError", unchecked_iam.create_instance_profile,
                 InstanceProfileName="ok-name", Path="no-slashes")
    expect_error("ValidationError", unchecked_iam.list_instance_profiles, MaxItems=0)


def test_a_profile_holds_one_role_and_keeps_it_from_deletion(iam, name):
    profile, role, other = name("profile"), name("role"), name("role")
    iam.create_instance_profile(InstanceProfileName=profile)
    for each in (role, other):
        iam.create_role(RoleName=each, AssumeRolePolicyDocument=EC2_TRUST)
    expect_error("NoSuchEntity", iam.add_role_to_instance_profile,
                 InstanceProfileName=profile, RoleName=name("missing"))
    iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
    held = iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in held] == [role]
    assert json.loads(json.dumps(held[0]["AssumeRolePolicyDocument"]))["Statement"][0][
        "Principal"] == {"Service": "ec2.amazonaws.com"}

    error = expect_error("LimitExceeded", iam.add_role_to_instance_profile,
                         InstanceProfileName=profile, RoleName=other)
    assert error.response["Error"]["Message"] == (
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    for refused in (lambda: iam.delete_instance_profile(InstanceProfileName=profile),
                    lambda: iam.delete_role(RoleName=role)):
        error = expect_error("DeleteConflict", refused)
        assert error.response["Error"]["Message"] == (
            "Cannot delete entity, must remove roles from instance profile first.")

    for_role = iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in for_role] == [profile]
    assert iam.list_instance_profiles_for_role(RoleName=other)["InstanceProfiles"] == []
    expect_error("NoSuchEntity", iam.list_instance_profiles_for_role, RoleName=name("missing"))

    details = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
    mine = [d for d in details if d["RoleName"] == role][0]
    assert [p["InstanceProfileName"] for p in mine["InstanceProfileList"]] == [profile]
    assert iam.get_account_summary()["SummaryMap"]["InstanceProfiles"] >= 1

    expect_error("NoSuchEntity", iam.remove_role_from_instance_profile,
                 InstanceProfileName=profile, RoleName=other)
    iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=role)
    assert iam.get_instance_profile(
        InstanceProfileName=profile)["InstanceProfile"]["Roles"] == []
    iam.delete_role(RoleName=role)
    iam.delete_instance_profile(InstanceProfileName=profile)


def test_handing_a_role_to_a_profile_needs_pass_role(iam, user_with_key, name):
    profile, role = name("profile"), name("role")
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=EC2_TRUST)
    _, user_iam, _ = user_with_key(allow("iam:AddRoleToInstanceProfile"))
    error = expect_error("AccessDenied", user_iam.add_role_to_instance_profile,
                         InstanceProfileName=profile, RoleName=role)
    # Named as the operations name every entity they look up: by kind and name, not path.
    assert f"iam:PassRole on resource: role {role}" in error.response["Error"]["Message"]
    assert iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"] == []
    _, passing_iam, _ = user_with_key(allow(["iam:AddRoleToInstanceProfile", "iam:PassRole"]))
    passing_iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)


def test_tags_and_paging(iam, name):
    profile = name("tagged")
    iam.create_instance_profile(InstanceProfileName=profile, Path="/paged/")
    iam.tag_instance_profile(InstanceProfileName=profile,
                             Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    first = iam.list_instance_profile_tags(InstanceProfileName=profile, MaxItems=1)
    assert first["IsTruncated"] and len(first["Tags"]) == 1
    rest = iam.list_instance_profile_tags(InstanceProfileName=profile, Marker=first["Marker"])
    assert len(rest["Tags"]) == 1 and not rest["IsTruncated"]
    iam.untag_instance_profile(InstanceProfileName=profile, TagKeys=["a"])
    assert iam.list_instance_profile_tags(InstanceProfileName=profile)["Tags"] == [
        {"Key": "b", "Value": "2"}]
    expect_error("NoSuchEntity", iam.tag_instance_profile, InstanceProfileName=name("none"),
                 Tags=[{"Key": "a", "Value": "1"}])

    others = [name("paged") for _ in range(2)]
    for other in others:
        iam.create_instance_profile(InstanceProfileName=other, Path="/paged/")
    page = iam.list_instance_profiles(PathPrefix="/paged/", MaxItems=2)
    assert page["IsTruncated"] and len(page["InstanceProfiles"]) == 2
    more = iam.list_instance_profiles(PathPrefix="/paged/", Marker=page["Marker"])
    names = [p["InstanceProfileName"] for p in page["InstanceProfiles"] + more["InstanceProfiles"]]
    assert sorted(names, key=str.lower) == names and set(names) == {profile, *others}
    paginator = iam.get_paginator("list_instance_profiles")
    assert len([p for page in paginator.paginate(PathPrefix="/paged/",
                                                 PaginationConfig={"PageSize": 1})
                for p in page["InstanceProfiles"]]) == 3
