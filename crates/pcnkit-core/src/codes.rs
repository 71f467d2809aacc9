//! Organisation and area codes as validated newtypes.
//!
//! Each code type accepts exactly the formats NHS ODS or ONS publish (see the table below) and
//! nothing else. Parsing trims surrounding whitespace and upper-cases ASCII letters, because codes
//! typed by people or exported by spreadsheets often arrive as ` a81001 `; the stored form is
//! always the canonical upper-case code. Codes are `Copy` (at most nine bytes inline), hash and
//! order as their text, and serialise as plain JSON strings.
//!
//! | type | format | example |
//! |---|---|---|
//! | [`PracticeCode`] | one letter and five digits | `A81001` |
//! | [`PcnCode`] | `U` and five digits (the bare pseudo-code `U`, "not in a PCN", is rejected) | `U89141` |
//! | [`IcbCode`] | `Q` and two letters or digits, or a five-character code of the 2026 mergers (letter, digit, letter, digit, letter) | `QHM`, `D7T5G` |
//! | [`SubIcbCode`] | two digits and a letter (ex-CCG), or a five-character new-style code | `00L`, `15N`, `X2C4Y` |
//! | [`RegionCode`] | `Y` and two digits | `Y63` |
//! | [`OdsCode`] | any ODS organisation code: 3 to 9 letters or digits | `RX1`, `FA123` |
//! | [`LsoaCode`] | `E01` or `W01` and six digits | `E01012367` |
//! | [`LocalAuthorityCode`] | `E06`, `E07`, `E08`, `E09` or `W06` and six digits | `E08000021` |
//! | [`OnsIcbCode`] | `E54` and six digits | `E54000050` |
//! | [`OnsSubIcbCode`] | `E38` and six digits | `E38000247` |
//! | [`OnsRegionCode`] | `E40` and six digits | `E40000012` |
//! | [`Postcode`] | a UK postcode, normalised to one space before the inward code | `TS18 1HU` |

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::{CodeKind, CoreError};

const MAX_LEN: usize = 9;

/// Fixed-size inline storage for an upper-case ASCII code.
///
/// `bytes` comes first and is zero-padded, so the derived ordering is the ordering of the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Inline {
    bytes: [u8; MAX_LEN],
    len: u8,
}

impl Inline {
    fn as_str(&self) -> &str {
        // Only ASCII alphanumerics are ever stored (checked in `parse_shape`), so this cannot fail;
        // the fallback keeps the function total without a panic path.
        std::str::from_utf8(self.bytes.get(..usize::from(self.len)).unwrap_or(&[])).unwrap_or("")
    }
}

/// Does `input` (already trimmed and upper-cased) match one shape?
///
/// A shape is a template: `@` a letter, `#` a digit, `*` a letter or digit; any other character
/// must appear literally.
fn matches_shape(input: &[u8], shape: &str) -> bool {
    input.len() == shape.len()
        && input.iter().zip(shape.bytes()).all(|(&c, s)| match s {
            b'@' => c.is_ascii_uppercase(),
            b'#' => c.is_ascii_digit(),
            b'*' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            lit => c == lit,
        })
}

fn parse_shape(
    input: &str,
    kind: CodeKind,
    shapes: &[&str],
    expected: &'static str,
) -> Result<Inline, CoreError> {
    let trimmed = input.trim();
    let err = || CoreError::InvalidCode {
        kind,
        value: CoreError::clip(input),
        expected,
    };
    if trimmed.len() > MAX_LEN || !trimmed.is_ascii() {
        return Err(err());
    }
    let mut bytes = [0u8; MAX_LEN];
    for (slot, c) in bytes.iter_mut().zip(trimmed.bytes()) {
        *slot = c.to_ascii_uppercase();
    }
    let used = bytes.get(..trimmed.len()).ok_or_else(err)?;
    if shapes.iter().any(|shape| matches_shape(used, shape)) {
        // `trimmed.len() <= MAX_LEN` was checked above, so it fits in a u8.
        Ok(Inline {
            bytes,
            len: trimmed.len() as u8,
        })
    } else {
        Err(err())
    }
}

/// A regular expression equivalent to a list of shapes, for JSON Schema `pattern`.
fn shapes_regex(shapes: &[&str]) -> String {
    let alternatives: Vec<String> = shapes
        .iter()
        .map(|shape| {
            shape
                .chars()
                .map(|c| match c {
                    '@' => "[A-Z]".to_owned(),
                    '#' => "[0-9]".to_owned(),
                    '*' => "[A-Z0-9]".to_owned(),
                    lit => lit.to_string(),
                })
                .collect()
        })
        .collect();
    format!("^(?:{})$", alternatives.join("|"))
}

macro_rules! code_type {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:expr, shapes: [$($shape:literal),+ $(,)?], expected: $expected:literal,
        example: $example:literal
    ) => {
        code_type!(
            $(#[$meta])*
            $name, $kind, shapes: [$($shape),+], expected: $expected, example: $example,
            prepare: unchanged
        );
    };
    (
        $(#[$meta:meta])*
        $name:ident, $kind:expr, shapes: [$($shape:literal),+ $(,)?], expected: $expected:literal,
        example: $example:literal, prepare: $prepare:expr
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Inline);

        impl $name {
            /// The accepted shapes: `@` a letter, `#` a digit, `*` either; other characters literal.
            pub const SHAPES: &'static [&'static str] = &[$($shape),+];
            /// A human description of the accepted formats.
            pub const EXPECTED: &'static str = $expected;
            /// An example of a valid code, for documentation and error messages.
            pub const EXAMPLE: &'static str = $example;

            /// Parses and validates a code. Surrounding whitespace is trimmed and letters are
            /// upper-cased; anything that does not then match the published format is rejected.
            pub fn new(code: &str) -> Result<Self, CoreError> {
                let prepared: Cow<'_, str> = $prepare(code);
                parse_shape(&prepared, $kind, Self::SHAPES, Self::EXPECTED)
                    .map($name)
                    .map_err(|_| CoreError::InvalidCode {
                        kind: $kind,
                        value: CoreError::clip(code),
                        expected: Self::EXPECTED,
                    })
            }

            /// The canonical (upper-case) code.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// A regular expression that matches exactly the canonical codes of this type.
            pub fn pattern() -> String {
                shapes_regex(Self::SHAPES)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = CoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = CoreError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = CoreError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(&s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.as_str().to_owned()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <Cow<'de, str>>::deserialize(d)?;
                Self::new(&s).map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": Self::pattern(),
                    "description": concat!("Expected: ", $expected, ". Example: ", $example, "."),
                    "examples": [$example],
                })
            }
        }

        impl crate::arrow::ArrowType for $name {
            fn arrow_data_type() -> arrow_schema::DataType {
                arrow_schema::DataType::Utf8
            }
        }
    };
}

code_type!(
    /// A GP practice ODS code: one letter and five digits, e.g. `A81001`.
    ///
    /// ```
    /// use pcnkit_core::PracticeCode;
    /// let code: PracticeCode = "a81001".parse()?;
    /// assert_eq!(code.as_str(), "A81001");
    /// assert!(PracticeCode::new("A8100").is_err());
    /// # Ok::<(), pcnkit_core::CoreError>(())
    /// ```
    PracticeCode, CodeKind::Practice, shapes: ["@#####"],
    expected: "one letter followed by five digits", example: "A81001"
);

code_type!(
    /// A Primary Care Network ODS code: `U` and five digits, e.g. `U89141`.
    ///
    /// NHS files use the bare pseudo-code `U` for "practice not in a PCN"; that is not a PCN and is
    /// rejected here, so importers must map it to "no PCN" explicitly.
    PcnCode, CodeKind::Pcn, shapes: ["U#####"],
    expected: "U followed by five digits", example: "U89141"
);

code_type!(
    /// An Integrated Care Board ODS code: `Q` and two letters or digits (`QHM`), or one of the
    /// five-character codes given to boards merged in 2026 (`D7T5G`).
    IcbCode, CodeKind::Icb, shapes: ["Q**", "@#@#@"],
    expected: "Q followed by two letters or digits, or a five-character code such as D7T5G",
    example: "QHM"
);

code_type!(
    /// A sub-ICB location ODS code: the ex-CCG form of two digits and a letter (`00L`, `15N`), or
    /// a five-character new-style code (`X2C4Y`).
    SubIcbCode, CodeKind::SubIcb, shapes: ["##@", "@#@#@"],
    expected: "two digits and a letter (e.g. 00L) or a five-character code such as X2C4Y",
    example: "16C"
);

code_type!(
    /// An NHS England region ODS code: `Y` and two digits, e.g. `Y63`.
    RegionCode, CodeKind::Region, shapes: ["Y##"],
    expected: "Y followed by two digits", example: "Y63"
);

code_type!(
    /// Any ODS organisation code: 3 to 9 letters or digits. Use the specific types where the kind
    /// of organisation is known; this one is for files that mix kinds (e.g. `epraccur`).
    OdsCode, CodeKind::Ods,
    shapes: ["***", "****", "*****", "******", "*******", "********", "*********"],
    expected: "3 to 9 letters or digits", example: "RX1"
);

code_type!(
    /// An ONS Lower layer Super Output Area code: `E01` or `W01` and six digits.
    LsoaCode, CodeKind::Lsoa, shapes: ["E01######", "W01######"],
    expected: "E01 or W01 followed by six digits", example: "E01012367"
);

code_type!(
    /// An ONS local authority district code: `E06`, `E07`, `E08`, `E09` or `W06` and six digits.
    LocalAuthorityCode, CodeKind::LocalAuthority,
    shapes: ["E06######", "E07######", "E08######", "E09######", "W06######"],
    expected: "E06, E07, E08, E09 or W06 followed by six digits", example: "E08000021"
);

code_type!(
    /// An ONS Integrated Care Board code: `E54` and six digits.
    OnsIcbCode, CodeKind::OnsIcb, shapes: ["E54######"],
    expected: "E54 followed by six digits", example: "E54000050"
);

code_type!(
    /// An ONS sub-ICB location code: `E38` and six digits.
    OnsSubIcbCode, CodeKind::OnsSubIcb, shapes: ["E38######"],
    expected: "E38 followed by six digits", example: "E38000247"
);

code_type!(
    /// An ONS code for an NHS England region: `E40` and six digits.
    OnsRegionCode, CodeKind::OnsRegion, shapes: ["E40######"],
    expected: "E40 followed by six digits", example: "E40000012"
);

code_type!(
    /// A UK postcode in its canonical form: upper case, one space before the inward code
    /// (`TS18 1HU`). Accepts any spacing (`ts181hu`, `TS18  1HU`) and every format Royal Mail
    /// uses: `A9 9AA`, `A99 9AA`, `AA9 9AA`, `AA99 9AA`, `A9A 9AA`, `AA9A 9AA`.
    ///
    /// ```
    /// use pcnkit_core::Postcode;
    /// assert_eq!(Postcode::new("ts181hu")?.as_str(), "TS18 1HU");
    /// assert!(Postcode::new("TS18 1H").is_err());
    /// # Ok::<(), pcnkit_core::CoreError>(())
    /// ```
    Postcode, CodeKind::Postcode,
    shapes: ["@# #@@", "@## #@@", "@@# #@@", "@@## #@@", "@#@ #@@", "@@#@ #@@"],
    expected: "a UK postcode such as TS18 1HU", example: "TS18 1HU",
    prepare: normalise_postcode
);

fn unchanged(input: &str) -> Cow<'_, str> {
    Cow::Borrowed(input)
}

/// Removes all whitespace and puts one space before the last three characters.
fn normalise_postcode(input: &str) -> Cow<'_, str> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.len().checked_sub(3) {
        Some(split) if split > 0 && compact.is_char_boundary(split) => {
            Cow::Owned(format!("{} {}", &compact[..split], &compact[split..]))
        }
        _ => Cow::Owned(compact),
    }
}

macro_rules! widen_to_ods {
    ($($name:ident),+) => {$(
        impl From<$name> for OdsCode {
            fn from(code: $name) -> OdsCode {
                // Every specific ODS shape is 3 to 9 alphanumerics, so the bytes are reused as is.
                OdsCode(code.0)
            }
        }
    )+};
}
widen_to_ods!(PracticeCode, PcnCode, IcbCode, SubIcbCode, RegionCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_examples() {
        for c in ["A81001", "Y00001", "W91016"] {
            assert!(PracticeCode::new(c).is_ok(), "{c}");
        }
        assert!(PcnCode::new("U89141").is_ok());
        for c in ["QHM", "QE1", "Q99", "D7T5G", "Z9B2Z"] {
            assert!(IcbCode::new(c).is_ok(), "{c}");
        }
        for c in ["00L", "15N", "99A", "X2C4Y"] {
            assert!(SubIcbCode::new(c).is_ok(), "{c}");
        }
        assert!(RegionCode::new("Y56").is_ok());
        assert!(LsoaCode::new("W01000001").is_ok());
        assert!(OnsSubIcbCode::new("E38000247").is_ok());
        for (c, canon) in [
            ("ts181hu", "TS18 1HU"),
            ("SW1A 1AA", "SW1A 1AA"),
            ("m1  1ae", "M1 1AE"),
            ("GY9 3TD", "GY9 3TD"),
        ] {
            assert_eq!(Postcode::new(c).unwrap().as_str(), canon);
        }
    }

    #[test]
    fn rejects_near_misses_with_the_expected_format() {
        let err = PracticeCode::new("A8100X").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid GP practice code \"A8100X\": expected one letter followed by five digits"
        );
        for c in ["", "U", "U1234", "U123456", "A12345", "U1234 5"] {
            assert!(PcnCode::new(c).is_err(), "{c:?}");
        }
        for c in ["QH", "RHM", "D7T5", "d7t5g5", "Q-1"] {
            assert!(IcbCode::new(c).is_err(), "{c:?}");
        }
        for c in ["0L", "L00", "7A1", "A0"] {
            assert!(SubIcbCode::new(c).is_err(), "{c:?}");
        }
        assert!(LsoaCode::new("E02000001").is_err());
        assert!(OnsIcbCode::new("E38000001").is_err());
        assert!(PracticeCode::new("Ä81001").is_err());
        for c in [
            "TS18",
            "1HU",
            "TS18 1H",
            "TS181 1HU",
            "T 1HU",
            "ÄS18 1HU",
            "",
        ] {
            assert!(Postcode::new(c).is_err(), "{c:?}");
        }
    }

    #[test]
    fn normalises_case_and_whitespace() {
        let c = PracticeCode::new("  a81001\t").unwrap();
        assert_eq!(c.to_string(), "A81001");
        assert_eq!(format!("{c:?}"), "PracticeCode(\"A81001\")");
    }

    #[test]
    fn orders_as_text() {
        let mut v = [OdsCode::new("RX10").unwrap(), OdsCode::new("RX1").unwrap()];
        v.sort();
        assert_eq!(v[0].as_str(), "RX1");
    }

    #[test]
    fn pattern_is_a_regex_of_the_shapes() {
        assert_eq!(
            IcbCode::pattern(),
            "^(?:Q[A-Z0-9][A-Z0-9]|[A-Z][0-9][A-Z][0-9][A-Z])$"
        );
    }
}
