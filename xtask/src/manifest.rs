//! A deliberately small TOML reader, enough for the tidy checks on `Cargo.toml`
//! files (no `toml` crate, so `xtask` stays quick to build).
//!
//! It understands table headers (`[a.b]`, `[[a]]`), dotted and quoted keys,
//! basic/literal/multi-line strings, arrays and inline tables (spanning lines
//! too), booleans and comments. Numbers and dates are kept as raw text. Every
//! key is returned as a full path, with the current table header prepended, so
//! `[dependencies]` + `serde.workspace = true`, `[dependencies.serde]` +
//! `workspace = true` and a top-level `dependencies.serde.workspace = true`
//! all read the same.

/// A TOML value, as far as the tidy checks need to understand it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A string (basic or literal, single- or multi-line), unescaped.
    String(String),
    /// `true` or `false`.
    Bool(bool),
    /// An array.
    Array(Vec<Value>),
    /// An inline table, as `(dotted key, value)` pairs in source order.
    Table(Vec<(Vec<String>, Value)>),
    /// Anything else (numbers, dates), as written.
    Other(String),
}

/// One statement of a TOML document, with its key made absolute.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A `[table]` or `[[array.of.tables]]` header.
    Header {
        /// The header's key path, e.g. `["target", "cfg(unix)", "dependencies"]`.
        path: Vec<String>,
        /// 1-based line number.
        line: usize,
    },
    /// A `key = value` pair.
    Pair {
        /// The current header's path followed by the (dotted) key.
        path: Vec<String>,
        /// The value.
        value: Value,
        /// 1-based line number where the pair starts.
        line: usize,
    },
}

/// Parses a TOML document into its statements, or explains the first syntax error.
pub(crate) fn parse(text: &str) -> Result<Vec<Item>, String> {
    Parser {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
    }
    .document()
}

/// Whether `c` may appear in a bare (unquoted) key.
fn is_bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A cursor over the document's characters.
struct Parser {
    /// The whole document.
    chars: Vec<char>,
    /// Index of the next character to read.
    pos: usize,
    /// 1-based line number of `pos`, for error messages.
    line: usize,
}

impl Parser {
    /// The next character, if any.
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Whether the remaining text starts with `s`.
    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    /// Consumes and returns the next character.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Consumes `s` if the remaining text starts with it.
    fn eat(&mut self, s: &str) -> bool {
        if self.starts_with(s) {
            for _ in s.chars() {
                self.bump();
            }
            true
        } else {
            false
        }
    }

    /// An error message pointing at the current line.
    fn error(&self, message: &str) -> String {
        format!("line {}: {message}", self.line)
    }

    /// Skips spaces and tabs.
    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    /// Skips a `#` comment up to (not including) the end of the line.
    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while !matches!(self.peek(), None | Some('\n')) {
                self.bump();
            }
        }
    }

    /// Skips blanks, comments and line breaks.
    fn skip_trivia(&mut self) {
        loop {
            self.skip_blanks();
            self.skip_comment();
            match self.peek() {
                Some('\n' | '\r') => {
                    self.bump();
                }
                _ => return,
            }
        }
    }

    /// Requires the end of a line (optionally after blanks and a comment) or of the text.
    fn end_of_line(&mut self) -> Result<(), String> {
        self.skip_blanks();
        self.skip_comment();
        if self.peek().is_none() || self.eat("\n") || self.eat("\r\n") {
            Ok(())
        } else {
            Err(self.error("expected the end of the line"))
        }
    }

    /// The whole document.
    fn document(mut self) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        let mut table: Vec<String> = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek().is_none() {
                return Ok(items);
            }
            let line = self.line;
            if self.eat("[") {
                let array = self.eat("[");
                let path = self.key()?;
                let closed = if array { self.eat("]]") } else { self.eat("]") };
                if !closed {
                    return Err(self.error("expected `]` closing the table header"));
                }
                table.clone_from(&path);
                items.push(Item::Header { path, line });
            } else {
                let key = self.key()?;
                if !self.eat("=") {
                    return Err(self.error("expected `=` after the key"));
                }
                let value = self.value()?;
                let mut path = table.clone();
                path.extend(key);
                items.push(Item::Pair { path, value, line });
            }
            self.end_of_line()?;
        }
    }

    /// A dotted key such as `serde.workspace` or `target.'cfg(unix)'.dependencies`,
    /// with the blanks around it.
    fn key(&mut self) -> Result<Vec<String>, String> {
        let mut parts = Vec::new();
        loop {
            self.skip_blanks();
            let part = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                Some(c) if is_bare_key_char(c) => {
                    let mut part = String::new();
                    while let Some(c) = self.peek().filter(|c| is_bare_key_char(*c)) {
                        part.push(c);
                        self.bump();
                    }
                    part
                }
                _ => return Err(self.error("expected a key")),
            };
            parts.push(part);
            self.skip_blanks();
            if !self.eat(".") {
                return Ok(parts);
            }
        }
    }

    /// A value, with the blanks before it.
    fn value(&mut self) -> Result<Value, String> {
        self.skip_blanks();
        match self.peek() {
            Some('"') if self.starts_with("\"\"\"") => {
                self.multiline_string("\"\"\"", true).map(Value::String)
            }
            Some('"') => self.basic_string().map(Value::String),
            Some('\'') if self.starts_with("'''") => {
                self.multiline_string("'''", false).map(Value::String)
            }
            Some('\'') => self.literal_string().map(Value::String),
            Some('[') => self.array(),
            Some('{') => self.inline_table(),
            _ => self.scalar(),
        }
    }

    /// `[ value, ... ]`, possibly over several lines, with comments.
    fn array(&mut self) -> Result<Value, String> {
        self.bump();
        let mut values = Vec::new();
        loop {
            self.skip_trivia();
            if self.eat("]") {
                return Ok(Value::Array(values));
            }
            values.push(self.value()?);
            self.skip_trivia();
            if !self.eat(",") && self.peek() != Some(']') {
                return Err(self.error("expected `,` or `]` in an array"));
            }
        }
    }

    /// `{ key = value, ... }`; line breaks are tolerated (TOML 1.1).
    fn inline_table(&mut self) -> Result<Value, String> {
        self.bump();
        let mut entries = Vec::new();
        loop {
            self.skip_trivia();
            if self.eat("}") {
                return Ok(Value::Table(entries));
            }
            let key = self.key()?;
            if !self.eat("=") {
                return Err(self.error("expected `=` in an inline table"));
            }
            entries.push((key, self.value()?));
            self.skip_trivia();
            if !self.eat(",") && self.peek() != Some('}') {
                return Err(self.error("expected `,` or `}` in an inline table"));
            }
        }
    }

    /// A bare value: `true`, `false`, or a number/date kept as text.
    fn scalar(&mut self) -> Result<Value, String> {
        let mut text = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| !matches!(c, ',' | ']' | '}' | '#' | '\n' | '\r'))
        {
            text.push(c);
            self.bump();
        }
        match text.trim_end() {
            "" => Err(self.error("expected a value")),
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Ok(Value::Other(other.to_owned())),
        }
    }

    /// `"..."` with escapes.
    fn basic_string(&mut self) -> Result<String, String> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('"') => return Ok(text),
                Some('\\') => text.push(self.escape()?),
                Some('\n') | None => return Err(self.error("unterminated string")),
                Some(c) => text.push(c),
            }
        }
    }

    /// `'...'`, taken literally.
    fn literal_string(&mut self) -> Result<String, String> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(text),
                Some('\n') | None => return Err(self.error("unterminated string")),
                Some(c) => text.push(c),
            }
        }
    }

    /// `"""..."""` (with escapes) or `'''...'''` (literal).
    fn multiline_string(&mut self, delimiter: &str, escapes: bool) -> Result<String, String> {
        self.eat(delimiter);
        // A line break right after the opening delimiter is not part of the string.
        if !self.eat("\n") {
            self.eat("\r\n");
        }
        let quote = if escapes { '"' } else { '\'' };
        let mut text = String::new();
        loop {
            if self.eat(delimiter) {
                // Up to two more quotes belong to the string (`""""` ends with `"`).
                for _ in 0..2 {
                    if self.peek() == Some(quote) {
                        self.bump();
                        text.push(quote);
                    }
                }
                return Ok(text);
            }
            match self.bump() {
                None => return Err(self.error("unterminated multi-line string")),
                Some('\\') if escapes => {
                    if matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                        // A line-ending backslash trims the following whitespace.
                        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                            self.bump();
                        }
                    } else {
                        text.push(self.escape()?);
                    }
                }
                Some(c) => text.push(c),
            }
        }
    }

    /// The character of an escape sequence, the `\` already consumed.
    fn escape(&mut self) -> Result<char, String> {
        let digits = match self.bump() {
            Some('n') => return Ok('\n'),
            Some('t') => return Ok('\t'),
            Some('r') => return Ok('\r'),
            Some('b') => return Ok('\u{8}'),
            Some('f') => return Ok('\u{c}'),
            Some('e') => return Ok('\u{1b}'),
            Some('"') => return Ok('"'),
            Some('\\') => return Ok('\\'),
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            _ => return Err(self.error("invalid escape sequence")),
        };
        let mut code = 0_u32;
        for _ in 0..digits {
            let digit = self.bump().and_then(|c| c.to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error("invalid unicode escape"));
            };
            code = code * 16 + digit;
        }
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|part| (*part).to_owned()).collect()
    }

    fn pairs(text: &str) -> Vec<(Vec<String>, Value)> {
        parse(text)
            .unwrap()
            .into_iter()
            .filter_map(|item| match item {
                Item::Pair { path, value, .. } => Some((path, value)),
                Item::Header { .. } => None,
            })
            .collect()
    }

    #[test]
    fn keys_are_prefixed_by_their_table() {
        let text = "[package]\nname = \"a\"\n\n[dependencies]\nserde.workspace = true\n";
        assert_eq!(
            pairs(text),
            [
                (path(&["package", "name"]), Value::String("a".into())),
                (
                    path(&["dependencies", "serde", "workspace"]),
                    Value::Bool(true)
                ),
            ]
        );
    }

    #[test]
    fn quoted_keys_and_headers() {
        let text = "[target.'cfg(unix)'.dependencies]\n\"libc\" . version = \"0.2\"\n";
        let items = parse(text).unwrap();
        assert_eq!(
            items,
            [
                Item::Header {
                    path: path(&["target", "cfg(unix)", "dependencies"]),
                    line: 1
                },
                Item::Pair {
                    path: path(&["target", "cfg(unix)", "dependencies", "libc", "version"]),
                    value: Value::String("0.2".into()),
                    line: 2,
                },
            ]
        );
    }

    #[test]
    fn inline_tables_arrays_and_comments() {
        let text = r#"
            # a comment with tokio = "1"
            [ dependencies ]   # trailing
            serde = { version = "1", features = [
                "derive", # the derive macros
                "std",
            ], optional = true }
            [[bin]]
            name = "x"
        "#;
        assert_eq!(
            pairs(text),
            [
                (
                    path(&["dependencies", "serde"]),
                    Value::Table(vec![
                        (path(&["version"]), Value::String("1".into())),
                        (
                            path(&["features"]),
                            Value::Array(vec![
                                Value::String("derive".into()),
                                Value::String("std".into())
                            ])
                        ),
                        (path(&["optional"]), Value::Bool(true)),
                    ])
                ),
                (path(&["bin", "name"]), Value::String("x".into())),
            ]
        );
    }

    #[test]
    fn strings() {
        let text = concat!(
            "a = \"x\\\"y\\u00e9 # no comment\"\n",
            "b = 'C:\\path'\n",
            "c = \"\"\"\nline\n\"quoted\"\"\"\"\n",
            "d = '''\nraw\\n'''\n",
            "e = 1979-05-27T07:32:00 -08:00\n",
        );
        assert_eq!(
            pairs(text),
            [
                (
                    path(&["a"]),
                    Value::String("x\"y\u{e9} # no comment".into())
                ),
                (path(&["b"]), Value::String("C:\\path".into())),
                (path(&["c"]), Value::String("line\n\"quoted\"".into())),
                (path(&["d"]), Value::String("raw\\n".into())),
                (
                    path(&["e"]),
                    Value::Other("1979-05-27T07:32:00 -08:00".into())
                ),
            ]
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        assert_eq!(
            parse("a = 1\nb\n"),
            Err("line 2: expected `=` after the key".to_owned())
        );
        assert!(parse("[dependencies\n").is_err());
        assert!(parse("a = \"open\n").is_err());
        assert!(parse("a = { b = 1\n").is_err());
        assert!(parse("a = \"x\" b\n").is_err());
    }
}
