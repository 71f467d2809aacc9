//! Running the `pcnkit` binary from the integration tests.
// Each test file uses the helpers it needs.
#![allow(dead_code)]

use std::process::{Command, Output};

/// The binary's output for `args` (with `--quiet`).
pub fn pcnkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcnkit"))
        .args(args)
        .arg("--quiet")
        .output()
        .expect("the binary runs")
}

/// (status, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = pcnkit(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 errors"),
    )
}

/// Standard output of a run that must succeed.
pub fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// A run that must fail with `code` and say `message` on standard error.
pub fn fails(args: &[&str], code: i32, message: &str) {
    let (got, _, err) = run(args);
    assert_eq!(got, code, "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: {err}\nexpected: {message}"
    );
}

/// This crate's directory: the runtime value first, as a test binary reused from another
/// checkout of the workspace (a shared target directory) has that checkout's path compiled in.
#[allow(dead_code)]
pub fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
