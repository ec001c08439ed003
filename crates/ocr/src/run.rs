//! Running a program with a time limit, its output captured.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::OcrError;

/// How often a running program is checked on.
const POLL: Duration = Duration::from_millis(20);

/// Runs `command` on `input` (named in errors) for at most `limit`, with `stdin` as its
/// standard input; its standard output when it succeeds.
pub(crate) fn run(
    program: &'static str,
    mut command: Command,
    input: &Path,
    limit: Duration,
    stdin: Option<Vec<u8>>,
) -> Result<Vec<u8>, OcrError> {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => missing(program),
            _ => OcrError::Io(e),
        })?;
    // Fed and drained on threads: a program that fills a pipe would otherwise never finish.
    let feed = child.stdin.take().zip(stdin).map(|(mut pipe, bytes)| {
        thread::spawn(move || {
            // A program that stops reading early says why through its exit status.
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out = thread::spawn(move || read_all(stdout.as_mut()));
    let err = thread::spawn(move || read_all(stderr.as_mut()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            // Either may fail if it has just ended; the timeout is what matters.
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Timeout {
                program,
                seconds: limit.as_secs(),
                input: input.to_path_buf(),
            });
        }
        thread::sleep(POLL);
    };
    if let Some(feed) = feed {
        let _ = feed.join();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if status.success() {
        Ok(stdout)
    } else {
        Err(OcrError::Failed {
            program,
            input: input.to_path_buf(),
            detail: String::from_utf8_lossy(&stderr).trim().to_owned(),
        })
    }
}

fn read_all(pipe: Option<&mut impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(pipe) = pipe {
        // A read error leaves what was read; the exit status says what happened.
        let _ = pipe.read_to_end(&mut bytes);
    }
    bytes
}

pub(crate) fn missing(program: &'static str) -> OcrError {
    let package = match program {
        "pdftoppm" => "poppler-utils",
        _ => "tesseract-ocr",
    };
    OcrError::Missing { program, package }
}
