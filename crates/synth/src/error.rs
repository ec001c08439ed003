use std::path::PathBuf;

/// What went wrong while writing the demo leak, with the file (or leak path) that failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The file system refused to create a folder or write a file.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder on disk that could not be written.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The leak folder already holds files (from an earlier run, or something else).
    #[error("{path} is not empty: choose an empty or new folder for the demo leak")]
    NotEmpty {
        /// The `leak` folder that already holds files.
        path: PathBuf,
    },
    /// A generator could not encode a document (a library refused its input).
    #[error("cannot build {path}: {message}")]
    Encode {
        /// Where the document would live, relative to `leak/` (`outer!/inner` for a
        /// member), or the name of a file written beside the leak.
        path: String,
        /// The library's error message.
        message: String,
    },
}

impl SynthError {
    /// An encoding failure for the document that will live at `path` inside the leak.
    pub(crate) fn encode(path: &str, error: impl std::fmt::Display) -> Self {
        SynthError::Encode {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }
}
