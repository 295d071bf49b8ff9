"""TOTP codes for virtual MFA devices, computed here as an authenticator app would."""

import base64
import time

import pyotp

STEP = 30


def totp_for(seed_b64: bytes | str) -> pyotp.TOTP:
    """boto3 hands `Base32StringSeed` over as bytes (it is a blob): the Base32 text itself."""
    seed = seed_b64.decode() if isinstance(seed_b64, bytes) else base64.b64decode(seed_b64).decode()
    return pyotp.TOTP(seed)


def code_at_step(totp: pyotp.TOTP, step: int) -> str:
    return totp.at(step * STEP)


def current_step() -> int:
    """The current 30-second step, waiting out the last two seconds of a step so that the
    server, a moment later, still sees the same one."""
    if STEP - time.time() % STEP < 2:
        time.sleep(STEP - time.time() % STEP + 0.05)
    return int(time.time()) // STEP


def create_and_enable(iam, user: str, device_name: str) -> tuple[str, pyotp.TOTP, int]:
    """Creates a virtual MFA device and enables it for `user` with the two codes before the
    current one (the server accepts the later of two consecutive codes one step either side of
    now). Returns its serial number, the TOTP and the current step, the first one the server
    accepts for a code from then on: it refuses any step already used, or earlier."""
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name)["VirtualMFADevice"]
    serial = device["SerialNumber"]
    totp = totp_for(device["Base32StringSeed"])
    step = current_step()
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=serial,
        AuthenticationCode1=code_at_step(totp, step - 2),
        AuthenticationCode2=code_at_step(totp, step - 1),
    )
    return serial, totp, step
