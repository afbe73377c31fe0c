//! A GAAD in the exact shape the AWS CLI prints, with URL-encoded policy documents
//! mixed in, loads into the model with every link in place.

use iamscope::load::{load, Input};
use iamscope::model::{Account, IdentityId};

fn fixture() -> Account {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/gaad-cli-shape.json"
    );
    load(&Input::Path(path.into())).expect("fixture loads")
}

#[test]
fn entities_and_account_identity() {
    let account = fixture();
    assert_eq!(account.id, "123456789012");
    assert_eq!(account.partition, "aws");
    assert_eq!(account.users.len(), 2);
    assert_eq!(account.groups.len(), 2);
    assert_eq!(account.roles.len(), 1);
    assert_eq!(account.managed_policies.len(), 3);
    assert_eq!(account.instance_profiles.len(), 1);
    assert!(account.warnings.is_empty(), "{:?}", account.warnings);
}

#[test]
fn url_encoded_and_object_documents_both_parse() {
    let account = fixture();
    let admin = &account.managed_policies[account
        .managed_policies
        .iter()
        .position(|p| p.name == "Admin")
        .unwrap()];
    assert_eq!(admin.versions.len(), 2);
    let default = admin.default_version().unwrap();
    assert_eq!(default.version_id, "v2");
    // v2 was URL-encoded in the export, v1 an object: both decode to JSON text.
    assert!(
        default.document.text.contains(r#""Action":"*""#),
        "{}",
        default.document.text
    );
    assert!(default.document.document().is_some());
    assert!(admin.versions[1]
        .document
        .text
        .contains(r#""Action":"s3:*""#));
    let role = &account.roles[0];
    assert!(role.trust_policy.text.contains("ec2.amazonaws.com"));
    assert!(role.trust_policy.document().is_some());
    let inline = &role.common.inline_policies[0];
    assert_eq!(inline.name, "logs");
    assert!(inline.document.text.contains("logs:PutLogEvents"));
    let group_inline = &account.groups[1].common.inline_policies[0];
    assert!(group_inline.document.text.contains("ec2:Describe*"));
}

#[test]
fn links_go_both_ways() {
    let account = fixture();
    let alice = account.user_named("alice").unwrap();
    let bob = account.user_named("bob").unwrap();
    let admins = account.group_named("admins").unwrap();
    let developers = account.group_named("developers").unwrap();
    assert_eq!(account.user(alice).groups, vec![admins, developers]);
    assert_eq!(account.group(developers).members, vec![alice, bob]);
    assert_eq!(account.group(admins).members, vec![alice]);

    let admin_policy = account.policy(account.group(admins).common.attached_policies[0]);
    assert_eq!(admin_policy.name, "Admin");
    let web = account.role_named("web").unwrap();
    assert_eq!(
        admin_policy.usage.attached_to,
        vec![IdentityId::Group(admins), IdentityId::Role(web)]
    );
    let boundary = account.policy(account.user(bob).permissions_boundary.unwrap());
    assert_eq!(boundary.name, "Boundary");
    assert_eq!(
        boundary.usage.boundary_of,
        vec![IdentityId::User(bob), IdentityId::Role(web)]
    );
    let profile = &account.instance_profiles[account.role(web).instance_profiles[0].index()];
    assert_eq!(profile.name, "web");
    assert_eq!(profile.roles, vec![web]);
}

#[test]
fn role_details_and_lookups() {
    let account = fixture();
    let web = account.role_named("web").unwrap();
    let role = account.role(web);
    assert_eq!(role.common.path, "/app/");
    assert_eq!(role.common.arn.name(), "web");
    assert_eq!(role.max_session_duration, Some(3600));
    assert_eq!(role.tags[0].key, "team");
    assert_eq!(
        role.last_used.as_ref().unwrap().region.as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        account.by_arn("arn:aws:iam::123456789012:role/app/web"),
        Some(iamscope::model::EntityRef::Role(web))
    );
    let readonly = account
        .managed_policies
        .iter()
        .find(|p| p.name == "ReadOnlyAccess")
        .unwrap();
    assert!(readonly.is_aws_managed());
}

#[test]
fn the_same_document_loads_from_stdin_bytes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/gaad-cli-shape.json"
    );
    let bytes = std::fs::read(path).unwrap();
    let account = iamscope::load::load_gaad_bytes("-", bytes).unwrap();
    assert_eq!(account.users.len(), 2);
    assert_eq!(account.source, "-");
}
