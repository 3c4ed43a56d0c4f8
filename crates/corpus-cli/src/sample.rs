//! The built-in sample corpus: twelve short articles we wrote in the seed's format, read when a
//! command is given no input so that a fresh checkout shows something useful.

use corpus_parser::Input;

/// The sample articles, embedded from `crates/corpus-cli/sample/` (inside this crate, so that
/// `cargo package` carries them).
const ARTICLES: &[(&str, &str)] = &[
    (
        "001_3f9a1c0b7d2e4a61.txt",
        include_str!("../sample/001_3f9a1c0b7d2e4a61.txt"),
    ),
    (
        "002_8b21e6f04c9d3a57.txt",
        include_str!("../sample/002_8b21e6f04c9d3a57.txt"),
    ),
    (
        "003_c47e90a2b5f1d8e3.txt",
        include_str!("../sample/003_c47e90a2b5f1d8e3.txt"),
    ),
    (
        "004_5e0d2b8a91c37f46.txt",
        include_str!("../sample/004_5e0d2b8a91c37f46.txt"),
    ),
    (
        "005_a1b2c3d4e5f60718.txt",
        include_str!("../sample/005_a1b2c3d4e5f60718.txt"),
    ),
    (
        "006_0f1e2d3c4b5a6978.txt",
        include_str!("../sample/006_0f1e2d3c4b5a6978.txt"),
    ),
    (
        "007_7c6b5a4938271605.txt",
        include_str!("../sample/007_7c6b5a4938271605.txt"),
    ),
    (
        "008_e9d8c7b6a5f40312.txt",
        include_str!("../sample/008_e9d8c7b6a5f40312.txt"),
    ),
    (
        "009_4d3c2b1a0f9e8d7c.txt",
        include_str!("../sample/009_4d3c2b1a0f9e8d7c.txt"),
    ),
    (
        "010_b8a7f6e5d4c3b2a1.txt",
        include_str!("../sample/010_b8a7f6e5d4c3b2a1.txt"),
    ),
    (
        "011_2a4c6e8f0b1d3f57.txt",
        include_str!("../sample/011_2a4c6e8f0b1d3f57.txt"),
    ),
    (
        "012_9f8e7d6c5b4a3928.txt",
        include_str!("../sample/012_9f8e7d6c5b4a3928.txt"),
    ),
];

/// The sample corpus as inputs, named `sample/<file>`.
pub(crate) fn inputs() -> Vec<Input> {
    ARTICLES
        .iter()
        .map(|(name, text)| Input::Memory {
            name: format!("sample/{name}"),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}
