/// HTML escaping and the URL check, over UTF-8 bytes.
///
/// Escaping works byte by byte, never by `Character`: a quote followed by a
/// combining mark is a single `Character` in Swift, but its quote must still
/// be escaped. The five escaped characters are all ASCII, so no multi-byte
/// sequence can contain one of their bytes.
public enum HTML {
    /// Appends `text` to `output` with `&`, `<`, `>`, `"` and `'` escaped.
    /// - Complexity: O(n) in the UTF-8 length of `text`; unescaped runs are copied in bulk.
    static func escape<Output: ByteOutput & ~Copyable>(_ text: String, into output: inout Output) {
        // Text kept as UTF-8 (nearly all) is read where it is, not copied first.
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ escape($0, into: &output) }) { return done }
        var text = text
        text.withUTF8 { escape($0, into: &output) }
    }

    /// Appends the UTF-8 bytes of `text` as they are.
    static func appendUTF8<Output: ByteOutput & ~Copyable>(_ text: String, into output: inout Output) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ output.put($0) }) { return done }
        var text = text
        text.withUTF8 { output.put($0) }
    }

    /// The bytes below 64 that `escape` changes: the five escaped characters
    /// and the control characters it drops (all but tab, line feed and carriage return).
    private static let specialBelow64: UInt64 = {
        var mask: UInt64 = 0
        for byte in 0x00...0x1F where byte != 0x09 && byte != 0x0A && byte != 0x0D { mask |= 1 << UInt64(byte) }
        for byte in [0x22, 0x26, 0x27, 0x3C, 0x3E] { mask |= 1 << UInt64(byte) }
        return mask
    }()

    /// For unquoted attribute values, also tab, line feed, carriage return, space and `=`.
    private static let unquotedSpecialBelow64: UInt64 = {
        var mask = specialBelow64
        for byte in [0x09, 0x0A, 0x0D, 0x20, 0x3D] { mask |= 1 << UInt64(byte) }
        return mask
    }()

    static func escape<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout Output) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        let special = specialBelow64
        var runStart = 0
        var index = 0
        while index < count {
            // Eight bytes at a time are skipped when none of them needs a
            // look; otherwise they are gone through one by one.
            var limit = count
            if index + 8 <= count {
                if !mayNeedEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                limit = index + 8
            }
            while index < limit {
                let byte = base[index]
                if byte >= 64 ? byte == 0x7F : (special >> UInt64(byte)) & 1 != 0 {
                    if runStart < index { output.put(UnsafeBufferPointer(start: base + runStart, count: index - runStart)) }
                    appendReplacement(byte, into: &output)
                    runStart = index + 1
                }
                index += 1
            }
        }
        if runStart < count { output.put(UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
    }

    /// Whether any of eight bytes might need escaping: true for every byte
    /// `escape` changes, and also for tab, line feed and carriage return.
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        ByteWords.hasMarkupByte(word)
    }

    /// What `escape` writes for one of the bytes it changes: an entity, or
    /// nothing for a control character, which HTML does not allow.
    private static func appendReplacement<Output: ByteOutput & ~Copyable>(_ byte: UInt8, into output: inout Output) {
        let replacement: StaticString
        switch byte {
        case UInt8(ascii: "&"): replacement = "&amp;"
        case UInt8(ascii: "<"): replacement = "&lt;"
        case UInt8(ascii: ">"): replacement = "&gt;"
        case UInt8(ascii: "\""): replacement = "&quot;"
        case UInt8(ascii: "'"): replacement = "&#39;"
        default: return
        }
        replacement.withUTF8Buffer { output.put($0) }
    }

    /// Appends `text` escaped for an unquoted attribute value: besides the usual
    /// five characters, white space, `=` and backticks become character
    /// references, so the value cannot end early and start another attribute.
    static func escapeUnquoted<Output: ByteOutput & ~Copyable>(_ text: String, into output: inout Output) {
        var text = text
        text.withUTF8 { escapeUnquoted($0, into: &output) }
    }

    static func escapeUnquoted<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout Output) {
        let special = unquotedSpecialBelow64
        for byte in bytes {
            if byte >= 64 ? (byte != 0x7F && byte != UInt8(ascii: "`")) : (special >> UInt64(byte)) & 1 == 0 {
                output.put(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "="), UInt8(ascii: "`"):
                // A decimal character reference: `&#32;`.
                output.put(UInt8(ascii: "&"))
                output.put(UInt8(ascii: "#"))
                if byte >= 100 { output.put(UInt8(ascii: "0") + byte / 100) }
                if byte >= 10 { output.put(UInt8(ascii: "0") + byte / 10 % 10) }
                output.put(UInt8(ascii: "0") + byte % 10)
                output.put(UInt8(ascii: ";"))
            default:
                appendReplacement(byte, into: &output)
            }
        }
    }

    /// `text` escaped, as a new string.
    public static func escaped(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        escape(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

/// Which addresses may be printed into `href`, `src` and the other URL attributes.
enum URLCheck {
    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Whether `value` is a relative URL or uses an allowed scheme.
    ///
    /// Leading ASCII white space and control characters are ignored (browsers
    /// ignore them too). When a `:` comes before any `/`, `?` or `#`, the text
    /// before it is the scheme; tabs and line breaks inside it are ignored,
    /// as browsers do, so `java\tscript:` is still `javascript:`.
    static func isAllowed(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { isAllowed($0) }
    }

    static func isAllowed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The scheme so far, lowercased: its first eight bytes packed into an
        // integer, first byte lowest, and its length.
        var packed: UInt64 = 0
        var length = 0
        var started = false
        for byte in bytes {
            if !started {
                if byte <= 0x20 { continue }
                started = true
            }
            switch byte {
            case UInt8(ascii: ":"):
                return allowedPacked.contains { $0.length == length && $0.packed == packed }
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                return true
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            default:
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                if length < 8 { packed |= UInt64(lowered) << UInt64(8 * length) }
                length += 1
            }
        }
        return true
    }

    /// `allowedSchemes` packed as `isAllowed` packs a scheme.
    private static let allowedPacked: [(length: Int, packed: UInt64)] = allowedSchemes.map { scheme in
        var packed: UInt64 = 0
        for (offset, byte) in scheme.utf8.enumerated() { packed |= UInt64(byte) << UInt64(8 * offset) }
        return (scheme.utf8.count, packed)
    }
}
