/// Eight bytes at a time: tests on a `UInt64` loaded from a byte buffer,
/// so escapers can skip long runs of bytes that need nothing.
enum ByteWords {
    /// 0x01 in every byte.
    static let ones: UInt64 = 0x0101_0101_0101_0101
    /// 0x80 in every byte.
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of the word is zero (exact: no false answers either way).
    @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highBits != 0
    }

    /// Whether some byte of the word is below 0x20 (a control character).
    @inline(__always)
    static func hasByteBelowSpace(_ word: UInt64) -> Bool {
        (word &- ones &* 0x20) & ~word & highBits != 0
    }
}
