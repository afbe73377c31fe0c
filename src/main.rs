//! The `iamscope` binary: see [`iamscope::cli`].

fn main() -> std::process::ExitCode {
    iamscope::cli::main()
}
