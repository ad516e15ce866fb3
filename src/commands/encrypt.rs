//! `nuanfeng encrypt` (feature `sqlcipher`): an encrypted copy of a plaintext registry made
//! by a build without encryption.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;
use crate::db::cipher;

/// Write an encrypted copy of a plaintext registry (the key comes from NUANFENG_KEY, or is
/// asked twice at the terminal)
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng --db 台账.db encrypt 台账-加密.db     asks for the new key twice

The plaintext file is left as it is: check the copy, then delete the plaintext file (and
empty the recycle bin). Deleting does not wipe the disk; a copy that never existed in
plaintext is safer — with this build, init and import create encrypted files.")]
pub struct EncryptArgs {
    /// The new, encrypted file (must not exist)
    #[arg(value_name = "NEW-FILE")]
    pub to: PathBuf,
}

/// Runs `encrypt`.
pub fn run(ctx: &Ctx, args: EncryptArgs) -> Result<()> {
    cipher::encrypt_copy(&ctx.db_path, &args.to)?;
    ctx.note(t!(
        "db.encrypt.done",
        to = args.to.display(),
        from = ctx.db_path.display()
    ));
    Ok(())
}
