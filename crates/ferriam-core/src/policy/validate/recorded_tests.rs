//! CreatePolicy responses recorded from AWS: the documents and messages of
//! moto's IAM policy tests, whose author checked every case against AWS
//! (getmoto/moto#2269, "I also verified the results (responses returned by
//! AWS) for every test case").

use super::*;

const RECORDED_ERRORS: &[(&str, &str)] = &[
    ("This is not a json document", "Syntax errors in policy."),
    (
        r#"{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Policy document must be version 2012-10-17 or greater.",
    ),
    (
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Policy document must be version 2012-10-17 or greater.",
    ),
    (
        r#"{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (r#"{"Version":"2012-10-17"}"#, "Syntax errors in policy."),
    (
        r#"{"Version":"2012-10-17","Statement":["afd"]}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},"Extra field":"value"}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Extra field":"value"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Id":["cd3a324d2343d942772346-34234234423404-4c2242343242349d1642ee"],"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Id":{},"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"invalid","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a a:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Vendor a a is not valid",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:List:Bucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Actions/Condition can contain only one colon.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3s:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Effect":"Allow","Action":"s:3s:ListBucket","Resource":"arn:aws:s3:::example_bucket"}]}"#,
        "Actions/Condition can contain only one colon.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"invalid resource"}}"#,
        r#"Resource invalid resource must be in ARN format or "*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"EnableDisableHongKong","Effect":"Allow","Action":["account:EnableRegion","account:DisableRegion"],"Resource":"","Condition":{"StringEquals":{"account:TargetRegion":"ap-east-1"}}},{"Sid":"ViewConsole","Effect":"Allow","Action":["aws-portal:ViewAccount","account:ListRegions"],"Resource":""}]}"#,
        r#"Resource  must be in ARN format or "*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s:3:ListBucket","Resource":"sdfsadf"}}"#,
        r#"Resource sdfsadf must be in ARN format or "*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["adf"]}}"#,
        r#"Resource adf must be in ARN format or "*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":""}}"#,
        r#"Resource  must be in ARN format or "*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:bsdfdsafsad"}}"#,
        r#"Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:cadfsdf"}}"#,
        r#"Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:c:d:e:f:g:h"}}"#,
        r#"Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"aws:s3:::example_bucket"}}"#,
        r#"Partition "s3" is not valid for resource "arn:s3:::example_bucket:*"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]}}"#,
        r#"Partition "error" is not valid for resource "arn:error:s3:::example_bucket"."#,
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[]}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket"}}"#,
        "Policy statement must contain resources.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":[]}}"#,
        "Policy statement must contain resources.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid"}}"#,
        "Policy statement must contain resources.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Policy statement must contain actions.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow"}}"#,
        "Policy statement must contain actions.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Policy statement must contain actions.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}]}"#,
        "Policy statement must contain actions.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"arn:aws:s3::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws"}}"#,
        "Resource vendor must be fully qualified and cannot contain regexes.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":{"a":"arn:aws:s3:::example_bucket"}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:ListBucket","Resource":["adfdf",{}]}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","NotResource":[]}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":[[]],"Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Action":[],"Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":{},"Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":[]}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":"a"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"a":"b"}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":"b"}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":[]}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":{}}}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":{}}}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"x":{"a":"1"}}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"ForAnyValue::StringEqualsIfExists":{"a":"asf"}}}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":[{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}]}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:us-east-1::example_bucket"}}"#,
        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket"}}"#,
        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Sid":{},"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Sid":[],"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Sid":"sdf","Effect":"Allow"}]}"#,
        "Statement IDs (SID) in a single policy must be unique.",
    ),
    (
        r#"{"Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Sid":"sdf","Effect":"Allow"}]}"#,
        "Policy document must be version 2012-10-17 or greater.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Action":"iam:dsf","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","NotResource":"*"}}"#,
        "Syntax errors in policy.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}}"#,
        "Policy document must be version 2012-10-17 or greater.",
    ),
    (
        r#"{"Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
        "Policy document must be version 2012-10-17 or greater.",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws::::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"allow","Resource":"arn:aws:s3:us-east-1::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"sdf","Effect":"aLLow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Sid":"sdf","Effect":"Allow"}]}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","NotResource":"arn:aws:s3::example_bucket"}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"234-13"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.593194+1"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.1999999999+10:59"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThan":{"a":"9223372036854775808"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:error:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}}"#,
        "The policy failed legacy parsing",
    ),
    (
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws::fdsasf"}}"#,
        "The policy failed legacy parsing",
    ),
];

const RECORDED_VALID: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::example_bucket"]}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam: asdf safdsf af ","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::example_bucket","*"]}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}]}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"service-prefix:action-name","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"fsx:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::user/example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s33:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:cloudwatch:us-east-1::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:ec2:us-east-1::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:invalid-service:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:invalid-service:us-east-1::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":[]}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"a":{}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Sid":"dsfsdfsdfsdfsdfsadfsd","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"ConsoleDisplay","Effect":"Allow","Action":["iam:GetRole","iam:GetUser","iam:ListRoles","iam:ListRoleTags","iam:ListUsers","iam:ListUserTags"],"Resource":"*"},{"Sid":"AddTag","Effect":"Allow","Action":["iam:TagUser","iam:TagRole"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/CostCenter":["A-123","B-456"]},"ForAllValues:StringEquals":{"aws:TagKeys":"CostCenter"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}}"#,
    r#"{"Version":"2012-10-17","Id":"sdfsdfsdf","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"aaaaaadsfdsafsadfsadfaaaaa:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3-s:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3.s:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","NotResource":"*"}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}]}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"01T"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"x":{},"y":{}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"StringEqualsIfExists":{"a":"asf"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"ForAnyValue:StringEqualsIfExists":{"a":"asf"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2019-07-01T13:20:15Z"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13T21:20:37.593194+00:00"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.593194+23"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"DateLessThan":{"a":"-292275054"}}}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowManageOwnVirtualMFADevice","Effect":"Allow","Action":["iam:CreateVirtualMFADevice","iam:DeleteVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/${aws:username}"},{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AttachVolume","ec2:DetachVolume"],"Resource":["arn:aws:ec2:*:*:volume/*","arn:aws:ec2:*:*:instance/*"],"Condition":{"ArnEquals":{"ec2:SourceInstanceARN":"arn:aws:ec2:*:*:instance/instance-id"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"StartStopIfTags","Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances","ec2:DescribeTags"],"Resource":"arn:aws:ec2:region:account-id:instance/*","Condition":{"StringEquals":{"ec2:ResourceTag/Project":"DataAnalytics","aws:PrincipalTag/Department":"Data"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"ListYourObjects","Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::bucket-name"],"Condition":{"StringLike":{"s3:prefix":["cognito/application-name/${cognito-identity.amazonaws.com:sub}"]}}},{"Sid":"ReadWriteDeleteYourObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}","arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}/*"]}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds:*","Resource":["arn:aws:rds:region:*:*"]},{"Effect":"Allow","Action":["rds:Describe*"],"Resource":["*"]}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"rds:*","Resource":["arn:aws:rds:region:*:*"]},{"Sid":"","Effect":"Allow","Action":["rds:Describe*"],"Resource":["*"]}]}"#,
    // Added to moto's list later, from an access point policy AWS accepted.
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point","arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*"]}]}"#,
];

#[test]
fn create_policy_errors_match_the_responses_recorded_from_aws() {
    let mut mismatches = Vec::new();
    for (text, expected) in RECORDED_ERRORS {
        let actual = validate(text, PolicyKind::Managed)
            .error
            .map(|error| error.message)
            .unwrap_or_default();
        if actual != *expected {
            mismatches.push(format!(
                "{text}\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn create_policy_accepts_the_documents_aws_accepted() {
    let mut rejected = Vec::new();
    for text in RECORDED_VALID {
        if let Some(error) = validate(text, PolicyKind::Managed).error {
            rejected.push(format!("{text}\n  {}", error.message));
        }
    }
    assert!(rejected.is_empty(), "{}", rejected.join("\n"));
}
