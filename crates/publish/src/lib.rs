//! Publishing what was verified, safely. Today: the leak scanner ([`scan`]), which reads
//! every byte of a folder about to be published (HTML, scripts, JSON, CSV, search index
//! files, images) and names what must not leave the newsroom: a full valid resident ID
//! number, a phone number, image metadata (EXIF, XMP, IPTC, GPS), and any name or string
//! the caller forbids (persons not published, source paths). The redaction rules and the
//! static site that `trove publish` writes come next (see ARCHITECTURE.md).

pub mod scan;

pub use scan::{Leak, LeakKind, ScanError, ScanReport, Scanner};
