import Foundation

/// Splits a content file into its YAML front matter and its Markdown body.
///
/// The file starts with a line `---` (an optional UTF-8 byte order mark may
/// come before it); the front matter runs until the next line that is `---`
/// or `...`; the body is everything after that line. Delimiter lines may end
/// in spaces or tabs, and lines may end in `\n` or `\r\n`.
///
/// Every position is a UTF-8 offset into the text given to `split`, so the
/// YAML parser's and the Markdown parser's positions can be turned into
/// positions of the real file.
public enum FrontMatter {
    public struct Parts: Sendable, Equatable {
        /// UTF-8 offset of the opening `---` (3 when a byte order mark comes first).
        public var openingOffset: Int
        /// The YAML between the delimiter lines (may be empty).
        public var yaml: String
        /// UTF-8 offset where `yaml` starts.
        public var yamlStartOffset: Int
        /// 1-based line where `yaml` starts (always 2).
        public var yamlStartLine: Int
        /// UTF-8 offset and 1-based line of the closing delimiter.
        public var closingOffset: Int
        public var closingLine: Int
        /// The text after the closing delimiter line, sharing the file's storage.
        public var body: Substring
        public var bodyStartOffset: Int
        public var bodyStartLine: Int
    }

    public enum SplitError: Error, Sendable, Equatable {
        /// The file holds nothing but white space (and perhaps a byte order mark).
        case empty
        /// The first line is not `---`; `offset` is where that line starts.
        case missingOpening(offset: Int)
        /// No closing `---` follows the opening one at `openingOffset`.
        case unclosed(openingOffset: Int)
    }

    /// - Returns: the parts, or why the text has no usable front matter.
    /// - Complexity: O(n) in the length of the text.
    public static func split(_ text: String) -> Result<Parts, SplitError> {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { split(bytes: $0, text: text) }
            ?? Array(text.utf8).withUnsafeBufferPointer { split(bytes: $0, text: text) }
    }

    private static func split(bytes: UnsafeBufferPointer<UInt8>, text: String) -> Result<Parts, SplitError> {
        let count = bytes.count
        func byte(_ offset: Int) -> UInt8 { bytes[offset] }

        var start = 0
        if count >= 3, byte(0) == 0xEF, byte(1) == 0xBB, byte(2) == 0xBF { start = 3 }
        if !(start..<count).contains(where: { !isWhitespace(byte($0)) }) { return .failure(.empty) }

        /// The end of the line starting at `offset` (the offset of its `\n`, or `count`).
        func lineEnd(_ offset: Int) -> Int {
            guard offset < count, let start = bytes.baseAddress,
                  let found = memchr(start + offset, Int32(UInt8(ascii: "\n")), count - offset) else { return count }
            return start.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        /// Whether the line `from..<to` (without its `\n`) is the delimiter `mark` repeated three times.
        func isDelimiter(_ from: Int, _ to: Int, _ mark: UInt8) -> Bool {
            guard to - from >= 3, byte(from) == mark, byte(from + 1) == mark, byte(from + 2) == mark else {
                return false
            }
            var index = from + 3
            while index < to {
                let b = byte(index)
                guard b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") else {
                    return false
                }
                index += 1
            }
            return true
        }

        let firstEnd = lineEnd(start)
        guard isDelimiter(start, firstEnd, UInt8(ascii: "-")) else { return .failure(.missingOpening(offset: start)) }
        guard firstEnd < count else { return .failure(.unclosed(openingOffset: start)) }

        let yamlStart = firstEnd + 1
        var lineStart = yamlStart
        var line = 2
        while lineStart < count {
            let end = lineEnd(lineStart)
            if isDelimiter(lineStart, end, UInt8(ascii: "-")) || isDelimiter(lineStart, end, UInt8(ascii: ".")) {
                let bodyStart = min(end + 1, count)
                return .success(Parts(
                    openingOffset: start,
                    yaml: slice(text, yamlStart, lineStart),
                    yamlStartOffset: yamlStart,
                    yamlStartLine: 2,
                    closingOffset: lineStart,
                    closingLine: line,
                    body: text[text.utf8.index(text.utf8.startIndex, offsetBy: bodyStart)...],
                    bodyStartOffset: bodyStart,
                    bodyStartLine: line + 1))
            }
            lineStart = end + 1
            line += 1
        }
        return .failure(.unclosed(openingOffset: start))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    /// The text between two UTF-8 offsets that fall on line boundaries.
    private static func slice(_ text: String, _ from: Int, _ to: Int) -> String {
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: from)
        let upper = utf8.index(lower, offsetBy: to - from)
        return String(text[lower..<upper])
    }
}
