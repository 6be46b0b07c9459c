//! Base64url without padding (RFC 4648 section 5), strict: decoding refuses
//! padding, characters outside the alphabet, an impossible length, and non-zero
//! unused bits, so every byte string has exactly one text form.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The base64url text of `bytes`, without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut push = |sextet: u32| {
        let c = ALPHABET
            .get((sextet & 0x3f) as usize)
            .copied()
            .unwrap_or(b'A');
        out.push(char::from(c));
    };
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (g, b) in group.iter_mut().zip(chunk) {
            *g = *b;
        }
        let [a, b, c] = group;
        let n = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
        push(n >> 18);
        push(n >> 12);
        if chunk.len() > 1 {
            push(n >> 6);
        }
        if chunk.len() > 2 {
            push(n);
        }
    }
    out
}

/// Why a text is not canonical base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A character outside `A-Z a-z 0-9 - _`.
    BadCharacter,
    /// A length that leaves a single character in the last group.
    BadLength,
    /// The unused low bits of the last character are not zero.
    NonCanonical,
}

/// The bytes of a base64url text without padding.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    if text.len() % 4 == 1 {
        return Err(DecodeError::BadLength);
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for c in text.bytes() {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(DecodeError::BadCharacter),
        };
        acc = ((acc << 6) | u32::from(sextet)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    if acc & ((1 << bits) - 1) != 0 {
        return Err(DecodeError::NonCanonical);
    }
    Ok(out)
}
