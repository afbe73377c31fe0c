//! Issue 15 item 4: `scripts/collect-account.sh`, run for real with the AWS CLI against
//! a moto server on 127.0.0.1, exports what `tests/moto/fixture.py` created, and
//! iamscope answers from it as the fixture's policies say it must.
//!
//! moto and the AWS CLI come from the virtual environment `scripts/test.sh` installs
//! (`IAMSCOPE_MOTO_VENV`, default `target/moto-venv`). Without them this test fails,
//! naming the command that installs them: it is never skipped.

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use iamscope::eval::{Decision, Engine, Query};
use iamscope::graph::{EdgeKind, Graph};
use iamscope::load::{load, Input};
use iamscope::model::{Account, WorkloadKind};
use serde_json::Value;

fn venv() -> PathBuf {
    let dir = std::env::var_os("IAMSCOPE_MOTO_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/moto-venv"));
    for tool in ["moto_server", "aws", "python"] {
        assert!(
            dir.join("bin").join(tool).is_file(),
            "{} has no bin/{tool}: run `bash scripts/test.sh`, which installs moto[server] and awscli from PyPI there",
            dir.display()
        );
    }
    dir
}

/// A moto server on a free port of 127.0.0.1, killed when dropped (test passed,
/// failed or panicked) and, should the test process die first, by the kernel.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start(venv: &Path, log: &Path) -> Moto {
        // The port is free now; moto binds it a moment later (nothing else here races).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = std::fs::File::create(log).expect("server log");
        let mut command = Command::new(venv.join("bin/moto_server"));
        command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let child = command.spawn().expect("start moto_server");
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment every AWS call runs in: the venv's `aws` and `python3` first, moto
/// as the endpoint, dummy credentials, and no configuration or credentials of the
/// machine's user.
fn aws_env(command: &mut Command, venv: &Path, moto: &Moto, home: &Path) {
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
    ] {
        command.env_remove(var);
    }
    command
        .env("PATH", path)
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

fn run(command: &mut Command, what: &str) -> Output {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/collect-account.sh")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decide(engine: &Engine<'_>, who: &str, action: &str, resource: &str) -> Decision {
    engine.decide_arn(who, &Query::new(action, resource), None)
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    items.map(str::to_string).collect()
}

/// The ids `fixture.py` printed.
struct Ids {
    management: String,
    dev: String,
    prod: String,
    root: String,
    ou: String,
    scp: String,
}

#[test]
fn the_collector_exports_a_moto_organization_that_iamscope_reads() {
    let started = Instant::now();
    let venv = venv();
    // IAMSCOPE_MOTO_KEEP=1 keeps the exports and the server log, to look at by hand.
    let tmp = tempfile::Builder::new()
        .prefix("iamscope-moto-")
        .disable_cleanup(std::env::var_os("IAMSCOPE_MOTO_KEEP").is_some())
        .tempdir()
        .expect("temp dir");
    let moto = Moto::start(&venv, &tmp.path().join("moto.log"));
    let with_env = |program: &Path| {
        let mut c = Command::new(program);
        aws_env(&mut c, &venv, &moto, tmp.path());
        c
    };

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto/fixture.py");
    let out = run(
        with_env(&venv.join("bin/python"))
            .arg(&fixture)
            .arg(&moto.endpoint),
        "tests/moto/fixture.py",
    );
    let ids: Value = serde_json::from_slice(&out.stdout).expect("the fixture prints its ids");
    let id = |k: &str| ids[k].as_str().expect(k).to_string();
    let ids = Ids {
        management: id("management"),
        dev: id("dev"),
        prod: id("prod"),
        root: id("root"),
        ou: id("ou"),
        scp: id("scp"),
    };
    let fixture_done = started.elapsed();

    // One account, as its own administrator would collect it: the dev account's
    // credentials (assumed, as the fixture did), two regions.
    let creds = run(
        with_env(&venv.join("bin/aws")).args([
            "sts",
            "assume-role",
            "--role-arn",
            &format!(
                "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
                ids.dev
            ),
            "--role-session-name",
            "collector-test",
            "--query",
            "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]",
            "--output",
            "text",
        ]),
        "sts assume-role",
    );
    let creds = String::from_utf8(creds.stdout).expect("text");
    let creds: Vec<&str> = creds.split_whitespace().collect();
    assert_eq!(creds.len(), 3, "key, secret, token: {creds:?}");
    let bundle = tmp.path().join("dev-bundle");
    let mut one_account = with_env(Path::new("bash"));
    one_account
        .arg(script())
        .arg(&bundle)
        .args(["--region", "us-east-1", "--region", "eu-west-1"])
        .env("AWS_ACCESS_KEY_ID", creds[0])
        .env("AWS_SECRET_ACCESS_KEY", creds[1])
        .env("AWS_SESSION_TOKEN", creds[2]);

    // The organization, from the management account: every account reached by
    // assuming OrganizationAccountAccessRole, one region.
    let org = tmp.path().join("org-bundle");
    let mut whole_org = with_env(Path::new("bash"));
    whole_org
        .arg(script())
        .arg("--org")
        .arg(&org)
        .args(["--region", "us-east-1"]);

    // The two exports only read, so they run at once against the one server: each AWS
    // CLI call is a second of Python start-up on one core, and there are two.
    let one_account = Export::start(one_account, tmp.path(), "collect-account.sh (one account)");
    let whole_org = Export::start(whole_org, tmp.path(), "collect-account.sh --org");
    one_account.finish();
    whole_org.finish();
    let exports_done = started.elapsed();
    check_account_bundle(&bundle, &ids);
    check_org_bundle(&org, &ids);
    drop(moto);
    eprintln!(
        "moto collector test: fixture {:.1} s, both exports at once {:.1} s, total {:.1} s",
        fixture_done.as_secs_f64(),
        (exports_done - fixture_done).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// A collector run in the background, its output in a file beside the bundles.
struct Export {
    child: Child,
    log: PathBuf,
    what: &'static str,
}

impl Export {
    fn start(mut command: Command, dir: &Path, what: &'static str) -> Export {
        let log = dir.join(format!("{}.log", what.replace([' ', '(', ')', '-'], "_")));
        let file = std::fs::File::create(&log).expect("export log");
        command
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log"))
            .stderr(file);
        let child = command.spawn().unwrap_or_else(|e| panic!("{what}: {e}"));
        Export { child, log, what }
    }

    /// Waits for it; a failure shows its output.
    fn finish(mut self) {
        let status = self
            .child
            .wait()
            .unwrap_or_else(|e| panic!("{}: {e}", self.what));
        assert!(
            status.success(),
            "{} failed ({status}):\n{}",
            self.what,
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }
}

impl Drop for Export {
    fn drop(&mut self) {
        // Not waited for (a panic in between): never leave it running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn check_account_bundle(bundle: &Path, ids: &Ids) {
    let account = load(&Input::Path(bundle.to_path_buf())).expect("the exported bundle loads");
    let dev = &ids.dev;
    assert_eq!(account.id, *dev);

    // What the fixture created, and moto's own OrganizationAccountAccessRole (made
    // when the organization created the account).
    assert_eq!(
        names(account.users.iter().map(|u| u.common.name.as_str())),
        names(["alice", "bob", "carol"].into_iter())
    );
    assert_eq!(
        names(account.groups.iter().map(|g| g.common.name.as_str())),
        names(["developers", "auditors"].into_iter())
    );
    assert_eq!(
        names(account.roles.iter().map(|r| r.common.name.as_str())),
        names(
            [
                "deployer",
                "thumbnailer-lambda",
                "idle-lambda",
                "web-ec2",
                "builder",
                "github-deploy",
                "prod-auditor",
                "OrganizationAccountAccessRole",
            ]
            .into_iter()
        )
    );
    assert_eq!(
        account.inline_policy_count(),
        3,
        "ReadData, DeployFunctions, WriteThumbnails"
    );
    assert_eq!(
        names(
            account
                .managed_policies
                .iter()
                .filter(|p| p.in_export)
                .map(|p| p.name.as_str())
        ),
        names(["Administrator"].into_iter())
    );
    assert_eq!(
        names(account.instance_profiles.iter().map(|p| p.name.as_str())),
        names(["web-profile"].into_iter())
    );
    assert_eq!(
        names(account.oidc_providers.iter().map(|p| p.arn.as_str())),
        names(
            [
                format!("arn:aws:iam::{dev}:oidc-provider/token.actions.githubusercontent.com")
                    .as_str()
            ]
            .into_iter()
        )
    );
    assert!(
        account
            .credential_report
            .as_ref()
            .is_some_and(|r| r.len() >= 3),
        "a credential report row per user"
    );

    // Resource policies, the queues keyed by region: one name, two regions, two files.
    let by_service = |s: &str| {
        names(
            account
                .resource_policies
                .iter()
                .filter(|p| p.service == s)
                .map(|p| p.resource_arn.as_str()),
        )
    };
    assert_eq!(
        by_service("s3"),
        names(["arn:aws:s3:::acme-dev-data"].into_iter())
    );
    assert_eq!(by_service("kms").len(), 1, "the one key");
    assert!(by_service("kms")
        .iter()
        .all(|k| k.starts_with(&format!("arn:aws:kms:us-east-1:{dev}:key/"))));
    assert_eq!(
        by_service("sqs"),
        names(
            [
                format!("arn:aws:sqs:us-east-1:{dev}:jobs"),
                format!("arn:aws:sqs:eu-west-1:{dev}:jobs")
            ]
            .iter()
            .map(String::as_str)
        )
    );
    for region in ["us-east-1", "eu-west-1"] {
        assert!(bundle
            .join(format!("resource-policies/sqs/{region}/jobs.json"))
            .is_file());
    }
    assert_eq!(
        by_service("sns"),
        names(
            [format!("arn:aws:sns:us-east-1:{dev}:alerts")]
                .iter()
                .map(String::as_str)
        )
    );
    assert_eq!(
        by_service("lambda"),
        names(
            [format!(
                "arn:aws:lambda:us-east-1:{dev}:function:thumbnailer"
            )]
            .iter()
            .map(String::as_str)
        )
    );

    // The workload inventory: one of each kind the fixture made, with its role.
    let runs_as = |kind: WorkloadKind| -> BTreeSet<(String, String)> {
        account
            .workloads
            .of(kind)
            .flat_map(|w| w.roles.iter().map(move |r| (w.name.clone(), r.clone())))
            .collect()
    };
    let role = |name: &str| format!("arn:aws:iam::{dev}:role/{name}");
    let one = |name: &str, r: &str| BTreeSet::from([(name.to_string(), role(r))]);
    assert_eq!(
        runs_as(WorkloadKind::LambdaFunction),
        one("thumbnailer", "service-role/thumbnailer-lambda")
    );
    assert_eq!(
        runs_as(WorkloadKind::EcsTaskDefinition),
        one("api:1", "builder")
    );
    assert_eq!(runs_as(WorkloadKind::EcsService), one("api", "builder"));
    assert_eq!(
        runs_as(WorkloadKind::CloudFormationStack),
        one("network", "builder")
    );
    assert_eq!(
        runs_as(WorkloadKind::CodeBuildProject),
        one("site-build", "builder")
    );
    assert_eq!(
        runs_as(WorkloadKind::GlueDevEndpoint),
        one("etl-dev", "builder")
    );
    assert_eq!(
        runs_as(WorkloadKind::SageMakerNotebook),
        one("research", "builder")
    );
    let instances: Vec<_> = account.workloads.of(WorkloadKind::Ec2Instance).collect();
    assert_eq!(instances.len(), 1, "one instance");
    assert_eq!(
        instances[0].instance_profile.as_deref(),
        Some(format!("arn:aws:iam::{dev}:instance-profile/web-profile").as_str())
    );
    assert_eq!(
        instances[0].roles,
        vec![role("web-ec2")],
        "the profile's role"
    );
    for region in ["us-east-1", "eu-west-1"] {
        assert!(
            account
                .workloads
                .covers(WorkloadKind::LambdaFunction, region),
            "{region}"
        );
    }

    // Decisions, reasoned from the fixture's policies.
    let engine = Engine::new(&account);
    let user = |n: &str| format!("arn:aws:iam::{dev}:user/{n}");
    let data = "arn:aws:s3:::acme-dev-data/report.csv";
    assert_eq!(
        decide(&engine, &user("alice"), "s3:GetObject", data),
        Decision::Allow,
        "developers/ReadData"
    );
    assert_eq!(
        decide(&engine, &user("alice"), "s3:PutObject", data),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&engine, &user("carol"), "s3:GetObject", data),
        Decision::ImplicitDeny,
        "auditors grants nothing"
    );
    assert_eq!(
        decide(&engine, &user("alice"), "sts:AssumeRole", &role("deployer")),
        Decision::Allow,
        "deployer trusts alice, and her group lets her assume it"
    );
    assert_eq!(
        decide(&engine, &user("carol"), "sts:AssumeRole", &role("deployer")),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&engine, &user("bob"), "iam:CreateUser", "*"),
        Decision::Allow,
        "no SCP data in a member's own export"
    );
    // The eu-west-1 queue lets the prod account send; the us-east-1 one does not.
    let prod_user = format!("arn:aws:iam::{}:user/prod-operator", ids.prod);
    let queue = |region: &str| format!("arn:aws:sqs:{region}:{dev}:jobs");
    assert!(
        matches!(
            decide(&engine, &prod_user, "sqs:SendMessage", &queue("eu-west-1")),
            Decision::Conditional { .. }
        ),
        "allowed by the queue policy, subject to prod's own policies, which the bundle lacks"
    );
    assert_eq!(
        decide(&engine, &prod_user, "sqs:SendMessage", &queue("us-east-1")),
        Decision::ImplicitDeny
    );

    // Takeover as a fact: the inventory says thumbnailer runs as thumbnailer-lambda,
    // which deployer may update; idle-lambda runs nothing, in either listed region.
    check_takeover(&account, &engine, true);
    let mut without = account.clone();
    without.workloads = Default::default();
    check_takeover(&without, &Engine::new(&without), false);
}

/// deployer's `lambda:UpdateFunctionCode` edges: a fact to thumbnailer-lambda and none
/// to idle-lambda with the inventory; without it, both conditional.
fn check_takeover(account: &Account, engine: &Engine<'_>, inventory: bool) {
    let graph = Graph::build(engine);
    let deployer = engine.resolve("deployer").expect("deployer");
    let edges: Vec<_> = graph
        .outgoing(graph.node_of(deployer))
        .filter(|e| e.kind == EdgeKind::UpdateLambdaCode)
        .map(|e| (graph.nodes[e.to].label(account), e))
        .collect();
    let targets: BTreeSet<&str> = edges.iter().map(|(t, _)| t.as_str()).collect();
    if inventory {
        assert_eq!(targets, BTreeSet::from(["role/thumbnailer-lambda"]));
        let (_, edge) = &edges[0];
        assert!(!edge.conditional, "a fact: {:?}", edge.assumptions);
        let hop = iamscope::query::hop::hop(engine, &graph, edge);
        assert_eq!(
            hop.facts,
            vec![
                "function thumbnailer (us-east-1) runs as role/service-role/thumbnailer-lambda"
                    .to_string()
            ]
        );
    } else {
        assert_eq!(
            targets,
            BTreeSet::from(["role/thumbnailer-lambda", "role/idle-lambda"])
        );
        for (_, edge) in &edges {
            assert!(edge.conditional);
            assert!(
                edge.assumptions
                    .iter()
                    .any(|a| a.contains("workloads/lambda/<region>.json")),
                "names the file that would settle it: {:?}",
                edge.assumptions
            );
        }
    }
}

fn check_org_bundle(org: &Path, ids: &Ids) {
    let orgs = org.join("organizations");
    let described = read_json(&orgs.join("organization.json"));
    assert_eq!(
        described["Organization"]["MasterAccountId"],
        ids.management.as_str()
    );
    let accounts = read_json(&orgs.join("accounts.json"));
    let listed = names(
        accounts["Accounts"]
            .as_array()
            .expect("Accounts")
            .iter()
            .map(|a| a["Id"].as_str().expect("Id")),
    );
    let all = names([ids.management.as_str(), ids.dev.as_str(), ids.prod.as_str()].into_iter());
    assert_eq!(listed, all);
    // dev sits in the OU, the OU under the root; prod directly under the root.
    let parent = |child: &str| {
        read_json(&orgs.join(format!("parents/{child}.json")))["Parents"][0]["Id"].clone()
    };
    assert_eq!(parent(&ids.dev), ids.ou.as_str());
    assert_eq!(parent(&ids.ou), ids.root.as_str());
    assert_eq!(parent(&ids.prod), ids.root.as_str());
    let attached = |target: &str| {
        names(
            read_json(&orgs.join(format!("scp/{target}.json")))["Policies"]
                .as_array()
                .expect("Policies")
                .iter()
                .map(|p| p["Id"].as_str().expect("Id")),
        )
    };
    assert!(
        attached(&ids.dev).contains(&ids.scp),
        "DenyCreateUser is on dev"
    );
    assert!(attached(&ids.root).contains("p-FullAWSAccess"));
    assert!(orgs.join(format!("policies/{}.json", ids.scp)).is_file());

    // One account bundle per account, each the account's own.
    for (id, users) in [
        (&ids.dev, vec!["alice", "bob", "carol"]),
        (&ids.prod, vec!["prod-operator"]),
        (&ids.management, vec!["org-admin"]),
    ] {
        let dir = org.join(id);
        assert!(
            !dir.join("organizations").exists(),
            "{id}: the organization's data is shared, at the top"
        );
        let account = load(&Input::Path(dir.clone())).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&account.id, id);
        assert_eq!(
            names(account.users.iter().map(|u| u.common.name.as_str())),
            names(users.into_iter()),
            "{id}"
        );
    }

    // The whole folder opens as one organization, and dev's SCPs do what they say:
    // bob is an administrator, but there are no IAM users in dev.
    let account = load(&Input::Path(org.to_path_buf())).expect("the org bundle loads");
    assert_eq!(
        names(account.members.iter().map(|m| m.id.as_str())),
        all,
        "one member per account"
    );
    let engine = Engine::new(&account);
    let bob = format!("arn:aws:iam::{}:user/bob", ids.dev);
    assert_eq!(
        decide(
            &engine,
            &bob,
            "iam:CreateUser",
            &format!("arn:aws:iam::{}:user/new", ids.dev)
        ),
        Decision::ExplicitDeny,
        "the SCP on dev"
    );
    assert_eq!(
        decide(
            &engine,
            &bob,
            "iam:GetUser",
            &format!("arn:aws:iam::{}:user/alice", ids.dev)
        ),
        Decision::Allow,
        "FullAWSAccess on every level"
    );
    let admin = format!("arn:aws:iam::{}:user/org-admin", ids.management);
    assert_eq!(
        decide(
            &engine,
            &admin,
            "iam:CreateUser",
            &format!("arn:aws:iam::{}:user/new", ids.management)
        ),
        Decision::ImplicitDeny,
        "org-admin has no policy of its own"
    );
}

/// The script is read-only: every AWS CLI operation it names reads (get, list,
/// describe, batch-get), except `sts assume-role` (--org) and the credential report's
/// generation, which change nothing in the account.
#[test]
fn the_collector_only_reads() {
    let text = std::fs::read_to_string(script()).expect("the script");
    let mut seen = 0;
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == '(' || c == '$')
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            if *w != "aws" {
                continue;
            }
            let (Some(service), Some(op)) = (words.get(i + 1), words.get(i + 2)) else {
                continue;
            };
            let word = |w: &str| {
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if !word(service) || !word(op) || service.starts_with('-') || *service == "configure" {
                continue; // `command -v aws`, the wrapper's "$@", `aws configure get region`
            }
            seen += 1;
            let reads = ["get-", "list-", "describe-", "batch-get-"]
                .iter()
                .any(|p| op.starts_with(p));
            let allowed = reads
                || matches!(
                    (*service, *op),
                    ("sts", "assume-role") | ("iam", "generate-credential-report")
                );
            assert!(
                allowed,
                "collect-account.sh calls `aws {service} {op}`, which is not read-only: {line}"
            );
        }
    }
    assert!(seen > 30, "the check saw the script's calls ({seen})");
}
