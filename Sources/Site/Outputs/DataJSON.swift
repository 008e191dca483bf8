import Templates

/// JSON text of a template `Value` for the data files Kith writes
/// (`directory.json`, `search.json`, `hsds/datapackage.json`).
///
/// Object keys are sorted so two builds give the same bytes. `<`, `>`, `&`,
/// U+2028 and U+2029 are written as `\u` escapes, so the same text is also
/// safe inside an HTML `<script>` element. NaN and infinities become `null`.
enum DataJSON {
    /// - Parameters:
    ///   - value: the value to write; `safe` text is written as a plain string.
    ///   - pretty: two-space indentation and one entry per line, for files people read.
    ///   - lineDepth: with `pretty`, how deep lines are broken: `2` puts each
    ///     entry of a top-level list on one line of its own, so a large file
    ///     stays compact and a change to one entry is a change to one line.
    /// - Returns: UTF-8 bytes, ending in a newline.
    static func bytes(_ value: Value, pretty: Bool = false, lineDepth: Int = .max) -> [UInt8] {
        var output: [UInt8] = []
        write(value, pretty: pretty, lineDepth: lineDepth, depth: 0, into: &output)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// The value as a `String` (no final newline).
    static func string(_ value: Value) -> String {
        var output: [UInt8] = []
        write(value, pretty: false, lineDepth: 0, depth: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// A line break and the indentation of `depth`, as `pretty` output has them.
    static func newline(_ depth: Int, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    /// Writes `value` as it appears at `depth` of a larger document, for
    /// files written a part at a time (see `DataJSONObject`).
    static func write(_ value: Value, pretty: Bool, lineDepth: Int, depth: Int, into output: inout [UInt8]) {
        let pretty = pretty && depth < lineDepth
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let value):
            output.append(contentsOf: number(value).utf8)
        case .string(let text), .safe(let text):
            writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { newline(depth + 1, into: &output) }
                write(item, pretty: pretty, lineDepth: lineDepth, depth: depth + 1, into: &output)
            }
            if pretty && !items.isEmpty { newline(depth, into: &output) }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (position, field) in fields.sortedByName().enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { newline(depth + 1, into: &output) }
                writeString(field.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(field.value, pretty: pretty, lineDepth: lineDepth, depth: depth + 1, into: &output)
            }
            if pretty && !fields.isEmpty { newline(depth, into: &output) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// A decimal in its shortest round-trip form: `53.8031`, `2` for 2.0.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(.towardZero), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A list of strings, compact: `["a","b"]`.
    static func writeStrings(_ strings: [String], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (position, text) in strings.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            writeString(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// A JSON string, escaped like every JSON string Kith writes.
    static func writeString(_ text: String, into output: inout [UInt8]) {
        JSON.writeString(text, into: &output)
    }
}

/// One JSON object of a data file written field by field, without building
/// a `Value` first: each field is written as it is given. The caller gives the
/// keys in the order `Object.sortedByName` puts them (checked in debug builds),
/// so the bytes are those `DataJSON` writes for the same object. The keys are
/// names written in Kith, plain ASCII that a JSON string writes as it is
/// (checked in debug builds too).
/// Compact only: no line breaks inside the object.
struct DataJSONObject {
    private var first = true
    #if DEBUG
    private var previous = ""
    #endif

    /// Starts the object: writes `{`.
    init(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
    }

    /// Writes the separator and `"key":`; the value is for the caller to write next.
    mutating func key(_ key: StaticString, into output: inout [UInt8]) {
        #if DEBUG
        let name = key.description
        assert(first || previous.utf8.lexicographicallyPrecedes(name.utf8), "keys out of order: \(previous), \(name)")
        var escaped: [UInt8] = []
        DataJSON.writeString(name, into: &escaped)
        assert(escaped.count == name.utf8.count + 2, "a key that JSON escapes: \(name)")
        previous = name
        #endif
        // `,"key":` is put together first and appended at once.
        let length = key.utf8CodeUnitCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length + 4) { buffer in
            var written = 0
            if !first {
                buffer[0] = UInt8(ascii: ",")
                written = 1
            }
            buffer[written] = UInt8(ascii: "\"")
            UnsafeMutableRawPointer(buffer.baseAddress! + written + 1).copyMemory(from: key.utf8Start, byteCount: length)
            written += 1 + length
            buffer[written] = UInt8(ascii: "\"")
            buffer[written + 1] = UInt8(ascii: ":")
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<(written + 2)]))
        }
        first = false
    }

    mutating func field(_ key: StaticString, _ value: Value, into output: inout [UInt8]) {
        self.key(key, into: &output)
        DataJSON.write(value, pretty: false, lineDepth: 0, depth: 0, into: &output)
    }

    mutating func field(_ key: StaticString, string: String, into output: inout [UInt8]) {
        self.key(key, into: &output)
        DataJSON.writeString(string, into: &output)
    }

    mutating func field(_ key: StaticString, string: Substring, into output: inout [UInt8]) {
        self.key(key, into: &output)
        JSON.writeString(string, into: &output)
    }

    /// A text field: `null` when it is missing or empty, as `Views.text` has it.
    mutating func field(_ key: StaticString, text: String?, into output: inout [UInt8]) {
        self.key(key, into: &output)
        if let text, !text.isEmpty { DataJSON.writeString(text, into: &output) } else { output.append(contentsOf: "null".utf8) }
    }

    /// A list of strings, as `Views.list` has it.
    mutating func field(_ key: StaticString, strings: [String], into output: inout [UInt8]) {
        self.key(key, into: &output)
        DataJSON.writeStrings(strings, into: &output)
    }

    /// A number, as `DataJSON` writes `.double`.
    mutating func field(_ key: StaticString, number: Double, into output: inout [UInt8]) {
        self.key(key, into: &output)
        output.append(contentsOf: DataJSON.number(number).utf8)
    }

    /// Ends the object: writes `}`.
    func end(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "}"))
    }
}
