//! Copies of the sample bundles in temporary folders, edited as JSON: the modified
//! exports the diff tests compare with the originals.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// A copy of a sample bundle in a temporary folder (removed on drop).
pub struct Copy {
    _dir: tempfile::TempDir,
    /// The bundle folder.
    pub path: PathBuf,
}

/// Copies `sample-accounts/NAME`.
pub fn copy_sample(name: &str) -> Copy {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-accounts")
        .join(name);
    let path = dir.path().join(name);
    copy_dir(&from, &path);
    Copy { _dir: dir, path }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Copy {
    /// Edits one JSON file of the bundle.
    pub fn edit_json(&self, file: &str, edit: impl FnOnce(&mut Value)) {
        let path = self.path.join(file);
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut v);
        std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }

    /// Edits `gaad.json`.
    pub fn edit_gaad(&self, edit: impl FnOnce(&mut Value)) {
        self.edit_json("gaad.json", edit);
    }

    /// The folder as a command-line argument.
    pub fn arg(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

/// The entry of `list` whose `key` is `name` (a user by `UserName`, …).
pub fn named<'v>(v: &'v mut Value, list: &str, key: &str, name: &str) -> &'v mut Value {
    v[list]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e[key] == name)
        .unwrap_or_else(|| panic!("{name} in {list}"))
}

/// Gives carol (a startup sample user) an inline policy `policy_name` allowing
/// `secretsmanager:GetSecretValue` on every secret: the one access change the diff
/// tests make.
pub fn grant_carol_secret_read(gaad: &mut Value, policy_name: &str) {
    let carol = named(gaad, "UserDetailList", "UserName", "carol");
    carol["UserPolicyList"] = json!([{
        "PolicyName": policy_name,
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Sid": "ReadSecrets", "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"
        }]}
    }]);
}
