//! `mock-api` binary: parse flags, run the server (all logic lives in the library).

use mock_api::{Command, Config};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(Command::Run(cfg)) => *cfg,
        Ok(Command::Help) => {
            print!("{}", mock_api::config::HELP);
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("mock-api: {msg}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mock-api: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(mock_api::run(cfg)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mock-api: {e}");
            ExitCode::FAILURE
        }
    }
}
