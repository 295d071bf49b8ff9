"""Constants and small helpers shared by the AWS client tests."""

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT_ID = "123456789012"
ROOT_KEY_ID = "AKIAFERRIAMAWSTESTS1"
ROOT_SECRET = "ferriamAwsClientTestsRootSecret000000000"
ROOT_PASSWORD = "Root password for the AWS client tests 1!"
REGION = "us-east-1"
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def allow(actions, resource="*", condition=None) -> str:
    """A one-statement Allow policy as JSON text."""
    statement = {"Effect": "Allow", "Action": actions, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def aws_error(call, *args, **kwargs) -> ClientError:
    """Runs a call that must fail; returns botocore's parsed error."""
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value


def code_of(error: ClientError) -> str:
    return error.response["Error"]["Code"]


def expect_error(code: str, call, *args, **kwargs) -> ClientError:
    error = aws_error(call, *args, **kwargs)
    assert code_of(error) == code, error.response
    return error
