//! Table-driven tests for every condition operator family, the missing-key and
//! IfExists rules, and the IAM guide's multivalued-key tables.

use super::*;

/// A request context given as `(key, values)`; `None` values mean absent.
fn context(entries: &[(&str, &[&str])]) -> Context {
    let mut context = Context::new();
    for (key, values) in entries {
        context.insert_list(key, values.iter().copied());
    }
    context
}

fn holds(operator: &str, key: &str, policy_values: &[&str], entries: &[(&str, &[&str])]) -> bool {
    let operator = Operator::parse(operator).expect("known operator");
    let condition = Condition::new(operator, key, policy_values.iter().copied(), true);
    let context = context(entries);
    let mut missing = MissingKeys::default();
    condition.evaluate(&context, &mut missing)
}

type Row<'a> = (&'a str, &'a [&'a str], &'a [&'a str], bool);

/// Rows of (operator, policy values, request values of key `k:x`, expected).
fn check_rows(rows: &[Row<'_>]) {
    for (operator, policy, request, expected) in rows {
        let entries: &[(&str, &[&str])] = &[("k:x", request)];
        assert_eq!(
            holds(operator, "k:x", policy, entries),
            *expected,
            "{operator} {policy:?} vs {request:?}"
        );
    }
}

#[test]
fn string_operators() {
    check_rows(&[
        ("StringEquals", &["alice"], &["alice"], true),
        ("StringEquals", &["alice"], &["ALICE"], false),
        ("StringEquals", &["bob", "alice"], &["alice"], true),
        ("StringNotEquals", &["alice"], &["alice"], false),
        ("StringNotEquals", &["bob", "alice"], &["carol"], true),
        ("StringNotEquals", &["bob", "alice"], &["bob"], false),
        ("StringEqualsIgnoreCase", &["ALICE"], &["alice"], true),
        ("StringNotEqualsIgnoreCase", &["ALICE"], &["alice"], false),
        ("StringNotEqualsIgnoreCase", &["ALICE"], &["bob"], true),
        ("StringLike", &["home/*"], &["home/alice/a.txt"], true),
        ("StringLike", &["home/?lice"], &["home/alice"], true),
        ("StringLike", &["home/*"], &["other/x"], false),
        ("StringNotLike", &["home/*"], &["other/x"], true),
        ("StringNotLike", &["home/*", "other/*"], &["other/x"], false),
    ]);
}

#[test]
fn numeric_operators() {
    check_rows(&[
        ("NumericEquals", &["10"], &["10"], true),
        ("NumericEquals", &["10"], &["10.0"], true),
        ("NumericEquals", &["10"], &["11"], false),
        ("NumericNotEquals", &["10"], &["11"], true),
        ("NumericNotEquals", &["10"], &["10"], false),
        ("NumericLessThan", &["10"], &["9"], true),
        ("NumericLessThan", &["10"], &["10"], false),
        ("NumericLessThanEquals", &["10"], &["10"], true),
        ("NumericGreaterThan", &["10"], &["10.5"], true),
        ("NumericGreaterThan", &["10"], &["10"], false),
        ("NumericGreaterThanEquals", &["10"], &["10"], true),
        ("NumericGreaterThanEquals", &["10"], &["-1"], false),
        ("NumericEquals", &["ten"], &["10"], false),
        ("NumericLessThan", &["10"], &["abc"], false),
    ]);
}

#[test]
fn date_operators() {
    check_rows(&[
        (
            "DateEquals",
            &["2024-01-31T12:00:00Z"],
            &["1706702400"],
            true,
        ),
        (
            "DateEquals",
            &["1706702400"],
            &["2024-01-31T13:00:00+01:00"],
            true,
        ),
        (
            "DateNotEquals",
            &["2024-01-31T12:00:00Z"],
            &["2024-01-31T12:00:01Z"],
            true,
        ),
        (
            "DateLessThan",
            &["2024-01-31T12:00:00Z"],
            &["2024-01-31T11:59:59Z"],
            true,
        ),
        (
            "DateLessThan",
            &["2024-01-31T12:00:00Z"],
            &["2024-01-31T12:00:00Z"],
            false,
        ),
        (
            "DateLessThanEquals",
            &["2024-01-31T12:00:00Z"],
            &["2024-01-31T12:00:00Z"],
            true,
        ),
        (
            "DateGreaterThan",
            &["2024-01-31"],
            &["2024-01-31T00:00:01Z"],
            true,
        ),
        (
            "DateGreaterThanEquals",
            &["2024-01-31"],
            &["2024-01-30T23:59:59Z"],
            false,
        ),
        ("DateGreaterThan", &["2024-01-31"], &["not a date"], false),
    ]);
}

#[test]
fn bool_binary_and_ip_operators() {
    check_rows(&[
        ("Bool", &["true"], &["true"], true),
        ("Bool", &["true"], &["TRUE"], true),
        ("Bool", &["true"], &["false"], false),
        ("Bool", &["false"], &["false"], true),
        ("Bool", &["true"], &["yes"], false),
        (
            "BinaryEquals",
            &["QmluYXJ5VmFsdWU="],
            &["QmluYXJ5VmFsdWU="],
            true,
        ),
        ("BinaryEquals", &["QmluYXJ5VmFsdWU="], &["QmluYXJ5"], false),
        ("IpAddress", &["203.0.113.0/24"], &["203.0.113.9"], true),
        (
            "IpAddress",
            &["203.0.113.0/24", "2001:DB8:1234:5678::/64"],
            &["2001:db8:1234:5678::9"],
            true,
        ),
        ("IpAddress", &["203.0.113.0/24"], &["198.51.100.9"], false),
        ("NotIpAddress", &["203.0.113.0/24"], &["198.51.100.9"], true),
        ("NotIpAddress", &["203.0.113.0/24"], &["203.0.113.9"], false),
        ("IpAddress", &["203.0.113.0/24"], &["not-an-ip"], false),
    ]);
}

#[test]
fn arn_operators() {
    let role = "arn:aws:iam::111122223333:role/admin";
    check_rows(&[
        ("ArnEquals", &["arn:aws:iam::111122223333:role/admin"], &[role], true),
        ("ArnLike", &["arn:aws:iam::*:role/*"], &[role], true),
        ("ArnEquals", &["arn:aws:iam::*:role/*"], &[role], true),
        ("ArnLike", &["arn:aws:iam::*:user/*"], &[role], false),
        ("ArnNotLike", &["arn:aws:iam::*:user/*"], &[role], true),
        ("ArnNotEquals", &["arn:aws:iam::111122223333:role/admin"], &[role], false),
        ("ArnLike", &["arn:aws:iam::*:role/*"], &["not-an-arn"], false),
        // The IAM guide's example: ArnLike matches part by part, StringLike does not.
        (
            "ArnLike",
            &["arn:aws:someservice:*:111122223333:finance/*"],
            &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
            false,
        ),
        (
            "StringLike",
            &["arn:aws:someservice:*:111122223333:finance/*"],
            &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
            true,
        ),
    ]);
}

#[test]
fn missing_keys_make_positive_operators_false_and_negated_true() {
    let absent: &[(&str, &[&str])] = &[];
    let table: &[(&str, bool)] = &[
        ("StringEquals", false),
        ("StringNotEquals", true),
        ("StringLike", false),
        ("StringNotLike", true),
        ("NumericEquals", false),
        ("NumericNotEquals", true),
        ("DateLessThan", false),
        ("DateNotEquals", true),
        ("Bool", false),
        ("IpAddress", false),
        ("NotIpAddress", true),
        ("ArnLike", false),
        ("ArnNotLike", true),
        ("StringEqualsIfExists", true),
        ("StringNotEqualsIfExists", true),
        ("NumericLessThanIfExists", true),
        ("BoolIfExists", true),
        ("IpAddressIfExists", true),
    ];
    for (operator, expected) in table {
        assert_eq!(
            holds(operator, "k:x", &["1"], absent),
            *expected,
            "{operator}"
        );
    }
    // IfExists still applies the operator when the key is present.
    assert!(!holds(
        "StringEqualsIfExists",
        "k:x",
        &["a"],
        &[("k:x", &["b"])]
    ));
    assert!(holds(
        "StringEqualsIfExists",
        "k:x",
        &["a"],
        &[("k:x", &["a"])]
    ));
}

#[test]
fn null_checks_presence() {
    let absent: &[(&str, &[&str])] = &[];
    assert!(holds("Null", "aws:TokenIssueTime", &["true"], absent));
    assert!(!holds("Null", "aws:TokenIssueTime", &["false"], absent));
    let present: &[(&str, &[&str])] = &[("aws:TokenIssueTime", &["2024-01-01T00:00:00Z"])];
    assert!(!holds("Null", "aws:TokenIssueTime", &["true"], present));
    assert!(holds("Null", "aws:TokenIssueTime", &["false"], present));
    assert!(holds(
        "Null",
        "aws:TagKeys",
        &["true"],
        &[("aws:TagKeys", &[])]
    ));
}

#[test]
fn key_names_are_case_insensitive() {
    assert!(holds(
        "StringEquals",
        "AWS:UserName",
        &["alice"],
        &[("aws:username", &["alice"])]
    ));
}

#[test]
fn values_of_a_key_are_ored_for_plain_operators() {
    assert!(holds(
        "StringEquals",
        "k:x",
        &["b"],
        &[("k:x", &["a", "b"])]
    ));
    assert!(!holds(
        "StringNotEquals",
        "k:x",
        &["b"],
        &[("k:x", &["a", "b"])]
    ));
}

/// The IAM guide's "Multivalued context key examples" tables.
#[test]
fn guide_for_all_values_deny_tables() {
    // "ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}
    let single = |tags: Option<&[&str]>| {
        let entries: Vec<(&str, &[&str])> =
            tags.map(|tags| ("aws:TagKeys", tags)).into_iter().collect();
        holds(
            "ForAllValues:StringNotLike",
            "aws:TagKeys",
            &["key1*"],
            &entries,
        )
    };
    assert!(!single(Some(&["key1:legal"])), "no match");
    assert!(!single(Some(&["key1:hr", "key1:personnel"])), "no match");
    assert!(single(Some(&["key2:audit"])), "match");
    assert!(single(None), "no aws:TagKeys in the request: match");

    // "ForAllValues:StringNotLike": {"aws:TagKeys": ["key1*", "key2*"]}
    let multiple = |tags: Option<&[&str]>| {
        let entries: Vec<(&str, &[&str])> =
            tags.map(|tags| ("aws:TagKeys", tags)).into_iter().collect();
        holds(
            "ForAllValues:StringNotLike",
            "aws:TagKeys",
            &["key1*", "key2*"],
            &entries,
        )
    };
    assert!(!multiple(Some(&["key1:legal"])));
    assert!(!multiple(Some(&["key1:hr", "key2:audit"])));
    assert!(multiple(Some(&["key3:legal"])));
    assert!(multiple(None));
}

#[test]
fn guide_for_any_value_tables() {
    // "ForAnyValue:StringEquals": {"aws:TagKeys": ["DataClass", "Owner"]}
    let any_equals = |tags: Option<&[&str]>| {
        let entries: Vec<(&str, &[&str])> =
            tags.map(|tags| ("aws:TagKeys", tags)).into_iter().collect();
        holds(
            "ForAnyValue:StringEquals",
            "aws:TagKeys",
            &["DataClass", "Owner"],
            &entries,
        )
    };
    assert!(!any_equals(None));
    assert!(!any_equals(Some(&["Dept", "SIC"])));
    assert!(any_equals(Some(&["DataClass", "Dept"])));
    assert!(any_equals(Some(&["DataClass", "Owner"])));
    assert!(any_equals(Some(&["DataClass", "Owner", "Dept"])));
    assert!(!any_equals(Some(&[])));

    // "ForAnyValue:StringNotEquals": true when some request value is not listed.
    let any_not_equals = |tags: Option<&[&str]>| {
        let entries: Vec<(&str, &[&str])> =
            tags.map(|tags| ("aws:TagKeys", tags)).into_iter().collect();
        holds(
            "ForAnyValue:StringNotEquals",
            "aws:TagKeys",
            &["DataClass", "Owner"],
            &entries,
        )
    };
    assert!(!any_not_equals(None));
    assert!(any_not_equals(Some(&["Dept", "SIC"])));
    assert!(any_not_equals(Some(&["DataClass", "Dept"])));
    assert!(!any_not_equals(Some(&["DataClass", "Owner"])));
}

#[test]
fn guide_for_all_values_allow_table() {
    // The original guide example: ForAllValues:StringLike over requested attributes.
    let all_like = |attributes: Option<&[&str]>| {
        let entries: Vec<(&str, &[&str])> = attributes
            .map(|values| ("dynamodb:requestedAttributes", values))
            .into_iter()
            .collect();
        holds(
            "ForAllValues:StringLike",
            "dynamodb:requestedAttributes",
            &["PostDateTime", "Message", "Tags"],
            &entries,
        )
    };
    assert!(all_like(Some(&["PostDateTime", "Message"])));
    assert!(!all_like(Some(&["PostDateTime", "UserName"])));
    assert!(all_like(Some(&[])), "an empty set: ForAllValues is true");
    assert!(all_like(None), "no key: ForAllValues is true");
    // ForAnyValue:StringLike in a Deny: one of UserName, Message, PostDateTime matches.
    assert!(holds(
        "ForAnyValue:StringLike",
        "dynamodb:requestedAttributes",
        &["ID", "PostDateTime"],
        &[(
            "dynamodb:requestedAttributes",
            &["UserName", "Message", "PostDateTime"]
        )]
    ));
    assert!(!holds(
        "ForAnyValue:StringLike",
        "dynamodb:requestedAttributes",
        &["ID", "PostDateTime"],
        &[("dynamodb:requestedAttributes", &["UserName"])]
    ));
}

#[test]
fn an_empty_string_is_an_empty_data_set_for_set_operators() {
    // IAM guide: "If the key values in the request resolve to an empty data set
    // (for example, an empty string), a condition operator modified by
    // ForAllValues returns true, and a condition operator modified by
    // ForAnyValue returns false."
    let empty_string: &[(&str, &[&str])] = &[("aws:TagKeys", &[""])];
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        &["a"],
        empty_string
    ));
    assert!(!holds(
        "ForAnyValue:StringLike",
        "aws:TagKeys",
        &["*"],
        empty_string
    ));
    assert!(!holds(
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        &["a"],
        empty_string
    ));
    // Plain operators still compare the empty string.
    assert!(holds("StringLike", "aws:TagKeys", &["*"], empty_string));
}

#[test]
fn for_any_value_if_exists_is_true_when_missing() {
    let absent: &[(&str, &[&str])] = &[];
    assert!(holds(
        "ForAnyValue:StringEqualsIfExists",
        "aws:TagKeys",
        &["a"],
        absent
    ));
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        &["a"],
        absent
    ));
}

#[test]
fn missing_keys_are_reported_except_for_null_and_if_exists() {
    let context = Context::new();
    let reported = |operator: &str| {
        let condition = Condition::new(
            Operator::parse(operator).expect("operator"),
            "aws:PrincipalTag/team",
            ["x"].into_iter(),
            true,
        );
        let mut missing = MissingKeys::default();
        condition.evaluate(&context, &mut missing);
        missing.keys().count()
    };
    assert_eq!(reported("StringEquals"), 1);
    assert_eq!(reported("ForAllValues:StringEquals"), 1);
    assert_eq!(reported("StringEqualsIfExists"), 0);
    assert_eq!(reported("Null"), 0);
}

#[test]
fn string_conditions_substitute_variables() {
    let entries: &[(&str, &[&str])] =
        &[("aws:username", &["alice"]), ("s3:prefix", &["alice/docs"])];
    assert!(holds(
        "StringLike",
        "s3:prefix",
        &["${aws:username}/*"],
        entries
    ));
    assert!(!holds(
        "StringLike",
        "s3:prefix",
        &["${aws:userid}/*"],
        entries
    ));
    assert!(holds(
        "StringNotLike",
        "s3:prefix",
        &["${aws:userid}/*"],
        entries
    ));
    // Variables are literal in numeric operators.
    assert!(!holds(
        "NumericEquals",
        "k:n",
        &["${aws:username}"],
        &[("k:n", &["1"])]
    ));
}
