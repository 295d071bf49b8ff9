"""Access keys, login profiles, passwords, the account password policy and virtual MFA
devices through boto3."""

import base64
import time

from helpers import allow, expect_error
from mfa_codes import code_at_step, current_step, totp_for

PASSWORD = "A long password 123!"


def test_access_keys(iam, name):
    user = name("keys")
    iam.create_user(UserName=user)
    first = iam.create_access_key(UserName=user)["AccessKey"]
    assert first["AccessKeyId"].startswith("AKIA") and len(first["AccessKeyId"]) == 20
    assert len(first["SecretAccessKey"]) == 40
    assert first["Status"] == "Active" and first["UserName"] == user
    second = iam.create_access_key(UserName=user)["AccessKey"]
    error = expect_error("LimitExceeded", iam.create_access_key, UserName=user)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    listed = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert sorted(k["AccessKeyId"] for k in listed) == sorted(
        [first["AccessKeyId"], second["AccessKeyId"]])
    assert all("SecretAccessKey" not in k for k in listed)
    pages = list(iam.get_paginator("list_access_keys").paginate(
        UserName=user, PaginationConfig={"PageSize": 1}))
    assert len(pages) == 2
    iam.update_access_key(UserName=user, AccessKeyId=first["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in
                iam.list_access_keys(UserName=user)["AccessKeyMetadata"]}
    assert statuses[first["AccessKeyId"]] == "Inactive"
    expect_error("ValidationError", iam.update_access_key, UserName=user,
                 AccessKeyId=first["AccessKeyId"], Status="Sleeping")
    expect_error("NoSuchEntity", iam.update_access_key, UserName=user,
                 AccessKeyId="AKIAAAAAAAAAAAAAAAAA", Status="Active")
    for key in [first, second]:
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    expect_error("NoSuchEntity", iam.delete_access_key, UserName=user,
                 AccessKeyId=first["AccessKeyId"])
    iam.delete_user(UserName=user)


def test_inactive_or_deleted_keys_stop_signing(server, iam, name):
    user = name("signer")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=allow("iam:GetUser"))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    client = server.client("iam", key["AccessKeyId"], key["SecretAccessKey"])
    assert client.get_user()["User"]["UserName"] == user
    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    expect_error("InvalidClientTokenId", client.get_user)
    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Active")
    assert client.get_user()["User"]["UserName"] == user
    wrong = server.client("iam", key["AccessKeyId"], "x" * 40)
    expect_error("SignatureDoesNotMatch", wrong.get_user)
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    expect_error("InvalidClientTokenId", client.get_user)
    iam.delete_user_policy(UserName=user, PolicyName="p")
    iam.delete_user(UserName=user)


def test_access_key_last_used(server, iam, name):
    user = name("used")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=allow("iam:GetUser"))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    never = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert never["UserName"] == user
    assert never["AccessKeyLastUsed"]["ServiceName"] == "N/A"
    assert "LastUsedDate" not in never["AccessKeyLastUsed"]
    before = time.time()
    server.client("iam", key["AccessKeyId"], key["SecretAccessKey"]).get_user()
    used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
    assert used["ServiceName"] == "iam"
    assert used["Region"] == "us-east-1"
    assert used["LastUsedDate"].timestamp() >= before - 2
    # As AWS does, a key outside the caller's account is not disclosed: AccessDenied.
    expect_error("AccessDenied", iam.get_access_key_last_used, AccessKeyId="AKIAAAAAAAAAAAAAAAAB")
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    iam.delete_user_policy(UserName=user, PolicyName="p")
    iam.delete_user(UserName=user)


def test_login_profiles_and_change_password(server, iam, name):
    user = name("login")
    iam.create_user(UserName=user)
    profile = iam.create_login_profile(UserName=user, Password=PASSWORD,
                                       PasswordResetRequired=True)["LoginProfile"]
    assert profile["UserName"] == user and profile["PasswordResetRequired"] is True
    expect_error("EntityAlreadyExists", iam.create_login_profile, UserName=user,
                 Password=PASSWORD)
    assert iam.get_login_profile(UserName=user)["LoginProfile"]["UserName"] == user
    iam.update_login_profile(UserName=user, PasswordResetRequired=False)
    assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is False

    iam.put_user_policy(UserName=user, PolicyName="own-password",
                        PolicyDocument=allow("iam:ChangePassword"))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    own = server.client("iam", key["AccessKeyId"], key["SecretAccessKey"])
    own.change_password(OldPassword=PASSWORD, NewPassword="Another long password 456!")
    expect_error("InvalidUserType", iam.change_password, OldPassword="x", NewPassword="y")
    error = expect_error("InvalidInput", own.change_password,
                         OldPassword="wrong old password", NewPassword="Third password 789!")
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    iam.delete_login_profile(UserName=user)
    expect_error("NoSuchEntity", iam.get_login_profile, UserName=user)
    expect_error("NoSuchEntity", iam.delete_login_profile, UserName=user)
    iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    iam.delete_user_policy(UserName=user, PolicyName="own-password")
    iam.delete_user(UserName=user)


def test_account_password_policy(iam, name):
    iam.update_account_password_policy(
        MinimumPasswordLength=20, RequireNumbers=True, MaxPasswordAge=90,
        PasswordReusePrevention=3, AllowUsersToChangePassword=True,
    )
    try:
        policy = iam.get_account_password_policy()["PasswordPolicy"]
        assert policy["MinimumPasswordLength"] == 20
        assert policy["RequireNumbers"] is True and policy["RequireSymbols"] is False
        assert policy["ExpirePasswords"] is True and policy["MaxPasswordAge"] == 90
        assert policy["PasswordReusePrevention"] == 3
        user = name("pw")
        iam.create_user(UserName=user)
        error = expect_error("PasswordPolicyViolation", iam.create_login_profile, UserName=user,
                             Password="short1")
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        expect_error("NoSuchEntity", iam.get_login_profile, UserName=user)
        iam.delete_user(UserName=user)
        expect_error("ValidationError", iam.update_account_password_policy,
                     MinimumPasswordLength=200)
        assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 20
    finally:
        iam.delete_account_password_policy()
    expect_error("NoSuchEntity", iam.get_account_password_policy)
    expect_error("NoSuchEntity", iam.delete_account_password_policy)


def test_virtual_mfa_devices(iam, name):
    user = name("mfa")
    iam.create_user(UserName=user)
    device_name = name("dev")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name, Path="/")[
        "VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial.endswith(f":mfa/{device_name}")
    # Both seed and QR code are blobs: botocore base64-decodes them.
    assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
    seed = device["Base32StringSeed"].decode()
    assert len(seed) >= 16 and set(seed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=")
    expect_error("EntityAlreadyExists", iam.create_virtual_mfa_device,
                 VirtualMFADeviceName=device_name)
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert serial in [d["SerialNumber"] for d in unassigned]

    totp = totp_for(device["Base32StringSeed"])
    step = current_step()
    expect_error("InvalidAuthenticationCode", iam.enable_mfa_device, UserName=user,
                 SerialNumber=serial, AuthenticationCode1="000000", AuthenticationCode2="000000")
    iam.enable_mfa_device(UserName=user, SerialNumber=serial,
                          AuthenticationCode1=code_at_step(totp, step - 2),
                          AuthenticationCode2=code_at_step(totp, step - 1))
    listed = iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert [d["SerialNumber"] for d in listed] == [serial]
    assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    mine = [d for d in assigned if d["SerialNumber"] == serial]
    assert mine[0]["User"]["UserName"] == user and "EnableDate" in mine[0]
    # A replayed pair is refused; the next pair resynchronises.
    expect_error("InvalidAuthenticationCode", iam.resync_mfa_device, UserName=user,
                 SerialNumber=serial, AuthenticationCode1=code_at_step(totp, step - 2),
                 AuthenticationCode2=code_at_step(totp, step - 1))
    iam.resync_mfa_device(UserName=user, SerialNumber=serial,
                          AuthenticationCode1=code_at_step(totp, step),
                          AuthenticationCode2=code_at_step(totp, step + 1))
    expect_error("DeleteConflict", iam.delete_virtual_mfa_device, SerialNumber=serial)
    iam.deactivate_mfa_device(UserName=user, SerialNumber=serial)
    assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    expect_error("NoSuchEntity", iam.delete_virtual_mfa_device, SerialNumber=serial)
    iam.delete_user(UserName=user)


def test_mfa_listing_paginates(iam, name):
    serials = [
        iam.create_virtual_mfa_device(VirtualMFADeviceName=name("pg"))["VirtualMFADevice"][
            "SerialNumber"]
        for _ in range(3)
    ]
    pages = list(iam.get_paginator("list_virtual_mfa_devices").paginate(
        AssignmentStatus="Unassigned", PaginationConfig={"PageSize": 2}))
    assert len(pages) >= 2
    seen = [d["SerialNumber"] for p in pages for d in p["VirtualMFADevices"]]
    assert set(serials) <= set(seen) and len(seen) == len(set(seen))
    for serial in serials:
        iam.delete_virtual_mfa_device(SerialNumber=serial)


def test_mfa_seed_is_base64_on_the_wire(server, name):
    """botocore decodes blobs; the raw XML must carry base64 of the Base32 text (as AWS does)."""
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from helpers import ROOT_KEY_ID, ROOT_SECRET
    body = f"Action=CreateVirtualMFADevice&Version=2010-05-08&VirtualMFADeviceName={name('raw')}"
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    SigV4Auth(Credentials(ROOT_KEY_ID, ROOT_SECRET), "iam", "us-east-1").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.urlopen(urllib.request.Request(
        prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST")).read()
    text = raw.decode()
    seed_b64 = text.split("<Base32StringSeed>")[1].split("</Base32StringSeed>")[0]
    assert base64.b64decode(seed_b64).decode().isalnum()
    serial = text.split("<SerialNumber>")[1].split("</SerialNumber>")[0]
    server.client("iam").delete_virtual_mfa_device(SerialNumber=serial)




def test_virtual_mfa_devices_page_one_at_a_time(iam, name):
    serials = sorted(
        iam.create_virtual_mfa_device(VirtualMFADeviceName=name("one"))["VirtualMFADevice"][
            "SerialNumber"]
        for _ in range(3)
    )
    pages = list(iam.get_paginator("list_virtual_mfa_devices").paginate(
        AssignmentStatus="Unassigned", PaginationConfig={"PageSize": 1}))
    # Filtered in the store before paging: every page holds exactly one device.
    assert len(pages) >= 3 and all(len(p["VirtualMFADevices"]) == 1 for p in pages)
    seen = [d["SerialNumber"] for p in pages for d in p["VirtualMFADevices"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert [s for s in seen if s in serials] == serials
    expect_error("ValidationError", iam.list_virtual_mfa_devices, Marker="x!y")
    for serial in serials:
        iam.delete_virtual_mfa_device(SerialNumber=serial)
