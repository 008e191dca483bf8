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
        Self.writeRecord(fields, into: &bytes)
    }

    /// One record and the CRLF that ends it.
    static func writeRecord(_ fields: [String], into output: inout [UInt8]) {
        for (position, field) in fields.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            write(field, into: &output)
        }
        output.append(0x0D)
        output.append(0x0A)
    }

    static func write(_ field: String, into output: inout [UInt8]) {
        var field = field
        field.withUTF8 { utf8 in
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
}
