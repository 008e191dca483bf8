/// JSON text of a `Value`, safe to place inside a `<script>` element.
public enum JSON {
    /// The value as JSON: object keys sorted, so the output is the same on
    /// every build; `<`, `>`, `&`, U+2028 and U+2029 written as `\u` escapes
    /// so the text cannot close a `<script>` or break a JavaScript string.
    /// Safe and plain text are both JSON strings; NaN and infinities are `null`.
    static func encode(_ value: Value) -> String {
        var output: [UInt8] = []
        write(value, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static func write(_ value: Value, into output: inout [UInt8]) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let number):
            output.append(contentsOf: (number.isFinite ? Value.format(number) : "null").utf8)
        case .string(let text), .safe(let text):
            writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (position, field) in fields.sortedByName().enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(field.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(field.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string, working over UTF-8 bytes. Other writers of JSON (the
    /// site's data files) use it too, so every JSON string Kith writes is
    /// escaped the same way.
    public static func writeString(_ text: String, into output: inout [UInt8]) {
        // Text kept as UTF-8 (nearly all) is read where it is, not copied first.
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ writeString($0, into: &output) }) { return done }
        var text = text
        text.withUTF8 { writeString($0, into: &output) }
    }

    /// A part of a text as a JSON string, read where it lies.
    public static func writeString(_ text: Substring, into output: inout [UInt8]) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ writeString($0, into: &output) }) { return done }
        var text = text
        text.withUTF8 { writeString($0, into: &output) }
    }

    /// For each byte, whether `writeString` must look at it: below 0x20,
    /// `"`, `\\`, `<`, `>`, `&`, 0x7F, and 0xE2 (which may start U+2028 or U+2029).
    private static let looked: [Bool] = (0..<256).map { byte in
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x7F || byte == 0xE2
    }

    static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let count = bytes.count
        guard let base = bytes.baseAddress else {
            output.append(UInt8(ascii: "\""))
            output.append(UInt8(ascii: "\""))
            return
        }
        // Most strings have nothing to escape and are copied whole; a look
        // in a table a byte is quicker than testing eight bytes at once
        // for eight kinds of byte.
        var index = 0
        looked.withUnsafeBufferPointer { looked in
            while index < count, !looked[Int(base[index])] { index += 1 }
        }
        output.append(UInt8(ascii: "\""))
        if index == count {
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        var runStart = 0
        looked.withUnsafeBufferPointer { looked in
            while index < count {
                let byte = base[index]
                guard looked[Int(byte)] else {
                    index += 1
                    continue
                }
                if byte == 0xE2 {
                    // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line in older JavaScript.
                    guard index + 2 < count, base[index + 1] == 0x80, base[index + 2] == 0xA8 || base[index + 2] == 0xA9 else {
                        index += 1
                        continue
                    }
                }
                if runStart < index { output.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart)) }
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output.append(UInt8(ascii: "\\"))
                    output.append(byte)
                case UInt8(ascii: "\n"):
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"):
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "t"))
                case 0xE2:
                    writeUnicodeEscape(base[index + 2] == 0xA8 ? 0x2028 : 0x2029, into: &output)
                    index += 2
                default:
                    writeUnicodeEscape(UInt16(byte), into: &output)
                }
                index += 1
                runStart = index
            }
        }
        if runStart < count { output.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
        output.append(UInt8(ascii: "\""))
    }

    /// `\u` and four hex digits, appended at once.
    private static func writeUnicodeEscape(_ code: UInt16, into output: inout [UInt8]) {
        func hex(_ shift: UInt16) -> UInt8 { hexDigits[Int((code >> shift) & 0xF)] }
        var escape = (UInt8(ascii: "\\"), UInt8(ascii: "u"), hex(12), hex(8), hex(4), hex(0))
        withUnsafeBytes(of: &escape) { output.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
    }
}
