//! Names across scripts. The police files write Uyghur names in Chinese characters
//! (热依拉·奥迈尔); relatives report them in Uyghur Latin (Rahile Ömer), Uyghur Arabic
//! script (راھىلە ئۆمەر), Cyrillic (Раһилә Өмәр), or English spellings of their own
//! (Rahila Omar). Every form is brought to one comparable phonetic form, and two names
//! are scored with an explanation.
//!
//! The way through: [`script`] detects and normalises, [`translit`] reads every script
//! as Latin, [`phonetic`] folds Latin spellings (and pinyin) to one form, [`variants`]
//! holds the variant groups, [`structure`] splits a name into parts, [`fast`] pairs and
//! scores the parts, [`score`] explains that score, [`key`] gives blocking keys.
//!
//! ```
//! use trove_names::{compare, Decision};
//! let c = compare("Ilham Tohti", "Илһам Тохти");
//! assert_eq!(c.decision, Decision::Match);
//! println!("{c}");
//! ```
//!
//! Pure: strings in, facts out.

pub mod fast;
pub mod han;
pub mod key;
pub mod phonetic;
pub mod score;
pub mod script;
pub mod spellings;
pub mod structure;
pub mod translit;
pub mod variants;
pub mod xref;

pub use fast::score_analysed;
pub use key::{blocking_keys, phonetic_form};
pub use score::{Comparison, Decision, MatchExplanation, compare, compare_analysed};
pub use script::Script;
