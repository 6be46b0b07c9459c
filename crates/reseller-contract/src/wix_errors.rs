//! The rows of Wix's error tables (`fixtures/wix-docs/errors.csv`, built into this
//! crate), read in one place for every test that checks them: the domain's codes
//! and the HTTP client's decoding.

/// The table, as Wix's docs have it (its header first).
const CSV: &str = include_str!("../../../fixtures/wix-docs/errors.csv");

/// One row of Wix's error tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// The endpoint the row documents (`Create Package (V2; also v1)`).
    pub endpoint: String,
    /// The HTTP status.
    pub http_status: u16,
    /// The status's gRPC-style name (`NOT_FOUND`).
    pub status_name: String,
    /// The Wix error code (`PRODUCT_NOT_FOUND`).
    pub error_code: String,
    /// The message, with `<placeholders>` where Wix fills in ids.
    pub message_template: String,
}

/// Every row, in the table's order.
pub fn error_rows() -> Vec<ErrorRow> {
    CSV.lines()
        .skip(1)
        .map(|line| {
            let fields = fields(line);
            let field = |i: usize| fields.get(i).cloned().expect("a column of errors.csv");
            ErrorRow {
                endpoint: field(1),
                http_status: field(2).parse().expect("an HTTP status in errors.csv"),
                status_name: field(3),
                error_code: field(4),
                message_template: field(5),
            }
        })
        .collect()
}

/// Splits one CSV line into its fields (RFC 4180 quoting: `"a, b"`, `""` for `"`).
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.last_mut().expect("at least one field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => field.push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_their_commas_and_quotes() {
        assert_eq!(
            fields(r#"a,"b, c","say ""hi""",,d"#),
            ["a", "b, c", r#"say "hi""#, "", "d"]
        );
    }

    #[test]
    fn every_row_reads() {
        let rows = error_rows();
        assert_eq!(
            rows.len(),
            33,
            "12 Create Package, 17 Adjust, 4 Transfer Site"
        );
        assert!(rows.iter().all(|r| !r.error_code.is_empty()));
    }
}
