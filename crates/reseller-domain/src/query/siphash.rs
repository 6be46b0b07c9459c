//! SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012):
//! the 64-bit keyed MAC that makes cursors tamper-evident.

/// SipHash-2-4 of `message` under the 128-bit `key` (`k0` = bytes 0..8 and `k1` =
/// bytes 8..16, both little-endian, as in the paper).
pub(crate) fn siphash24(key: &[u8; 16], message: &[u8]) -> u64 {
    let (k0_bytes, k1_bytes) = key.split_at(8);
    let k0 = le_u64(k0_bytes);
    let k1 = le_u64(k1_bytes);
    let mut s = State {
        v0: k0 ^ 0x736f_6d65_7073_6575,
        v1: k1 ^ 0x646f_7261_6e64_6f6d,
        v2: k0 ^ 0x6c79_6765_6e65_7261,
        v3: k1 ^ 0x7465_6462_7974_6573,
    };
    let blocks = message.chunks_exact(8);
    let tail = blocks.remainder();
    for block in blocks {
        s.absorb(le_u64(block));
    }
    // The last block: the remaining bytes, and the message length (mod 256) in the
    // top byte. `as` keeps the low 8 bits on purpose.
    #[allow(clippy::cast_possible_truncation)]
    let last = le_u64(tail) | (u64::from(message.len() as u8) << 56);
    s.absorb(last);
    s.v2 ^= 0xff;
    for _ in 0..4 {
        s.round();
    }
    s.v0 ^ s.v1 ^ s.v2 ^ s.v3
}

struct State {
    v0: u64,
    v1: u64,
    v2: u64,
    v3: u64,
}

impl State {
    fn absorb(&mut self, m: u64) {
        self.v3 ^= m;
        self.round();
        self.round();
        self.v0 ^= m;
    }

    fn round(&mut self) {
        self.v0 = self.v0.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(13);
        self.v1 ^= self.v0;
        self.v0 = self.v0.rotate_left(32);
        self.v2 = self.v2.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(16);
        self.v3 ^= self.v2;
        self.v0 = self.v0.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(21);
        self.v3 ^= self.v0;
        self.v2 = self.v2.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(17);
        self.v1 ^= self.v2;
        self.v2 = self.v2.rotate_left(32);
    }
}

/// Up to eight bytes as a little-endian number (missing high bytes are zero).
fn le_u64(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    for (w, b) in word.iter_mut().zip(bytes) {
        *w = *b;
    }
    u64::from_le_bytes(word)
}
