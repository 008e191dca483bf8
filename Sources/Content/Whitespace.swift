/// Trimming that gives the results of Foundation's
/// `trimmingCharacters(in: .whitespaces)` and `(in: .whitespacesAndNewlines)`,
/// working on Unicode scalars, with no copy when there is nothing to trim.
enum Whitespace {
    /// The scalars of `CharacterSet.whitespaces`: U+0009, the space separators (category Zs)
    /// and U+200B ZERO WIDTH SPACE, which Foundation counts too.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The scalars of `CharacterSet.whitespacesAndNewlines`: `isSpace`, U+000A to U+000D, U+0085, U+2028 and U+2029.
    static func isSpaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return isSpace(scalar)
        }
    }

    /// The scalars for which `Character.isNewline` holds (a character holding
    /// one of them is always that scalar alone, or `\r\n`).
    static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// `text.trimmingCharacters(in: .whitespaces)`.
    static func trimSpaces(_ text: String) -> String { isTrimmed(text, isSpace) ? text : trim(text[...], isSpace) }
    static func trimSpaces(_ text: Substring) -> String { trim(text, isSpace) }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`.
    static func trimSpacesAndNewlines(_ text: String) -> String {
        isTrimmed(text, isSpaceOrNewline) ? text : trim(text[...], isSpaceOrNewline)
    }

    /// Whether `text` is empty or starts and ends with an ASCII character that stays (most text does).
    private static func isTrimmed(_ text: String, _ isTrimmed: (Unicode.Scalar) -> Bool) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return true }
        return first < 0x80 && last < 0x80 && !isTrimmed(Unicode.Scalar(first)) && !isTrimmed(Unicode.Scalar(last))
    }

    private static func trim(_ text: Substring, _ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return "" }
        // Most text starts and ends with an ASCII character that stays.
        if first < 0x80, last < 0x80, !isTrimmed(Unicode.Scalar(first)), !isTrimmed(Unicode.Scalar(last)) {
            return String(text)
        }
        let scalars = text.unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper, isTrimmed(scalars[lower]) { scalars.formIndex(after: &lower) }
        while lower < upper {
            let before = scalars.index(before: upper)
            guard isTrimmed(scalars[before]) else { break }
            upper = before
        }
        return String(scalars[lower..<upper])
    }

    /// Whether `text` is one line with nothing to trim: it starts and ends
    /// with an ASCII character that stays, and `containsNewline` is false.
    static func isOneTrimmedLine(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last, first < 0x80, last < 0x80,
                  !isSpaceOrNewline(Unicode.Scalar(first)), !isSpaceOrNewline(Unicode.Scalar(last)) else { return false }
            return !containsNewline(bytes)
        } ?? false
    }

    /// Whether `text` holds a character for which `Character.isNewline` holds.
    static func containsNewline(_ text: String) -> Bool {
        // On the UTF-8 bytes: U+000A to U+000D are themselves, U+0085 is C2 85,
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9. A byte of a longer
        // sequence is never below 0x80, so a byte in 0x0A...0x0D is that scalar.
        let found = text.utf8.withContiguousStorageIfAvailable(containsNewline)
        return found ?? text.unicodeScalars.contains(where: isNewline)
    }

    private static func containsNewline(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while none is below 0x0E or above 0x7F.
            if index + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                let highs: UInt64 = 0x8080_8080_8080_8080
                // Adding 0x72 to the low seven bits reaches 0x80 from 0x0E on.
                let low = ~((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7272_7272_7272_7272) & highs
                if (word & highs) | low == 0 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte >= 0x0A && byte <= 0x0D { return true }
            if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0x85 { return true }
            if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
               bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                return true
            }
            index += 1
        }
        return false
    }
}
