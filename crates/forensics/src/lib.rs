//! What shows that a leak is genuine and that its originals are the ones received.
//!
//! Pure, like `records`: it is handed catalog facts and returns documents.
//!
//! - [`authenticity`]: findings over the catalog's facts (ID numbers, cameras and clocks,
//!   duplicates, document metadata), each with its strength and its evidence. It reads
//!   numbers, dates and metadata; it never judges a face or a person.
//! - [`custody`]: manifests of every original (hashdeep, CSV, DFXML) that a partner or a
//!   court can check the files against with tools of their own.
//! - [`digest`]: one hash over the whole set of originals (a Merkle root), so that two
//!   holders of a leak can tell, by comparing one line, whether they hold the same files.

pub mod authenticity;
pub mod custody;
pub mod digest;

pub use custody::{CustodyEntry, ManifestFormat, write_manifest};
pub use digest::{DigestLeaf, store_digest};
