#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of one input file (content, template, configuration) together with
/// a table of line starts, so that byte offsets turn into line and column on demand.
///
/// Offsets are UTF-8 byte offsets into `text`. Lines and columns are 1-based;
/// a column counts Unicode scalars from the start of its line, which is what
/// editors show for ordinary text.
public struct SourceFile: Sendable {
    /// The path shown to people, relative to the site root (`content/assets/garden.md`).
    public let path: String
    /// The whole text of the file.
    public let text: String
    /// UTF-8 offsets where each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lineStarts = text.utf8.withContiguousStorageIfAvailable(Self.lineStarts(of:))
            ?? Array(text.utf8).withUnsafeBufferPointer(Self.lineStarts(of:))
    }

    /// Every content file gets one of these tables, so line ends are found
    /// with the C library's `memchr`, which passes over many bytes at a time.
    private static func lineStarts(of bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var starts = [0]
        guard let base = bytes.baseAddress else { return starts }
        starts.reserveCapacity(bytes.count / 48 + 2)
        var position = 0
        while position < bytes.count,
              let found = memchr(base + position, Int32(UInt8(ascii: "\n")), bytes.count - position) {
            position = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            starts.append(position)
        }
        return starts
    }

    /// Number of lines (a trailing newline does not start an extra line).
    public var lineCount: Int {
        let count = lineStarts.count
        if count > 1, lineStarts[count - 1] == text.utf8.count { return count - 1 }
        return count
    }

    /// The 1-based line and column of a UTF-8 offset.
    /// - Complexity: O(log n) in the number of lines, plus the length of the line.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, text.utf8.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let utf8 = text.utf8
        let lineStart = utf8.index(utf8.startIndex, offsetBy: lineStarts[low])
        let target = utf8.index(utf8.startIndex, offsetBy: clamped)
        let column = String(text[lineStart..<target]).unicodeScalars.count + 1
        return SourceLocation(line: low + 1, column: column)
    }

    /// The UTF-8 offset of a 1-based line and column (column in Unicode scalars).
    /// Out-of-range values are clamped to the nearest position in the file.
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return text.utf8.count }
        let start = lineStarts[line - 1]
        let lineText = self.line(line)
        var offset = start
        var remaining = max(0, column - 1)
        for scalar in lineText.unicodeScalars {
            if remaining == 0 { break }
            offset += String(scalar).utf8.count
            remaining -= 1
        }
        return offset
    }

    /// The text of a 1-based line without its line break ("" when out of range).
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let utf8 = text.utf8
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : utf8.count
        let startIndex = utf8.index(utf8.startIndex, offsetBy: start)
        var endIndex = utf8.index(utf8.startIndex, offsetBy: end)
        while end > start {
            let before = utf8.index(before: endIndex)
            let byte = utf8[before]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                endIndex = before
                end -= 1
            } else {
                break
            }
        }
        return String(text[startIndex..<endIndex])
    }
}

/// A 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
