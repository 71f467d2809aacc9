//! `pcnkit assets import --db` and `pcnkit serve`: the demo register into a SQLite file
//! (twice: the second import changes nothing), served on a loopback port and read back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use std::io::{Read, Write};

use common::ok;

fn get(port: u16, target: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn the_demo_register_is_stored_and_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assets.sqlite");
    let db = db.to_str().unwrap();
    let first = ok(&["assets", "import", "--demo", "--db", db, "--format", "csv"]);
    assert!(first.contains(",1,2000,0,0,0"), "{first}");
    let second = ok(&["assets", "import", "--demo", "--db", db, "--format", "csv"]);
    assert!(second.contains(",2,0,0,2000,0"), "{second}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pcnkit"))
        .args([
            "serve",
            "--db",
            db,
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let mut reply = None;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        reply = get(port, "/services?per_page=2");
        if reply.is_some() {
            break;
        }
    }
    let missing = get(port, "/services/nope");
    // Harvesting the served register into another store gives every asset back.
    let copy = dir.path().join("copy.sqlite");
    let harvested = common::run(&[
        "assets",
        "harvest",
        &format!("http://127.0.0.1:{port}"),
        "--per-page",
        "300",
        "--db",
        copy.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    child.kill().unwrap();
    child.wait().unwrap();
    let reply = reply.expect("the server answered");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"total_items\":2000"), "{reply}");
    assert!(
        reply
            .to_ascii_lowercase()
            .contains("access-control-allow-origin: *")
    );
    let missing = missing.unwrap();
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    assert!(missing.contains("application/problem+json"));
    let (code, out, err) = harvested;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(",1,2000,0,0,0"), "{out}");
    common::fails(
        &["assets", "harvest", "http://127.0.0.1:9"],
        3,
        "127.0.0.1:9",
    );
}

#[test]
fn a_database_address_that_is_not_one_is_said() {
    common::fails(
        &["assets", "import", "--demo", "--db", "mysql://x/y"],
        4,
        "postgres://",
    );
}
