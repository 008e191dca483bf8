/// Text for XML files (the Atom feed, the sitemap): escaped for element
/// content and quoted attributes alike, with the characters XML 1.0 cannot
/// hold at all (most C0 controls, U+FFFE, U+FFFF, lone surrogates) left out.
enum XMLText {
    static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            // Most text (addresses, dates, names) needs no change at all.
            guard utf8.contains(where: mayChange) else { return String(decoding: utf8, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(utf8.count + 16)
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                index += 1
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): output.append(contentsOf: "&apos;".utf8)
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): output.append(byte)
                case ..<0x20: continue
                case 0xEF where index + 1 < utf8.count && utf8[index] == 0xBF && (utf8[index + 1] == 0xBE || utf8[index + 1] == 0xBF):
                    // U+FFFE and U+FFFF.
                    index += 2
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether a UTF-8 byte may be escaped or left out: the five escaped
    /// characters, C0 controls, and the lead byte of U+FFFE and U+FFFF.
    private static func mayChange(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0xEF: true
        case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): false
        default: byte < 0x20
        }
    }

    /// An element with escaped text content, e.g. `<title>Fish &amp; chips</title>`.
    static func element(_ name: String, _ text: String) -> String {
        "<\(name)>\(escaped(text))</\(name)>"
    }
}
