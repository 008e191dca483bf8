/// HTML escaping and the URL check, over UTF-8 bytes.
///
/// Escaping works byte by byte, never by `Character`: a quote followed by a
/// combining mark is a single `Character` in Swift, but its quote must still
/// be escaped. The five escaped characters are all ASCII, so no multi-byte
/// sequence can contain one of their bytes.
public enum HTML {
    /// Appends `text` to `output` with `&`, `<`, `>`, `"` and `'` escaped.
    /// - Complexity: O(n) in the UTF-8 length of `text`; unescaped runs are copied in bulk.
    static func escape(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { escape($0, into: &output) }
    }

    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let replacement: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            // Control characters other than tab and line breaks are not allowed in HTML: dropped.
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: replacement = ""
            default: continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            replacement.withUTF8Buffer { output.append(contentsOf: $0) }
            runStart = index + 1
        }
        if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    /// Appends `text` escaped for an unquoted attribute value: besides the usual
    /// five characters, white space, `=` and backticks become character
    /// references, so the value cannot end early and start another attribute.
    static func escapeUnquoted(_ text: String, into output: inout [UInt8]) {
        var escaped: [UInt8] = []
        escape(text, into: &escaped)
        for byte in escaped {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), 0x0C, UInt8(ascii: "\r"),
                 UInt8(ascii: "="), UInt8(ascii: "`"):
                output.append(contentsOf: Array("&#\(byte);".utf8))
            default:
                output.append(byte)
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
        var scheme: [UInt8] = []
        var started = false
        for byte in value.utf8 {
            if !started {
                if byte <= 0x20 { continue }
                started = true
            }
            switch byte {
            case UInt8(ascii: ":"):
                let name = String(decoding: scheme, as: UTF8.self)
                return allowedSchemes.contains(name)
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                return true
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                scheme.append(byte + 32)
            default:
                scheme.append(byte)
            }
        }
        return true
    }
}
