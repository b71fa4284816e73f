//! A small JSON reader (RFC 8259) into `serde_json::Value`, for the browser build.
//!
//! `serde_json::from_str::<Value>` goes through serde's generic visitor machinery, whose error
//! paths format serde's `Unexpected` values (floats included, which brings in the whole float
//! printer) though a `Value` never rejects a type. This reader builds the same `Value` directly:
//! the same numbers (an integer is a `u64`, else an `i64`, else an `f64`; anything with a
//! fraction or exponent an `f64`), the same strings (escapes, surrogate pairs, no raw control
//! characters, no lone surrogates), the same last-wins objects, the same nesting limit (127 levels), and
//! the error's position in serde_json's form (`… at line L column C`). Tests hold it to
//! `serde_json::from_str` on generated and mutated documents.

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

struct Reader<'a> {
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
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                _ => return Err(self.next_error("expected `,` or `]`")),
            }
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
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.error("EOF while parsing an object")),
                _ => return Err(self.next_error("expected `,` or `}`")),
            }
        }
    }

    /// The rest of a string whose opening quote has been read.
    fn string(&mut self) -> Result<String, JsonError> {
        let mut out = String::new();
        loop {
            // The run of plain characters up to the next quote, backslash or control character.
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and the run ends at an ASCII byte: a whole UTF-8 slice.
            out.push_str(std::str::from_utf8(&self.src[start..self.pos]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
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
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self.error("number out of range")),
        }
    }
}
