//! The `iamscope` binary: see [`iamscope::cli`].

fn main() -> std::process::ExitCode {
    // A closed pipe (`iamscope graph | head`) ends the program quietly, as it does for
    // other Unix tools, instead of a panic on the next write.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    iamscope::cli::main()
}
