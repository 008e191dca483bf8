/// Eight bytes at a time: tests on a `UInt64` loaded from a byte buffer,
/// so escapers can skip long runs of bytes that need nothing.
public enum ByteWords {
    /// 0x01 in every byte.
    @inlinable public static var ones: UInt64 { 0x0101_0101_0101_0101 }
    /// 0x80 in every byte.
    @inlinable public static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// Whether some byte of the word is zero (exact: no false answers either way).
    @inlinable @inline(__always)
    public static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highBits != 0
    }

    /// Whether some byte of the word is below 0x20 (a control character).
    @inlinable @inline(__always)
    public static func hasByteBelowSpace(_ word: UInt64) -> Bool {
        (word &- ones &* 0x20) & ~word & highBits != 0
    }

    /// Whether some byte of the word is one that HTML or XML text may have to
    /// change: below 0x20, `"`, `&`, `'`, `<`, `>` or DEL. Exact.
    @inlinable @inline(__always)
    public static func hasMarkupByte(_ word: UInt64) -> Bool {
        // `&` 0x26 and `'` 0x27 both become 0x27 with the lowest bit set;
        // `<` 0x3C and `>` 0x3E both become 0x3E with the second bit set.
        hasByteBelowSpace(word)
            || hasZeroByte(word ^ (ones &* 0x22))
            || hasZeroByte((word | ones) ^ (ones &* 0x27))
            || hasZeroByte((word | (ones &* 0x02)) ^ (ones &* 0x3E))
            || hasZeroByte(word ^ (ones &* 0x7F))
    }
}
