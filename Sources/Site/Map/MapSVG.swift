import Templates

/// Escaping and number formatting for SVG written by hand.
enum SVGText {
    /// Text made safe for SVG content and for attribute values in double or
    /// single quotes. Works on Unicode scalars, so a quote followed by a
    /// combining mark is still escaped, and drops the control characters XML
    /// does not allow.
    static func escape(_ text: String) -> String {
        // Most text needs nothing: return it as it is.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == 0xEF }) {
            return text
        }
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A coordinate rounded to one decimal, without a trailing `.0` and never `-0`.
    /// Layouts never place anything 10^15 units out; such a value (or one
    /// that is not a number) is written as 0 rather than trap.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "0" }
        let tenths = Int((value * 10).rounded())
        if tenths == 0 { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        let whole = magnitude / 10, fraction = magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// At most `limit` characters, cut at a word boundary when one is near, ending in `…`.
    static func shorten(_ text: String, to limit: Int) -> String { shortened(text, to: limit).text }

    /// `shorten`, and how many characters the result has.
    static func shortened(_ text: String, to limit: Int) -> (text: String, characters: Int) {
        var source = text
        var plain: (text: String, characters: Int)?
        source.withUTF8 { bytes in
            guard let cut = plainCut(bytes, to: limit) else { return }
            guard let kept = cut.kept else {
                plain = (text, bytes.count)
                return
            }
            let shortened = String(unsafeUninitializedCapacity: kept + 3) { buffer in
                for i in 0..<kept { buffer[i] = bytes[i] }
                // "…" in UTF-8.
                buffer[kept] = 0xE2
                buffer[kept + 1] = 0x80
                buffer[kept + 2] = 0xA6
                return kept + 3
            }
            plain = (shortened, cut.characters)
        }
        if let plain { return plain }
        guard limit > 1, text.utf8.count > limit else { return (text, text.count) }
        let count = text.count
        guard count > limit else { return (text, count) }
        let cut = text.prefix(limit - 1)
        let result: String
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= limit / 2 {
            result = String(cut[..<space]).trimmingTrailingPunctuation() + "…"
        } else {
            result = String(cut).trimmingTrailingPunctuation() + "…"
        }
        return (result, result.count)
    }

    /// `shortened` of a text whose every character is one ASCII byte (no
    /// carriage return, which joins a line feed), worked out on its bytes:
    /// how many bytes go before the `…` (nil when the text is kept whole),
    /// and how many characters the result has. Nil for any other text.
    static func plainCut(_ bytes: UnsafeBufferPointer<UInt8>, to limit: Int) -> (kept: Int?, characters: Int)? {
        guard !hasWideOrReturn(bytes) else { return nil }
        guard limit > 1, bytes.count > limit else { return (nil, bytes.count) }
        var end = limit - 1
        var space = end - 1
        while space >= 0, bytes[space] != UInt8(ascii: " ") { space -= 1 }
        if space >= limit / 2 { end = space }
        trimming: while end > 0 {
            switch bytes[end - 1] {
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "-"): end -= 1
            default: break trimming
            }
        }
        return (end, end + 1)
    }

    /// Whether every character of `text` is one ASCII byte (a carriage
    /// return is left out: before a line feed, the two are one character).
    static func isPlainASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { !hasWideOrReturn($0) }
    }

    /// Whether any byte is not ASCII or is a carriage return, looked at
    /// eight bytes at a time.
    static func hasWideOrReturn(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            while index + 8 <= length {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & ByteWords.highBits != 0 || ByteWords.hasZeroByte(word ^ (ByteWords.ones &* 0x0D)) { return true }
                index += 8
            }
        }
        while index < length {
            if bytes[index] >= 0x80 || bytes[index] == UInt8(ascii: "\r") { return true }
            index += 1
        }
        return false
    }

    /// The width a label takes, estimated from its length: system sans-serif
    /// fonts average a little over half an em per character.
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        estimatedWidth(characters: isPlainASCII(text) ? text.utf8.count : text.count, fontSize: fontSize)
    }

    static func estimatedWidth(characters: Int, fontSize: Double) -> Double {
        Double(characters) * fontSize * 0.56
    }
}

/// SVG text built as bytes: attributes escaped and numbers formatted as
/// they are written, without a string for each. The bytes live in one
/// buffer that doubles when full, written through a pointer.
struct SVGOut: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Where bytes that are not ASCII may lie, as start and end offsets in
    /// order: each piece of markup or text that had any is noted as it is
    /// written, so the result is made without looking for them again.
    private var islands: [Int] = []

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// Room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        let grown = max(capacity * 2, count + extra)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = grown
    }

    @inline(__always)
    private mutating func byte(_ value: UInt8) {
        reserve(1)
        start[count] = value
        count += 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Notes that the bytes from `from` to the end may not all be ASCII.
    private mutating func noteIsland(from: Int) {
        guard from < count else { return }
        if let last = islands.last, last == from {
            islands[islands.count - 1] = count
        } else {
            islands.append(from)
            islands.append(count)
        }
    }

    /// Markup written as it is.
    @inline(__always)
    mutating func raw(_ markup: StaticString) {
        append(UnsafeBufferPointer(start: markup.utf8Start, count: markup.utf8CodeUnitCount))
        if !markup.isASCII { noteIsland(from: count - markup.utf8CodeUnitCount) }
    }

    /// Bytes already escaped, written as they are; `wide` says whether any
    /// of them may not be ASCII.
    @inline(__always)
    mutating func escaped(_ bytes: UnsafeBufferPointer<UInt8>, wide: Bool) {
        let from = count
        append(bytes)
        if wide { noteIsland(from: from) }
    }

    /// How many bytes have been written.
    var byteCount: Int { count }

    /// Whether the bytes written last are those of `text`.
    func endsWith(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count <= count else { return false }
            let written = start + (count - bytes.count)
            for index in bytes.indices where bytes[index] != written[index] { return false }
            return true
        }
    }

    /// The bytes written so far, as an array.
    func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
            if count > 0 { buffer.baseAddress!.update(from: start, count: count) }
            initialised = count
        }
    }

    /// Markup worked out at run time, written as it is.
    mutating func write(_ markup: String) {
        var markup = markup
        markup.withUTF8 { bytes in
            let from = count
            append(bytes)
            if bytes.contains(where: { $0 >= 0x80 }) { noteIsland(from: from) }
        }
    }

    /// Text, escaped as `SVGText.escape` does. Runs of bytes that need
    /// nothing are copied whole.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { self.text(bytes: $0) }
    }

    /// UTF-8 text, escaped as `text(_:)` escapes it.
    mutating func text(bytes source: UnsafeBufferPointer<UInt8>) {
        let from = count
        // The bytes passed over, or together: a high bit means some were not ASCII.
        var seen: UInt64 = 0
        do {
            let length = source.count
            var run = 0
            var index = 0
            let base = source.baseAddress
            while index < length {
                // Eight bytes that need nothing are passed over at once.
                if index + 8 <= length {
                    let word = UnsafeRawPointer(base! + index).loadUnaligned(as: UInt64.self)
                    if !Self.mayNeedEscaping(word) {
                        seen |= word
                        index += 8
                        continue
                    }
                }
                let byte = source[index]
                // Letters, digits, spaces and most punctuation need nothing.
                if (byte >= 0x40 && byte < 0x7F) || (byte >= 0x28 && byte <= 0x3B) || byte == 0x20 {
                    index += 1
                    continue
                }
                let replacement: StaticString
                var skip = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): replacement = " "
                case 0..<0x20, 0x7F: replacement = ""
                case 0xEF where index + 2 < length && source[index + 1] == 0xBF && (source[index + 2] == 0xBE || source[index + 2] == 0xBF):
                    // U+FFFE and U+FFFF are not characters XML allows.
                    replacement = ""
                    skip = 3
                default:
                    seen |= UInt64(byte)
                    index += 1
                    continue
                }
                if index > run { append(UnsafeBufferPointer(rebasing: source[run..<index])) }
                raw(replacement)
                index += skip
                run = index
            }
            if length > run { append(UnsafeBufferPointer(rebasing: source[run..<length])) }
        }
        if seen & ByteWords.highBits != 0 { noteIsland(from: from) }
    }

    /// Whether any of eight bytes may need escaping: a control character,
    /// `"`, `&`, `'`, `<`, `>`, DEL, or the first byte of U+FFFE or U+FFFF.
    /// (Each test finds a byte of one value, or below one value, in all
    /// eight bytes at once; a false alarm only sends them the slow way.)
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        ByteWords.hasMarkupByte(word) || ByteWords.hasZeroByte(word ^ (ByteWords.ones &* 0xEF))
    }

    /// ` name="value"`, the value escaped.
    @inline(__always)
    mutating func attribute(_ name: StaticString, _ value: String) {
        byte(UInt8(ascii: " "))
        raw(name)
        raw("=\"")
        text(value)
        byte(UInt8(ascii: "\""))
    }

    /// ` name="1.5"`.
    @inline(__always)
    mutating func attribute(_ name: StaticString, number value: Double) {
        byte(UInt8(ascii: " "))
        raw(name)
        raw("=\"")
        number(value)
        byte(UInt8(ascii: "\""))
    }

    /// A number as `SVGText.number` writes it: one decimal at most, never `-0`.
    mutating func number(_ value: Double) {
        guard value.isFinite, abs(value) < 1e15 else { return byte(UInt8(ascii: "0")) }
        // `(value * 10).rounded()`, without a call: below 2^52 the whole part
        // and the rest are exact, and past it every number is whole.
        let scaled = value * 10
        var tenths = Int(scaled)
        let rest = scaled - Double(tenths)
        if rest >= 0.5 { tenths += 1 } else if rest <= -0.5 { tenths -= 1 }
        // A sign, up to 16 digits, a point and a decimal.
        reserve(20)
        if tenths < 0 {
            start[count] = UInt8(ascii: "-")
            count += 1
        }
        let magnitude = tenths.magnitude
        var whole = magnitude / 10
        let zero = UInt8(ascii: "0")
        if whole < 1000 {
            // Most coordinates have at most three digits before the point:
            // they are written without a loop.
            let at = start + count
            if whole >= 100 {
                at[0] = zero + UInt8(whole / 100)
                at[1] = zero + UInt8(whole / 10 % 10)
                at[2] = zero + UInt8(whole % 10)
                count += 3
            } else if whole >= 10 {
                at[0] = zero + UInt8(whole / 10)
                at[1] = zero + UInt8(whole % 10)
                count += 2
            } else {
                at[0] = zero + UInt8(whole)
                count += 1
            }
        } else {
            var digits = 1
            var scan = whole
            while scan >= 10 {
                scan /= 10
                digits += 1
            }
            var position = count + digits
            count = position
            repeat {
                position -= 1
                start[position] = zero + UInt8(whole % 10)
                whole /= 10
            } while whole > 0
        }
        if magnitude % 10 != 0 {
            start[count] = UInt8(ascii: ".")
            start[count + 1] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            count += 2
        }
    }

    /// The text written so far.
    ///
    /// A string made from bytes has them checked, which is quick only while
    /// every byte is ASCII. A drawing is ASCII but for a few short runs (an
    /// ellipsis, an accented title), noted as they were written. So the
    /// result starts as the ASCII bytes before the first run, the other
    /// ASCII bytes are made into one string, and the rest is joined from
    /// each run, checked on its own, and slices of that string, which are
    /// appended without being checked again.
    var string: String {
        let all = UnsafeBufferPointer(start: start, count: count)
        guard let first = islands.first else { return String(decoding: all, as: UTF8.self) }
        let islands = islands
        var islandBytes = 0
        for pair in stride(from: 0, to: islands.count, by: 2) { islandBytes += islands[pair + 1] - islands[pair] }
        // The ASCII bytes after island `pair` run to the next island or the end.
        func after(_ pair: Int) -> Range<Int> { islands[pair + 1]..<(pair + 2 < islands.count ? islands[pair + 2] : count) }
        var result = String(unsafeUninitializedCapacity: count) { buffer in
            buffer.baseAddress!.update(from: start, count: first)
            return first
        }
        let rest = String(unsafeUninitializedCapacity: count - islandBytes - first) { buffer in
            var written = 0
            for pair in stride(from: 0, to: islands.count, by: 2) {
                let range = after(pair)
                (buffer.baseAddress! + written).update(from: start + range.lowerBound, count: range.count)
                written += range.count
            }
            return written
        }
        let restBytes = rest.utf8
        var restAt = restBytes.startIndex
        for pair in stride(from: 0, to: islands.count, by: 2) {
            result.append(String(decoding: UnsafeBufferPointer(start: start + islands[pair], count: islands[pair + 1] - islands[pair]), as: UTF8.self))
            let size = after(pair).count
            if size > 0 {
                let next = restBytes.index(restAt, offsetBy: size)
                result.append(contentsOf: Substring(restBytes[restAt..<next]))
                restAt = next
            }
        }
        return result
    }
}

private extension String {
    func trimmingTrailingPunctuation() -> String {
        var result = self
        while let last = result.last, last == " " || last == "," || last == ";" || last == ":" || last == "-" || last == "–" {
            result.removeLast()
        }
        return result
    }
}

/// The texts of every node of the graph as a drawing writes them, escaped
/// once for the whole build rather than on each of the many maps that show
/// a node (every profile draws the dozen or more around it): its slug, its
/// title and ` (type label)` after it, and its colour, one after another in
/// one buffer.
struct NodeTexts: Sendable {
    /// Node `v`'s pieces begin at `marks[4 * v]` (slug), `marks[4 * v + 1]`
    /// (title), `marks[4 * v + 2]` (` (label)`) and `marks[4 * v + 3]`
    /// (colour); the colour ends where the next node's slug begins.
    private let marks: [Int32]
    /// Per node, which pieces may hold bytes that are not ASCII: 1 slug,
    /// 2 title, 4 the label, 8 colour; and 16 when escaping left the title
    /// as it was, so that its first bytes are those of the title too.
    private let wide: [UInt8]
    private let bytes: [UInt8]

    enum Piece {
        case slug
        case title
        /// The title and ` (label)`: the tooltip of a node made by `MapData.drawingNode`.
        case tooltip
        case colour
    }

    /// - Parameters: for each node, its slug, title, type label and colour.
    init(count: Int, _ texts: (Int) -> (slug: String, title: String, label: String, colour: String)) {
        var out = SVGOut(capacity: count * 96)
        var marks: [Int32] = []
        marks.reserveCapacity(4 * count + 1)
        var verbatim = [Bool](repeating: false, count: count)
        for node in 0..<count {
            let text = texts(node)
            marks.append(Int32(out.byteCount))
            out.text(text.slug)
            let titleStart = out.byteCount
            marks.append(Int32(titleStart))
            out.text(text.title)
            verbatim[node] = out.byteCount - titleStart == text.title.utf8.count && out.endsWith(text.title)
            marks.append(Int32(out.byteCount))
            out.raw(" (")
            out.text(text.label)
            out.raw(")")
            marks.append(Int32(out.byteCount))
            out.text(text.colour)
        }
        marks.append(Int32(out.byteCount))
        let bytes = out.bytes()
        var wide = [UInt8](repeating: 0, count: count)
        for node in 0..<count {
            for piece in 0..<4 where bytes[Int(marks[4 * node + piece])..<Int(marks[4 * node + piece + 1])].contains(where: { $0 >= 0x80 }) {
                wide[node] |= 1 << piece
            }
            if verbatim[node] { wide[node] |= 16 }
        }
        self.marks = marks
        self.wide = wide
        self.bytes = bytes
    }

    /// Writes the first `length` bytes of a node's title, which must be all
    /// ASCII; false, writing nothing, when escaping changed the title.
    func writeTitle(of node: Int, prefix length: Int, into out: inout SVGOut) -> Bool {
        guard wide[node] & 16 != 0 else { return false }
        let from = Int(marks[4 * node + 1])
        bytes.withUnsafeBufferPointer { bytes in
            out.escaped(UnsafeBufferPointer(rebasing: bytes[from..<from + length]), wide: false)
        }
        return true
    }

    /// Writes one piece of a node's text.
    func write(_ piece: Piece, of node: Int, into out: inout SVGOut) {
        let first: Int, last: Int, mask: UInt8
        switch piece {
        case .slug: (first, last, mask) = (4 * node, 4 * node + 1, 1)
        case .title: (first, last, mask) = (4 * node + 1, 4 * node + 2, 2)
        case .tooltip: (first, last, mask) = (4 * node + 1, 4 * node + 3, 6)
        case .colour: (first, last, mask) = (4 * node + 3, 4 * node + 4, 8)
        }
        let wide = self.wide[node] & mask != 0
        marks.withUnsafeBufferPointer { marks in
            let from = Int(marks[first]), to = Int(marks[last])
            bytes.withUnsafeBufferPointer { bytes in
                out.escaped(UnsafeBufferPointer(rebasing: bytes[from..<to]), wide: wide)
            }
        }
    }
}

/// An axis-aligned rectangle in map units.
struct Box: Sendable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    func overlaps(_ other: Box) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    func union(_ other: Box) -> Box {
        Box(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}

/// Places labels greedily, most important first, skipping any label that
/// would cover another label or a node. A small drawing checks every box; a
/// large one keeps a uniform grid so each check stays close to constant time.
struct LabelPlacer {
    private let cell: Double
    private let usesGrid: Bool
    private var grid: [Int: [Box]] = [:]
    private var boxes: [Box] = []

    /// - Parameter expected: about how many boxes will be placed.
    init(cell: Double = 64, expected: Int) {
        self.cell = cell
        usesGrid = expected > 96
        if !usesGrid { boxes.reserveCapacity(expected) }
    }

    private func keys(_ box: Box) -> [Int] {
        let x0 = Int((box.minX / cell).rounded(.down)), x1 = Int((box.maxX / cell).rounded(.down))
        let y0 = Int((box.minY / cell).rounded(.down)), y1 = Int((box.maxY / cell).rounded(.down))
        var result: [Int] = []
        for x in x0...max(x0, x1) {
            for y in y0...max(y0, y1) { result.append(x &* 1_000_003 &+ y) }
        }
        return result
    }

    /// Marks a region as taken.
    mutating func block(_ box: Box) {
        if usesGrid {
            for key in keys(box) { grid[key, default: []].append(box) }
        } else {
            boxes.append(box)
        }
    }

    /// Whether a region is free of everything blocked so far.
    func isFree(_ box: Box) -> Bool {
        if !usesGrid {
            return boxes.withUnsafeBufferPointer { boxes in
                for other in boxes where other.overlaps(box) { return false }
                return true
            }
        }
        for key in keys(box) {
            for other in grid[key] ?? [] where other.overlaps(box) { return false }
        }
        return true
    }
}

/// A drawing of part of the connection map: nodes already positioned, lines
/// between them, and the SVG that shows them.
struct MapDrawing {
    struct Node {
        var id: String
        var title: String
        /// The text under the pointer and read by screen readers: title and type.
        var tooltip: String
        /// Written after the tooltip in brackets, when there is one: `Title (Type)`.
        var tooltipNote: String? = nil
        var type: String
        var colour: String
        var areas: [String]
        var tags: [String]
        /// A URL relative to the page the SVG is printed on.
        var href: String
        var position: Point
        var radius: Double
        /// Higher is labelled first.
        var priority: Double
        var isCentre = false
        /// Label sides to try, in order.
        var sides: LabelSides = [.right, .left, .below, .above]
        /// Label it on its first side even when every side is crowded.
        var mustLabel = false
        /// The node of the graph whose texts in the drawing's `texts` are
        /// this node's `id`, `title`, `tooltip` and `tooltipNote`, and
        /// `colour` (-1 for none): they are written from there.
        var textIndex = -1
    }

    struct Line {
        var a: Int
        var b: Int
        var type: ConnectionGraph.EdgeType
        var types: [ConnectionGraph.EdgeType]
        /// A declared connection from `a` to `b` / from `b` to `a`.
        var aToB: Bool
        var bToA: Bool
        /// A thicker line for several links drawn as one (the overview).
        var weight: Double = 1
    }

    enum LabelSide: UInt8, Sendable {
        case right, left, above, below
    }

    /// Up to four label sides in order, kept in one word rather than an
    /// array, so that a node needs no storage of its own for them.
    struct LabelSides: Sequence, ExpressibleByArrayLiteral, Sendable {
        private var packed: UInt32 = 0
        private(set) var count = 0

        init(arrayLiteral sides: LabelSide...) {
            for side in sides.prefix(4) {
                packed |= UInt32(side.rawValue) << (8 * UInt32(count))
                count += 1
            }
        }

        var first: LabelSide? { count > 0 ? side(0) : nil }

        private func side(_ position: Int) -> LabelSide {
            LabelSide(rawValue: UInt8((packed >> (8 * UInt32(position))) & 0xFF))!
        }

        struct Iterator: IteratorProtocol {
            let sides: LabelSides
            var position = 0
            mutating func next() -> LabelSide? {
                guard position < sides.count else { return nil }
                defer { position += 1 }
                return sides.side(position)
            }
        }

        func makeIterator() -> Iterator { Iterator(sides: self) }
    }

    var id: String
    var title: String
    var description: String
    var nodes: [Node]
    var lines: [Line]
    var fontSize = 11.0
    var labelLimit = 26
    /// A heading above the grid of unconnected assets.
    var band: (x: Double, y: Double, text: String)?
    /// Plain solid lines without arrows, whatever their type (the overview of parts).
    var solidLines = false
    /// Whether nodes and lines carry the class and `data-` attributes map.js
    /// uses for highlighting and filters (a profile's small map does without).
    var interactive = true
    /// When set, every node links to the profile its `id` names, relative to
    /// this page, and its own `href` is not used.
    var profileLinks: ProfileLinks?
    /// The escaped texts of the nodes that have a `textIndex`.
    var texts: NodeTexts?

    /// The colours of lines, chosen to read on light and dark backgrounds alike.
    static func lineStyle(_ type: ConnectionGraph.EdgeType) -> StaticString {
        switch type {
        case .connection: ##"stroke="#5b6670" stroke-width="1.6""##
        case .mention: ##"stroke="#7a848d" stroke-width="1.3" stroke-dasharray="6 4""##
        case .story: ##"stroke="#8c959d" stroke-width="1.4" stroke-dasharray="1.5 3.5" stroke-linecap="round""##
        }
    }

    /// Where a label of `width` goes on one side of a node: its box, the text position and anchor.
    static func labelSlot(_ side: LabelSide, at p: Point, gap: Double, width: Double, size: Double)
        -> (box: Box, x: Double, y: Double, anchor: StaticString) {
        switch side {
        case .right:
            (Box(minX: p.x + gap, minY: p.y - size * 0.6, maxX: p.x + gap + width, maxY: p.y + size * 0.55), p.x + gap, p.y + size * 0.35, "start")
        case .left:
            (Box(minX: p.x - gap - width, minY: p.y - size * 0.6, maxX: p.x - gap, maxY: p.y + size * 0.55), p.x - gap, p.y + size * 0.35, "end")
        case .below:
            (Box(minX: p.x - width / 2, minY: p.y + gap, maxX: p.x + width / 2, maxY: p.y + gap + size * 1.1), p.x, p.y + gap + size * 0.85, "middle")
        case .above:
            (Box(minX: p.x - width / 2, minY: p.y - gap - size * 1.1, maxX: p.x + width / 2, maxY: p.y - gap), p.x, p.y - gap - size * 0.25, "middle")
        }
    }

    /// ` name="…"` of a node's slug or colour, from `texts` when the node has them there.
    private func writeAttribute(_ name: StaticString, _ piece: NodeTexts.Piece, of node: UnsafePointer<Node>, into out: inout SVGOut) {
        if let texts, node.pointee.textIndex >= 0 {
            out.raw(" ")
            out.raw(name)
            out.raw("=\"")
            texts.write(piece, of: node.pointee.textIndex, into: &out)
            out.raw("\"")
        } else {
            out.attribute(name, piece == .colour ? node.pointee.colour : node.pointee.id)
        }
    }

    /// What a label shows of its node's title: all of it, its first bytes
    /// and `…`, or another text.
    private enum LabelText {
        case whole
        case cut(Int)
        /// The position of the text in the drawing's list of other label texts.
        case other(Int)
    }

    /// Renders the SVG.
    /// - Complexity: O(n + e), plus label placement, which is close to linear.
    func render() -> String {
        // Nodes are read in place: copying one would retain each of its strings.
        nodes.withUnsafeBufferPointer { nodes in render(nodes: nodes, base: nodes.baseAddress) }
    }

    private func render(nodes: UnsafeBufferPointer<Node>, base: UnsafePointer<Node>?) -> String {
        // Labels: the most important nodes first; a label that would cover
        // another label or a node is left out (the node keeps its tooltip).
        var placer = LabelPlacer(cell: max(48, fontSize * 5), expected: nodes.count * 2)
        var nodeBoxes: [Box] = []
        nodeBoxes.reserveCapacity(nodes.count)
        for index in nodes.indices {
            let node = base! + index
            let r = node.pointee.radius + 1
            let box = Box(minX: node.pointee.position.x - r, minY: node.pointee.position.y - r, maxX: node.pointee.position.x + r, maxY: node.pointee.position.y + r)
            nodeBoxes.append(box)
            placer.block(box)
        }
        var bounds = nodeBoxes.first ?? Box(minX: 0, minY: 0, maxX: 1, maxY: 1)
        for box in nodeBoxes { bounds = bounds.union(box) }
        let order = nodes.indices.sorted {
            nodes[$0].priority != nodes[$1].priority ? nodes[$0].priority > nodes[$1].priority : nodes[$0].id < nodes[$1].id
        }
        // The labels hold no strings, so the list is made and read without
        // retaining any; the few texts that are neither the title nor a
        // first part of it are kept on their own.
        var labels: [(x: Double, y: Double, anchor: StaticString, text: LabelText)?] = Array(repeating: nil, count: nodes.count)
        var otherTexts: [String] = []
        for index in order {
            let node = base! + index
            let size = node.pointee.isCentre ? fontSize * 1.15 : fontSize
            let limit = node.pointee.isCentre ? labelLimit + 10 : labelLimit
            // A plain title is cut where it lies, and written from there.
            let text: LabelText, characters: Int
            if let cut = node.pointee.title.utf8.withContiguousStorageIfAvailable({ SVGText.plainCut($0, to: limit) }), let cut {
                text = cut.kept.map { .cut($0) } ?? .whole
                characters = cut.characters
            } else {
                let shortened = SVGText.shortened(node.pointee.title, to: limit)
                text = .other(otherTexts.count)
                otherTexts.append(shortened.text)
                characters = shortened.characters
            }
            // Bold text is about a tenth wider.
            let width = SVGText.estimatedWidth(characters: characters, fontSize: size) * (node.pointee.isCentre ? 1.1 : 1)
            var chosen: (box: Box, x: Double, y: Double, anchor: StaticString)?
            for side in node.pointee.sides {
                let candidate = Self.labelSlot(side, at: node.pointee.position, gap: node.pointee.radius + 3, width: width, size: size)
                if placer.isFree(candidate.box) {
                    chosen = candidate
                    break
                }
            }
            if chosen == nil, node.pointee.mustLabel, let first = node.pointee.sides.first {
                chosen = Self.labelSlot(first, at: node.pointee.position, gap: node.pointee.radius + 3, width: width, size: size)
            }
            if let chosen {
                placer.block(chosen.box)
                bounds = bounds.union(chosen.box)
                labels[index] = (chosen.x, chosen.y, chosen.anchor, text)
            }
        }
        if let band {
            let width = SVGText.estimatedWidth(band.text, fontSize: fontSize * 1.3)
            bounds = bounds.union(Box(minX: band.x, minY: band.y - fontSize * 1.4, maxX: band.x + width, maxY: band.y))
        }
        let margin = 8.0
        let minX = bounds.minX - margin, minY = bounds.minY - margin
        let width = bounds.maxX - bounds.minX + 2 * margin, height = bounds.maxY - bounds.minY + 2 * margin
        var out = SVGOut(capacity: 512 + nodes.count * 240 + lines.count * (interactive ? 80 : 40))
        out.raw(#"<svg xmlns="http://www.w3.org/2000/svg" class="kith-map""#)
        out.attribute("id", id)
        out.raw(#" viewBox=""#)
        out.number(minX); out.raw(" "); out.number(minY); out.raw(" "); out.number(width); out.raw(" "); out.number(height)
        out.raw("\"")
        out.attribute("width", number: width)
        out.attribute("height", number: height)
        out.raw(#" aria-labelledby=""#); out.text(id); out.raw("-title "); out.text(id); out.raw(#"-desc""#)
        out.raw(#" font-family="system-ui, sans-serif">\#n"#)
        out.raw(#"<title id=""#); out.text(id); out.raw(#"-title">"#); out.text(title); out.raw("</title>")
        out.raw(#"<desc id=""#); out.text(id); out.raw(#"-desc">"#); out.text(description); out.raw("</desc>\n")
        let hasConnections = !solidLines && lines.contains { $0.type == .connection }
        if hasConnections {
            out.raw(#"<defs><marker id=""#); out.text(id); out.raw(#"-arrow""#)
            out.raw(##" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 1L10 5L0 9z" fill="#5b6670"/></marker></defs>\##n"##)
        }

        // Lines: stories at the bottom, declared connections on top.
        for type in ConnectionGraph.EdgeType.allCases.reversed() {
            guard lines.contains(where: { $0.type == type }) else { continue }
            out.raw(#"<g class="map-edges map-edges--"#)
            out.write(type.rawValue)
            out.raw(#"" fill="none" "#)
            out.raw(solidLines ? ##"stroke="#7a848d" stroke-width="1.5""## : Self.lineStyle(type))
            if type == .connection, !solidLines { out.raw(##" marker-end="url(#"##); out.text(id); out.raw(#"-arrow)""#) }
            out.raw(">\n")
            for line in lines where line.type == type {
                // Draw each line towards the end a declared connection points at.
                let reversed = line.bToA && !line.aToB
                let start = base! + (reversed ? line.b : line.a), end = base! + (reversed ? line.a : line.b)
                var x1 = start.pointee.position.x, y1 = start.pointee.position.y, x2 = end.pointee.position.x, y2 = end.pointee.position.y
                let dx = x2 - x1, dy = y2 - y1
                let length = (dx * dx + dy * dy).squareRoot()
                if length > start.pointee.radius + end.pointee.radius + 2 {
                    let ux = dx / length, uy = dy / length
                    x1 += ux * (start.pointee.radius + 1); y1 += uy * (start.pointee.radius + 1)
                    x2 -= ux * (end.pointee.radius + 1); y2 -= uy * (end.pointee.radius + 1)
                }
                out.raw("<line")
                out.attribute("x1", number: x1); out.attribute("y1", number: y1)
                out.attribute("x2", number: x2); out.attribute("y2", number: y2)
                if interactive {
                    writeAttribute("data-from", .slug, of: start, into: &out)
                    writeAttribute("data-to", .slug, of: end, into: &out)
                    if line.types.count > 1 { out.attribute("data-types", line.types.sorted().map(\.rawValue).joined(separator: " ")) }
                }
                if type == .connection, !solidLines, line.aToB, line.bToA { out.raw(##" marker-start="url(#"##); out.text(id); out.raw(#"-arrow)""#) }
                if line.weight != 1 { out.attribute("stroke-width", number: line.weight) }
                out.raw("/>\n")
            }
            out.raw("</g>\n")
        }

        if let band {
            out.raw(#"<text class="map-band""#)
            out.attribute("x", number: band.x); out.attribute("y", number: band.y)
            out.attribute("font-size", number: fontSize * 1.2)
            out.raw(#" font-weight="bold" fill="currentColor">"#)
            out.text(band.text)
            out.raw("</text>\n")
        }

        out.raw(#"<g class="map-nodes""#)
        out.attribute("font-size", number: fontSize)
        out.raw(##" fill="currentColor" stroke="#ffffff" stroke-width="1" style="paint-order: stroke">\##n"##)
        for index in nodes.indices {
            let node = base! + index
            out.raw("<a")
            if let profileLinks {
                if let texts, node.pointee.textIndex >= 0 {
                    profileLinks.writeHref(node.pointee.id, escaped: texts, of: node.pointee.textIndex, into: &out)
                } else {
                    profileLinks.writeHref(node.pointee.id, into: &out)
                }
            } else {
                out.attribute("href", node.pointee.href)
            }
            if node.pointee.isCentre { out.raw(#" aria-current="page""#) }
            if interactive {
                out.raw(#" class="map-node""#)
                writeAttribute("data-id", .slug, of: node, into: &out)
                out.attribute("data-type", node.pointee.type)
                if !node.pointee.areas.isEmpty { out.attribute("data-areas", node.pointee.areas.joined(separator: " ")) }
                if !node.pointee.tags.isEmpty { out.attribute("data-tags", node.pointee.tags.joined(separator: " ")) }
            }
            out.raw("><title>")
            if let texts, node.pointee.textIndex >= 0 {
                texts.write(.tooltip, of: node.pointee.textIndex, into: &out)
            } else {
                out.text(node.pointee.tooltip)
                if let note = node.pointee.tooltipNote { out.raw(" ("); out.text(note); out.raw(")") }
            }
            out.raw("</title><circle")
            out.attribute("cx", number: node.pointee.position.x); out.attribute("cy", number: node.pointee.position.y)
            out.attribute("r", number: node.pointee.radius)
            writeAttribute("fill", .colour, of: node, into: &out)
            out.raw(node.pointee.isCentre ? #" stroke="currentColor" stroke-width="3"/>"# : "/>")
            if let label = labels[index] {
                out.raw("<text")
                out.attribute("x", number: label.x); out.attribute("y", number: label.y)
                if label.anchor.utf8CodeUnitCount != 5 {
                    // Not "start": "end" or "middle".
                    out.raw(#" text-anchor=""#)
                    out.raw(label.anchor)
                    out.raw("\"")
                }
                if node.pointee.isCentre {
                    out.attribute("font-size", number: fontSize * 1.15)
                    out.raw(#" font-weight="bold""#)
                }
                out.raw(">")
                switch label.text {
                case .whole:
                    if let texts, node.pointee.textIndex >= 0 {
                        texts.write(.title, of: node.pointee.textIndex, into: &out)
                    } else {
                        out.text(node.pointee.title)
                    }
                case .cut(let kept):
                    // A title that escaping leaves as it is is written from `texts`.
                    if node.pointee.textIndex < 0 || texts?.writeTitle(of: node.pointee.textIndex, prefix: kept, into: &out) != true {
                        node.pointee.title.utf8.withContiguousStorageIfAvailable { out.text(bytes: UnsafeBufferPointer(rebasing: $0[..<kept])) }
                    }
                    out.raw("…")
                case .other(let position):
                    out.text(otherTexts[position])
                }
                out.raw("</text>")
            }
            out.raw("</a>\n")
        }
        out.raw("</g>\n</svg>")
        return out.string
    }
}
