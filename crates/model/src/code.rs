//! One convention for enums whose values are written down as stable code strings (in the
//! catalog, the index, JSON and URLs): [`coded_enum!`] declares the enum and derives its
//! `ALL`, `code`, `from_code` and `Display` from one table, so a code is spelled once.

/// A code that names no value of a [`coded_enum!`] parsed with `FromStr`
/// (a [`crate::SubjectKind`], a [`crate::VerificationStatus`] …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a {what}: use one of {choices}")]
pub struct ParseCodeError {
    /// The text that was parsed, as given.
    pub input: String,
    /// What was expected, in words (`verification status`).
    pub what: &'static str,
    /// The valid codes, comma-separated.
    pub choices: &'static str,
}

/// Joins code literals with `", "` at compile time, for [`ParseCodeError::choices`].
#[doc(hidden)]
#[macro_export]
macro_rules! join_codes {
    ($first:literal $(, $rest:literal)*) => {
        concat!($first $(, ", ", $rest)*)
    };
}

/// Declares an enum with a stable code string per variant:
///
/// ```ignore
/// coded_enum! {
///     /// Docs and derives pass through.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Colour as "colour" {
///         /// Variant docs pass through too.
///         Red => "red",
///         Green => "green",
///     }
/// }
/// ```
///
/// It adds `ALL` (every value, in declaration order), `code()`, `from_code()` (exact
/// match) and `Display` (the code). With `as "what"` it also implements `FromStr`, which
/// trims its input and fails with a [`ParseCodeError`] naming `what` and the valid codes.
/// Other crates use it too (the access crate's audit actions).
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $( $(#[$variant_meta:meta])* $variant:ident => $code:literal, )+
        }
    ) => {
        $crate::coded_enum! {
            $(#[$meta])*
            $vis enum $name {
                $( $(#[$variant_meta])* $variant => $code, )+
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseCodeError;

            fn from_str(input: &str) -> Result<Self, Self::Err> {
                Self::from_code(input.trim()).ok_or_else(|| $crate::ParseCodeError {
                    input: input.to_owned(),
                    what: $what,
                    choices: Self::CODES,
                })
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// Every code, comma-separated, in declaration order.
            pub const CODES: &'static str = $crate::join_codes!($($code),+);

            /// The stable code string: what the catalog, the index and JSON hold.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value whose [`code`](Self::code) is exactly `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    coded_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Colour as "colour" {
            Red => "red",
            DarkGreen => "dark_green",
        }
    }

    #[test]
    fn codes_round_trip_and_unknown_ones_name_the_choices() {
        for colour in Colour::ALL {
            assert_eq!(Colour::from_code(colour.code()), Some(colour));
            assert_eq!(colour.to_string().parse(), Ok(colour));
        }
        assert_eq!(" red ".parse(), Ok(Colour::Red));
        assert_eq!(Colour::from_code(" red "), None);
        assert_eq!(
            "blue".parse::<Colour>().unwrap_err().to_string(),
            "`blue` is not a colour: use one of red, dark_green"
        );
    }
}
