//! The last step every office extractor shares: parts and metadata into an
//! [`Extracted`].

use trove_model::Metadata;

use crate::{Extracted, PartsBuilder};

/// Packs the collected parts (and whether the budget cut any) with the
/// document's metadata. Office formats carry no children or thumbnails here.
pub(crate) fn extracted(builder: PartsBuilder, metadata: Metadata) -> Extracted {
    let (parts, truncated) = builder.finish();
    Extracted {
        parts,
        metadata,
        truncated,
        ..Extracted::default()
    }
}
