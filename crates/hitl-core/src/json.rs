//! A small JSON reader (RFC 8259) into `serde_json::Value`, for the browser build.
//!
//! `serde_json::from_str::<Value>` goes through serde's generic visitor machinery, whose error
//! paths format serde's `Unexpected` values (floats included, which brings in the whole float
//! printer) though a `Value` never rejects a type. This reader builds the same `Value` directly:
//! the same numbers (an integer is a `u64`, else an `i64`, else an `f64`; anything with a
//! fraction or exponent an `f64`, read by [`parse_f64`]), the same strings (escapes, surrogate
//! pairs, no raw control characters, no lone surrogates), the same last-wins objects, the same
//! nesting limit (127 levels), and the error's position in serde_json's form (`… at line L
//! column C`). Tests hold it to `serde_json::from_str` on generated and damaged documents.

use std::fmt;

use serde_json::{Map, Number, Value};

/// How deep arrays and objects may nest (serde_json's limit: 127 levels): deeper input is
/// refused, never a stack overflow.
pub const MAX_DEPTH: usize = 127;

/// Why a text is not JSON, and where (1-based line, column of the offending character).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.what, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// The value `text` holds, which must be one JSON value with only whitespace around it.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut r = Reader {
        text,
        src: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let v = r.value()?;
    r.skip_ws();
    if r.pos < r.src.len() {
        r.pos += 1;
        return Err(r.error("trailing characters"));
    }
    Ok(v)
}

/// 10^0 … 10^308, each correctly rounded (by the compiler, from the literal).
#[rustfmt::skip]
const POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46,
    1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61,
    1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76,
    1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91,
    1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105,
    1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118,
    1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131,
    1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144,
    1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157,
    1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170,
    1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183,
    1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196,
    1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222,
    1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235,
    1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248,
    1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261,
    1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274,
    1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287,
    1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300,
    1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

/// Decimal text as an `f64`: an optional sign, digits with an optional decimal point (at least
/// one digit), an optional exponent (`e`/`E`, optional sign, digits). Too large is infinite.
///
/// Not `str::parse::<f64>`: core's correctly rounded reader carries a large table of 128-bit
/// powers of five into the wasm. This one multiplies the first 19 significant digits by one
/// power of ten from a small table, as serde_json's default reader does: exact (correctly
/// rounded) whenever the digits fit in 53 bits and the exponent is within ±22 — response times,
/// shares and counts as an API writes them (`12.5`, `0.25`, `3600`) — and otherwise within two
/// units in the last place (tested).
pub fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    // The first 19 significant digits (they fit a u64), and the power of ten they are scaled by.
    let (mut mantissa, mut exp10, mut digits) = (0u64, 0i64, 0);
    let mut fraction = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    exp10 -= i64::from(fraction);
                } else {
                    exp10 += i64::from(!fraction);
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let (mut e, start) = (0i64, i);
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += sign * e;
    }
    if i != b.len() {
        return None;
    }
    // With digits of 53 bits or less and |exp10| <= 22 both operands are exact: one correctly
    // rounded operation. Beyond ±400 the result is 0 or infinite whatever the digits are.
    let mut x = mantissa as f64;
    let mut e = exp10.clamp(-400, 400);
    if mantissa != 0 {
        if e < -308 {
            x /= 1e308;
            e += 308;
        }
        x = if e < 0 {
            x / POW10[e.unsigned_abs() as usize]
        } else {
            x * POW10[e.min(308) as usize]
        };
        if e > 308 {
            x = f64::INFINITY;
        }
    }
    Some(if negative { -x } else { x })
}

struct Reader<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn error(&self, what: &'static str) -> JsonError {
        let seen = &self.src[..self.pos.min(self.src.len())];
        let line = 1 + seen.iter().filter(|&&b| b == b'\n').count();
        let start = seen.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, not bytes (UTF-8 continuation bytes are skipped).
        let column = seen[start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        JsonError { what, line, column }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `b` or fails with `what`.
    fn expect(&mut self, b: u8, what: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.next_error(what))
        }
    }

    /// The error for an unexpected next byte: at the end of the text, "EOF while parsing".
    fn next_error(&mut self, what: &'static str) -> JsonError {
        if self.pos >= self.src.len() {
            self.error("EOF while parsing a value")
        } else {
            self.pos += 1;
            self.error(what)
        }
    }

    fn value(&mut self) -> Result<Value, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                self.pos += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            _ => Err(self.next_error("expected value")),
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Value, JsonError>) -> Result<Value, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.pos += 1;
            return Err(self.error("recursion limit exceeded"));
        }
        self.pos += 1;
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn word(&mut self, word: &'static str, v: Value) -> Result<Value, JsonError> {
        for &b in word.as_bytes() {
            if self.peek() != Some(b) {
                return Err(self.next_error("expected ident"));
            }
            self.pos += 1;
        }
        Ok(v)
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            if !items.is_empty() && self.peek() == Some(b']') {
                self.pos += 1;
                return Err(self.error("trailing comma"));
            }
            items.push(self.value()?);
            if self.closes(b']', "EOF while parsing a list", "expected `,` or `]`")? {
                return Ok(Value::Array(items));
            }
        }
    }

    /// After an item: `true` at the closing bracket, `false` after a comma (both consumed).
    fn closes(
        &mut self,
        close: u8,
        eof: &'static str,
        other: &'static str,
    ) -> Result<bool, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            None => Err(self.error(eof)),
            _ => Err(self.next_error(other)),
        }
    }

    fn object(&mut self) -> Result<Value, JsonError> {
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => self.pos += 1,
                Some(b'}') if !map.is_empty() => {
                    self.pos += 1;
                    return Err(self.error("trailing comma"));
                }
                None => return Err(self.error("EOF while parsing an object")),
                _ => return Err(self.next_error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek().is_none() {
                return Err(self.error("EOF while parsing an object"));
            }
            self.expect(b':', "expected `:`")?;
            let v = self.value()?;
            map.insert(key, v);
            if self.closes(b'}', "EOF while parsing an object", "expected `,` or `}`")? {
                return Ok(Value::Object(map));
            }
        }
    }

    /// The rest of a string whose opening quote has been read.
    fn string(&mut self) -> Result<String, JsonError> {
        let mut out = String::new();
        loop {
            // The run of plain characters up to the next quote, backslash or control character.
            // It starts and ends at ASCII bytes (or the end), so slicing the text there is on
            // character boundaries: no UTF-8 check needed.
            let start = self.pos;
            let rest = &self.src[start..];
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            self.pos += run;
            let plain = &self.text[start..self.pos];
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    // Most strings have no escape: one allocation of the right size.
                    if out.is_empty() {
                        return Ok(plain.to_owned());
                    }
                    out.push_str(plain);
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(plain);
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    self.pos += 1;
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(b) = self.peek() else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                match first {
                    0xD800..=0xDBFF => {
                        if self.src.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        self.pos += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        char::from_u32(code).unwrap_or('\u{FFFD}')
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error("unexpected end of hex escape"));
                    }
                    _ => char::from_u32(first).unwrap_or('\u{FFFD}'),
                }
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(b) = self.peek() else {
                return Err(self.error("EOF while parsing a string"));
            };
            self.pos += 1;
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.next_error("invalid number")),
        }
        let int_end = self.pos;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.next_error("invalid number"));
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.next_error("invalid number"));
            }
            float = true;
        }
        // Digits and signs only: ASCII, so the slices are valid UTF-8.
        let text = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or_default();
        if !float {
            let magnitude = std::str::from_utf8(&self.src[int_start..int_end]).unwrap_or_default();
            // As serde_json reads them: `-0` is the float -0.0, and integers beyond 64 bits
            // are floats.
            if let Ok(n) = magnitude.parse::<u64>() {
                if !negative {
                    return Ok(Value::Number(n.into()));
                }
                if n != 0 {
                    if let Ok(n) = text.parse::<i64>() {
                        return Ok(Value::Number(n.into()));
                    }
                }
            }
        }
        match parse_f64(text).and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self.error("number out of range")),
        }
    }
}
