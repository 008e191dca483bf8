/// Comma-separated values as RFC 4180 describes them: CRLF between records,
/// a field quoted when it holds a comma, a quote, CR or LF, and a quote
/// inside a quoted field written twice.
struct CSVText {
    private(set) var bytes: [UInt8] = []

    /// Starts a table with its header row.
    init(header: [String]) {
        append(header)
    }

    /// Adds one record; it should have as many fields as the header.
    mutating func append(_ fields: [String]) {
        for (position, field) in fields.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.write(field, into: &bytes)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    static func write(_ field: String, into output: inout [UInt8]) {
        let utf8 = Array(field.utf8)
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}
