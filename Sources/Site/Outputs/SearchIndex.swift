import Foundation
import Templates

/// The search index, split so that a browser fetches only what a query needs.
///
/// - `search.json`: a small manifest (document count, shard keys and sizes,
///   kind labels, field weights).
/// - `search/t/<key>.json`: the terms starting with `key`, each with one
///   posting list per field (title, meta, summary, body). A shard starts as
///   all terms with the same first letter and is split by the next letter
///   while it is larger than `shardLimit`; a term as long as its shard's
///   key stays in that shard.
/// - `search/d/<n>.json`: the display records of documents
///   `n * chunkSize ..< (n + 1) * chunkSize`: `[kind, title, path, summary, detail]`.
/// - `search/f/<facet>-<slug>.json`: the documents of one type, area or tag.
///
/// Posting lists name documents by number, in document order (assets by
/// title, then stories newest first, then free pages), in one of two
/// text forms, whichever is shorter (see `PostingCode`).
struct SearchIndex {
    /// One searchable page, as search results show it.
    struct Document {
        /// An asset type slug, `story` or `page`.
        var kind: String
        var title: String
        var path: String
        var summary: String
        /// A short line shown under the title: areas, or a story's date.
        var detail: String
        /// `type`, `area` and `tag` memberships, as `(facet, slug)`.
        var facets: [(String, String)]
    }

    enum Field: Int, CaseIterable {
        case title, meta, summary, body
        /// How much a match in this field counts.
        var weight: Int { [8, 4, 2, 1][rawValue] }
    }

    static let chunkSize = 25
    static let shardLimit = 12_000
    static let longestKey = 4
    static let summaryLimit = 160

    private(set) var documents: [Document] = []
    let kinds: Object

    /// Terms numbered as they are first met; `postings[term * fieldCount + field]`
    /// lists the documents with the term in that field. A document's text
    /// is made into terms when it is added and then let go: only these are kept.
    private var terms = TermTable()
    private var postings: [[Int32]] = []

    init(kinds: Object) {
        self.kinds = kinds
    }

    /// Adds the next document with the text of its fields: `fields` gives
    /// the title, meta and summary, `bodyHTML` the body as rendered HTML.
    mutating func add(_ document: Document, fields: [String], bodyHTML: String) {
        let id = Int32(documents.count)
        documents.append(document)
        var text: [UInt8] = []
        for field in Field.allCases {
            if field == .body {
                text = PlainText.bytes(fromHTML: bodyHTML)
            } else {
                text.removeAll(keepingCapacity: true)
                text.append(contentsOf: fields[field.rawValue].utf8)
            }
            SearchText.forEachTerm(inUTF8: &text) { term in
                record(term, field: field, document: id)
            }
        }
    }

    private mutating func record(_ term: UnsafeBufferPointer<UInt8>, field: Field, document id: Int32) {
        let fieldCount = Field.allCases.count
        let number = terms.number(of: term)
        if number * fieldCount >= postings.count { postings.append(contentsOf: repeatElement([], count: fieldCount)) }
        let slot = number * fieldCount + field.rawValue
        // Documents come in id order, so a repeat is always the last one.
        if postings[slot].last != id { postings[slot].append(id) }
    }

    /// The files of the index, by output path.
    func files() -> [OutputFile] {
        let count = documents.count
        let fieldCount = Field.allCases.count
        var encoded: [String: [String]] = [:]
        encoded.reserveCapacity(terms.count)
        for number in 0..<terms.count {
            encoded[terms.text(number)] = (0..<fieldCount).map { PostingCode.encode(postings[number * fieldCount + $0], count: count) }
        }

        var files: [OutputFile] = []
        var shardSizes: Object = [:]
        for (key, terms) in Self.shards(encoded) {
            let bytes = Self.shardBytes(terms, encoded)
            files.append(OutputFile(path: "search/t/\(Self.fileName(key)).json", source: .bytes(bytes)))
            shardSizes[key] = .int(bytes.count)
        }

        for start in stride(from: 0, to: count, by: Self.chunkSize) {
            let records: [Value] = documents[start..<min(count, start + Self.chunkSize)].map { document in
                [.string(document.kind), .string(document.title), .string(document.path),
                 .string(Self.shortened(document.summary)), .string(document.detail)]
            }
            files.append(OutputFile(path: "search/d/\(start / Self.chunkSize).json", source: .bytes(DataJSON.bytes(.array(records)))))
        }

        var facets: [String: [Int]] = [:]
        for (id, document) in documents.enumerated() {
            for (facet, slug) in document.facets {
                let name = "\(facet)-\(slug)"
                if facets[name]?.last != id { facets[name, default: []].append(id) }
            }
        }
        for (name, ids) in facets {
            files.append(OutputFile(path: "search/f/\(name).json", source: .bytes(DataJSON.bytes(.string(PostingCode.encode(ids, count: count))))))
        }

        let manifest: Value = .object([
            "version": 1,
            "count": .int(count),
            "chunk": .int(Self.chunkSize),
            "weights": .array(Field.allCases.map { .int($0.weight) }),
            "shards": .object(shardSizes),
            "kinds": .object(kinds),
        ])
        files.append(OutputFile(path: "search.json", source: .bytes(DataJSON.bytes(manifest))))
        return files.sorted { $0.path < $1.path }
    }

    /// One shard as JSON: an object of term → posting lists, written as
    /// `DataJSON.bytes` writes the same object (keys in `Object.sortedByName` order).
    static func shardBytes(_ terms: [String], _ encoded: [String: [String]]) -> [UInt8] {
        var terms = terms
        if terms.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
            terms.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } else {
            terms.sort()
        }
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (position, term) in terms.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            DataJSON.writeString(term, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            DataJSON.writeStrings(encoded[term]!, into: &bytes)
        }
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    /// Terms grouped into shards by their first letters.
    /// - Returns: shard key → the terms it holds.
    static func shards(_ encoded: [String: [String]]) -> [String: [String]] {
        func size(_ term: String) -> Int { term.utf8.count + encoded[term]!.reduce(12) { $0 + $1.utf8.count } }
        var result: [String: [String]] = [:]
        func place(_ terms: [String], key: [Unicode.Scalar]) {
            let total = terms.reduce(0) { $0 + size($1) }
            if total <= shardLimit || key.count >= longestKey {
                result[String(String.UnicodeScalarView(key))] = terms
                return
            }
            var own: [String] = []
            var children: [Unicode.Scalar: [String]] = [:]
            for term in terms {
                let scalars = Array(term.unicodeScalars)
                if scalars.count == key.count { own.append(term) } else { children[scalars[key.count], default: []].append(term) }
            }
            if !own.isEmpty { result[String(String.UnicodeScalarView(key))] = own }
            for (next, group) in children { place(group, key: key + [next]) }
        }
        var byFirst: [Unicode.Scalar: [String]] = [:]
        for term in encoded.keys { byFirst[term.unicodeScalars.first!, default: []].append(term) }
        for (first, terms) in byFirst { place(terms, key: [first]) }
        return result
    }

    /// A shard key as a file name: `a`–`z` and `0`–`9` as they are, any
    /// other character as `-<hex>-` (`é` → `-e9-`). search.js does the same.
    static func fileName(_ key: String) -> String {
        var name = ""
        for scalar in key.unicodeScalars {
            let value = scalar.value
            if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                name.unicodeScalars.append(scalar)
            } else {
                name += "-" + String(value, radix: 16) + "-"
            }
        }
        return name
    }

    /// A summary cut at a word boundary to at most `summaryLimit` characters, ending in `…` when cut.
    static func shortened(_ text: String) -> String {
        guard text.count > summaryLimit else { return text }
        let cut = text.prefix(summaryLimit - 1)
        let atSpace = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atSpace.trimmingCharacters(in: .whitespaces) + "…"
    }
}

/// Posting lists as short JSON-safe text, in one of two forms:
///
/// - gaps: each document number minus the previous one (the first minus −1),
///   written in base 32, most significant digit first; a digit is one
///   character of the base64url alphabet `A–Z a–z 0–9 - _`, its value plus
///   32 when more digits of the same number follow;
/// - a bitmap: `~` then base64url (no padding) of one bit per document,
///   document 0 in the highest bit of the first byte.
enum PostingCode {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// - Parameters:
    ///   - ids: document numbers, ascending, without repeats.
    ///   - count: how many documents the index has.
    static func encode<IDs: Collection>(_ ids: IDs, count: Int) -> String where IDs.Element: BinaryInteger {
        if ids.isEmpty { return "" }
        var gaps: [UInt8] = []
        var previous = -1
        for id in ids {
            let id = Int(id)
            let gap = id - previous
            previous = id
            var shift = 0
            while gap >> (shift + 5) > 0 { shift += 5 }
            while shift > 0 {
                gaps.append(alphabet[((gap >> shift) & 31) + 32])
                shift -= 5
            }
            gaps.append(alphabet[gap & 31])
        }
        let bitmapLength = 1 + ((count + 7) / 8 * 4 + 2) / 3
        if gaps.count <= bitmapLength { return String(decoding: gaps, as: UTF8.self) }

        var bits = [UInt8](repeating: 0, count: (count + 7) / 8)
        for id in ids {
            let id = Int(id)
            bits[id >> 3] |= 0x80 >> UInt8(id & 7)
        }
        var text: [UInt8] = [UInt8(ascii: "~")]
        var index = 0
        while index < bits.count {
            let b0 = Int(bits[index])
            let b1 = index + 1 < bits.count ? Int(bits[index + 1]) : 0
            let b2 = index + 2 < bits.count ? Int(bits[index + 2]) : 0
            let chunk = b0 << 16 | b1 << 8 | b2
            let available = min(3, bits.count - index)
            for position in 0...available {
                text.append(alphabet[(chunk >> (18 - 6 * position)) & 63])
            }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The inverse of `encode`, for tests.
    static func decode(_ text: String, count: Int) -> [Int] {
        var values: [UInt8: Int] = [:]
        for (value, character) in alphabet.enumerated() { values[character] = value }
        let bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "~") {
            var ids: [Int] = []
            var bitPosition = 0
            for byte in bytes.dropFirst() {
                let value = values[byte] ?? 0
                for shift in stride(from: 5, through: 0, by: -1) {
                    if bitPosition < count, (value >> shift) & 1 == 1 { ids.append(bitPosition) }
                    bitPosition += 1
                }
            }
            return ids
        }
        var ids: [Int] = []
        var previous = -1
        var number = 0
        for byte in bytes {
            let value = values[byte] ?? 0
            number = number * 32 + (value & 31)
            if value < 32 {
                previous += number
                ids.append(previous)
                number = 0
            }
        }
        return ids
    }
}

/// Terms numbered in the order they are first met, looked up by their UTF-8
/// bytes without making a `String` of each occurrence: open addressing over
/// an FNV-1a hash, the terms' bytes kept end to end.
struct TermTable {
    private var slots = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var starts: [Int] = [0]
    private var bytes: [UInt8] = []

    /// How many different terms there are.
    var count: Int { hashes.count }

    /// The term's number, adding it when it is new.
    mutating func number(of term: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in term { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = Int(slots[index])
            if found < 0 { break }
            if hashes[found] == hash, starts[found + 1] - starts[found] == term.count, equal(found, term) { return found }
            index = (index + 1) & mask
        }
        let number = hashes.count
        hashes.append(hash)
        bytes.append(contentsOf: term)
        starts.append(bytes.count)
        if (number + 1) * 2 > slots.count {
            // Keep the table at most half full.
            slots = [Int32](repeating: -1, count: slots.count * 2)
            mask = slots.count - 1
            for (other, otherHash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: otherHash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(other)
            }
        } else {
            slots[index] = Int32(number)
        }
        return number
    }

    /// Whether term `number` is `term` (which has its length).
    private func equal(_ number: Int, _ term: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let other = term.baseAddress, !term.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + starts[number], other, term.count) == 0 }
    }

    /// The text of term `number`.
    func text(_ number: Int) -> String {
        String(decoding: bytes[starts[number]..<starts[number + 1]], as: UTF8.self)
    }
}
