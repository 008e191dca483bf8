/// Where a YAML value's text ends on the line it starts on, found from the
/// bytes of the file. Both YAML readers use it, so that their nodes end at
/// the same offsets.
///
/// Offsets given and returned are offsets of the file; `bytes` holds the
/// file's bytes from offset `base` on (the whole file, or only the YAML part
/// of it: every scan stops at the end of the line it starts on).
struct YAMLValueEnds {
    let bytes: UnsafeBufferPointer<UInt8>
    let base: Int

    private var limit: Int { base + bytes.count }

    private func byte(_ offset: Int) -> UInt8 { bytes[offset - base] }

    private func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    /// The end of a scalar's text on its first line.
    func scalarEnd(start: Int, text: String, style: YAMLNode.Style) -> Int {
        switch style {
        case .plain:
            if text.isEmpty { return start }
            let utf8 = text.utf8
            let length = utf8.count
            guard start + length <= limit else { return lineEnd(from: start) }
            let window = UnsafeBufferPointer(rebasing: bytes[(start - base)..<(start - base + length)])
            let matches = utf8.withContiguousStorageIfAvailable { textBytes in
                !textBytes.contains(UInt8(ascii: "\n")) && window.elementsEqual(textBytes)
            } ?? (!utf8.contains(UInt8(ascii: "\n")) && window.elementsEqual(utf8))
            return matches ? start + length : lineEnd(from: start)
        case .quoted:
            guard start < limit else { return start }
            let quote = byte(start)
            var index = start + 1
            while index < limit, !isBreak(byte(index)) {
                let current = byte(index)
                if quote == UInt8(ascii: "\""), current == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if current == quote {
                    if quote == UInt8(ascii: "'"), index + 1 < limit, byte(index + 1) == quote {
                        index += 2
                        continue
                    }
                    return index + 1
                }
                index += 1
            }
            return lineEnd(from: start)
        default:
            return start + 1
        }
    }

    /// The end of a bracketed value when it closes on the same line, else the end of the line.
    func flowEnd(from start: Int) -> Int {
        var depth = 0
        var quote: UInt8?
        var index = start
        while index < limit, !isBreak(byte(index)) {
            let current = byte(index)
            if let open = quote {
                if open == UInt8(ascii: "\""), current == UInt8(ascii: "\\") { index += 2; continue }
                if current == open { quote = nil }
            } else if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
                quote = current
            } else if current == UInt8(ascii: "[") || current == UInt8(ascii: "{") {
                depth += 1
            } else if current == UInt8(ascii: "]") || current == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return lineEnd(from: start)
    }

    /// The end of the text on the line from `start`, before a ` #` comment and trailing blanks.
    func lineEnd(from start: Int) -> Int {
        var index = start
        while index < limit, !isBreak(byte(index)) {
            if byte(index) == UInt8(ascii: "#"), index > start,
               byte(index - 1) == UInt8(ascii: " ") || byte(index - 1) == UInt8(ascii: "\t") {
                break
            }
            index += 1
        }
        while index > start, byte(index - 1) == UInt8(ascii: " ") || byte(index - 1) == UInt8(ascii: "\t") {
            index -= 1
        }
        return max(index, start)
    }
}
