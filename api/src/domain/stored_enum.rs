/// Declares an enumeration stored in the database as its API name (`"SPACE_RENTAL"`), with
/// `ALL`, `as_str`, `Display` and `FromStr`. The GraphQL enums mirror these with
/// `#[graphql(remote = …)]`, so that services never see GraphQL types.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and API name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {} '{other}'", stringify!($name))),
                }
            }
        }
    };
}

pub(crate) use stored_enum;

/// Reads a stored enum column; a value this build does not know is an internal error (the
/// database was written by a newer version, or by hand).
pub fn parse_stored<T: std::str::FromStr<Err = String>>(
    value: &str,
) -> Result<T, crate::error::AppError> {
    value
        .parse()
        .map_err(|e: String| crate::error::AppError::internal(anyhow::anyhow!(e)))
}
