//! Publishing what was verified, safely. Today: the leak scanner ([`scan`]), which reads
//! every byte of a folder about to be published (HTML, scripts, JSON, CSV, search index
//! files, images) and names what must not leave the newsroom: a full valid resident ID
//! number, a phone number, image metadata (EXIF, XMP, IPTC, GPS), and any name or string
//! the caller forbids (persons not published, source paths); and [`redact`], which
//! replaces ID numbers, phone numbers and withheld names in published text with visible
//! marks, and masks a published person's ID number; and [`photo`], which redraws a
//! photo small without any of its metadata. The rules file and the static site
//! that `trove publish` writes come next (see ARCHITECTURE.md).

mod numbers;
pub mod photo;
pub mod redact;
pub mod scan;

pub use photo::{PhotoError, clean_photo};
pub use redact::{Redacted, masked_id, redact};
pub use scan::{Leak, LeakKind, ScanError, ScanReport, Scanner};
