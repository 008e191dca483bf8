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
struct SearchIndex: Sendable {
    /// One searchable page, as search results show it.
    struct Document: Sendable {
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
    static let fieldCount = Field.allCases.count
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
    /// `latest[term * fieldCount + field]` is the last document `add` met
    /// the term in that field in, or -1: a repeat in one document is
    /// passed over without looking at its posting list.
    private var latest: [Int32] = []

    init(kinds: Object) {
        self.kinds = kinds
    }

    /// Adds the next document with the text of its fields: `fields` gives
    /// the texts of the title, meta and summary, each field's texts read as
    /// if joined with a separator between them, `bodyHTML` the body as rendered HTML.
    mutating func add(_ document: Document, fields: [[String]], bodyHTML: String) {
        let id = Int32(documents.count)
        documents.append(document)
        var text: [UInt8] = []
        for field in Field.allCases {
            if field == .body {
                text = PlainText.bytes(fromHTML: bodyHTML)
            } else {
                text.removeAll(keepingCapacity: true)
                for part in fields[field.rawValue] {
                    text.append(contentsOf: part.utf8)
                    text.append(UInt8(ascii: " "))
                }
            }
            SearchText.forEachTerm(inUTF8: &text) { term, hash in
                record(term, hash: hash, field: field, document: id)
            }
        }
    }

    /// The number of the document at a site path (`assets/garden/`), if there is one.
    func document(at path: String) -> Int? {
        documents.firstIndex { $0.path == path }
    }

    /// Gives document `id` a new body and returns the files that changed
    /// with it: the term shards whose bytes differ, `search.json` when a
    /// shard's size changed, and the paths of shards that are no longer
    /// part of the index. `shards` must describe the files as they are
    /// now (from `writtenFiles()` or an earlier call); it is brought up to date.
    /// The files are those a full build of the changed site would write.
    mutating func replaceBody(
        of id: Int, from oldHTML: String, to newHTML: String, shards: inout ShardState
    ) -> (files: [OutputFile], removed: [String]) {
        let fieldCount = Self.fieldCount
        let body = Field.body.rawValue
        let before = bodyTerms(oldHTML)
        let after = bodyTerms(newHTML)
        let document = Int32(id)
        var changed: [Int] = []
        for number in before.subtracting(after) {
            let slot = number * fieldCount + body
            if let position = postings[slot].firstIndex(of: document) { postings[slot].remove(at: position) }
            changed.append(number)
        }
        for number in after.subtracting(before) {
            let slot = number * fieldCount + body
            let position = postings[slot].firstIndex { $0 > document } ?? postings[slot].endIndex
            postings[slot].insert(document, at: position)
            changed.append(number)
        }
        guard !changed.isEmpty else { return ([], []) }

        // The changed terms as they are now written; a term no document has any more is gone.
        var changedTerms: Set<String> = []
        for number in changed {
            let term = terms.text(number)
            changedTerms.insert(term)
            shards.encoded[term] = encoded(number)
        }
        // Only the shards of terms starting with the same letters as a changed term can change.
        let firsts = Set(changedTerms.map { $0.unicodeScalars.first! })
        var groups: [Unicode.Scalar: Set<String>] = [:]
        var oldKeys: [String] = []
        for (key, keyTerms) in shards.layout {
            let first = key.unicodeScalars.first!
            guard firsts.contains(first) else { continue }
            oldKeys.append(key)
            groups[first, default: []].formUnion(keyTerms)
        }
        for term in changedTerms { groups[term.unicodeScalars.first!, default: []].insert(term) }
        var layout: [String: [String]] = [:]
        for group in groups.values {
            Self.shards(of: group.filter { shards.encoded[$0] != nil }, shards.encoded, into: &layout)
        }
        var files: [OutputFile] = []
        var sizesChanged = false
        for (key, keyTerms) in layout {
            if let old = shards.layout[key], old.count == keyTerms.count, !keyTerms.contains(where: changedTerms.contains),
               Set(old) == Set(keyTerms) {
                continue
            }
            let bytes = Self.shardBytes(keyTerms, shards.encoded)
            if shards.sizes[key] != bytes.count {
                shards.sizes[key] = bytes.count
                sizesChanged = true
            }
            files.append(OutputFile(path: Self.shardPath(key), source: .bytes(bytes)))
        }
        var removed: [String] = []
        for key in oldKeys where layout[key] == nil {
            shards.layout[key] = nil
            shards.sizes[key] = nil
            removed.append(Self.shardPath(key))
            sizesChanged = true
        }
        shards.layout.merge(layout) { $1 }
        if sizesChanged { files.append(manifest(shardSizes: shards.sizes)) }
        return (files.sorted { $0.path < $1.path }, removed.sorted())
    }

    /// The numbers of the terms of a body, adding the new ones to the table.
    private mutating func bodyTerms(_ html: String) -> Set<Int> {
        var text = PlainText.bytes(fromHTML: html)
        var numbers: Set<Int> = []
        SearchText.forEachTerm(inUTF8: &text) { term in
            numbers.insert(terms.number(of: term))
        }
        let fieldCount = Self.fieldCount
        if terms.count * fieldCount > postings.count {
            postings.append(contentsOf: repeatElement([], count: terms.count * fieldCount - postings.count))
        }
        return numbers
    }

    /// Term `number`'s posting lists as written, one per field; nil when no
    /// document has the term.
    private func encoded(_ number: Int) -> [String]? {
        let fieldCount = Self.fieldCount
        let lists = postings[(number * fieldCount)..<((number + 1) * fieldCount)]
        guard lists.contains(where: { !$0.isEmpty }) else { return nil }
        return lists.map { PostingCode.encode($0, count: documents.count) }
    }

    @inline(__always)
    private mutating func record(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64, field: Field, document id: Int32) {
        let fieldCount = Self.fieldCount
        let number = terms.number(of: term, hash: hash)
        let slot = number * fieldCount + field.rawValue
        if slot >= postings.count {
            postings.append(contentsOf: repeatElement([], count: terms.count * fieldCount - postings.count))
        }
        if slot >= latest.count { latest.append(contentsOf: repeatElement(-1, count: postings.count - latest.count)) }
        // Documents come in id order, and `id` is newer than any document
        // `replaceBody` changes, so the term is in this one's list only if `add` put it there.
        if latest[slot] == id { return }
        latest[slot] = id
        postings[slot].append(id)
    }

    /// The term shards as last written: each term's posting lists as text,
    /// the terms of each shard and the size of each shard's file.
    struct ShardState: Sendable {
        var encoded: [String: [String]] = [:]
        var layout: [String: [String]] = [:]
        var sizes: [String: Int] = [:]
    }

    /// The files of the index, by output path.
    func files() -> [OutputFile] { written(keepingShards: false).files }

    /// The files of the index, by output path, and the state of its term
    /// shards, which `replaceBody` takes.
    func writtenFiles() -> (files: [OutputFile], shards: ShardState) { written(keepingShards: true) }

    /// The files, and with `keepingShards` the state of the shards (else an empty one).
    private func written(keepingShards: Bool) -> (files: [OutputFile], shards: ShardState) {
        let count = documents.count
        var files: [OutputFile] = []

        // Each term's entry in its shard, `"term":["title","meta","summary","body"]`,
        // end to end; terms no document has any more have none.
        var entries: [UInt8] = []
        var entryStarts = [Int](repeating: 0, count: terms.count + 1)
        var shardTerms: [ShardTerm] = []
        var numbers: [Int] = []
        for number in 0..<terms.count {
            entryStarts[number] = entries.count
            defer { entryStarts[number + 1] = entries.count }
            let lists = postings[(number * Self.fieldCount)..<((number + 1) * Self.fieldCount)]
            guard lists.contains(where: { !$0.isEmpty }) else { continue }
            // A term is letters, digits and marks, none of which a JSON string escapes.
            entries.append(UInt8(ascii: "\""))
            let termLength = terms.withBytes(of: number) { term in
                entries.append(contentsOf: term)
                return term.count
            }
            entries.append(contentsOf: "\":[".utf8)
            var listsLength = 0
            for (position, list) in lists.enumerated() {
                if position > 0 { entries.append(UInt8(ascii: ",")) }
                entries.append(UInt8(ascii: "\""))
                let listStart = entries.count
                PostingCode.write(list, count: count, into: &entries)
                listsLength += entries.count - listStart
                entries.append(UInt8(ascii: "\""))
            }
            entries.append(UInt8(ascii: "]"))
            shardTerms.append(terms.withBytes(of: number) { ShardTerm($0, size: termLength + 12 + listsLength) })
            numbers.append(number)
        }

        var state = ShardState()
        for (key, members) in Self.shards(shardTerms) {
            // In the order `Object.sortedByName` gives: by bytes when they are all ASCII.
            var shard = members.map { numbers[$0] }
            if members.allSatisfy({ shardTerms[$0].isASCII }) {
                terms.withAllBytes { bytes in
                    shard.sort { first, second in
                        let first = terms.bytes(of: first, in: bytes), second = terms.bytes(of: second, in: bytes)
                        let order = memcmp(first.baseAddress!, second.baseAddress!, min(first.count, second.count))
                        return order != 0 ? order < 0 : first.count < second.count
                    }
                }
            } else {
                shard.sort { terms.text($0) < terms.text($1) }
            }
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            for (position, number) in shard.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: entries[entryStarts[number]..<entryStarts[number + 1]])
            }
            bytes.append(contentsOf: "}\n".utf8)
            files.append(OutputFile(path: Self.shardPath(key), source: .bytes(bytes)))
            state.sizes[key] = bytes.count
            if keepingShards { state.layout[key] = shard.map(terms.text) }
        }
        if keepingShards {
            state.encoded.reserveCapacity(numbers.count)
            for number in numbers { state.encoded[terms.text(number)] = encoded(number) }
        }

        for start in stride(from: 0, to: count, by: Self.chunkSize) {
            // `[[kind, title, path, summary, detail], …]`, as `DataJSON.bytes` writes the array.
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            for (position, document) in documents[start..<min(count, start + Self.chunkSize)].enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                DataJSON.writeStrings([document.kind, document.title, document.path, Self.shortened(document.summary), document.detail],
                                      into: &bytes)
            }
            bytes.append(contentsOf: "]\n".utf8)
            files.append(OutputFile(path: "search/d/\(start / Self.chunkSize).json", source: .bytes(bytes)))
        }

        // The documents of each facet's slugs; there are only a few facets.
        var facetSlugs: [(facet: String, slugs: [String: [Int]])] = []
        for (id, document) in documents.enumerated() {
            for (facet, slug) in document.facets {
                if let position = facetSlugs.firstIndex(where: { $0.facet == facet }) {
                    Self.appendOnce(id, to: &facetSlugs[position].slugs[slug, default: []])
                } else {
                    facetSlugs.append((facet, [slug: [id]]))
                }
            }
        }
        // Two facets whose names meet (`a-b` and `a`, `b-c`) share their file, as one list.
        var facets: [String: [Int]] = [:]
        for (facet, slugs) in facetSlugs {
            for (slug, ids) in slugs {
                facets["\(facet)-\(slug)"] = facets["\(facet)-\(slug)"].map { Array(Set($0 + ids)).sorted() } ?? ids
            }
        }
        for (name, ids) in facets {
            files.append(OutputFile(path: "search/f/\(name).json", source: .bytes(DataJSON.bytes(.string(PostingCode.encode(ids, count: count))))))
        }

        files.append(manifest(shardSizes: state.sizes))
        if !keepingShards { state.sizes = [:] }
        return (files.sorted { $0.path < $1.path }, state)
    }

    private static func appendOnce(_ id: Int, to ids: inout [Int]) {
        if ids.last != id { ids.append(id) }
    }

    /// `search.json`.
    private func manifest(shardSizes: [String: Int]) -> OutputFile {
        let manifest: Value = .object([
            "version": 1,
            "count": .int(documents.count),
            "chunk": .int(Self.chunkSize),
            "weights": .array(Field.allCases.map { .int($0.weight) }),
            "shards": .object(Object(shardSizes.mapValues { .int($0) })),
            "kinds": .object(kinds),
        ])
        return OutputFile(path: "search.json", source: .bytes(DataJSON.bytes(manifest)))
    }

    /// The file of the shard with key `key`.
    static func shardPath(_ key: String) -> String {
        "search/t/\(fileName(key)).json"
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

    /// What the shard layout needs of a term: its first `longestKey + 1`
    /// Unicode scalars (how many it has, when fewer) and the size it counts for.
    struct ShardTerm {
        var lead: [Unicode.Scalar]
        var size: Int
        var isASCII: Bool

        init(_ utf8: some Collection<UInt8>, size: Int) {
            self.size = size
            isASCII = utf8.allSatisfy { $0 < 0x80 }
            if isASCII {
                lead = utf8.prefix(SearchIndex.longestKey + 1).map { Unicode.Scalar($0) }
            } else {
                var scalars = String(decoding: utf8, as: UTF8.self).unicodeScalars.makeIterator()
                lead = []
                while lead.count <= SearchIndex.longestKey, let scalar = scalars.next() { lead.append(scalar) }
            }
        }
    }

    /// Terms grouped into shards by their first letters.
    /// - Returns: shard key → the terms it holds.
    static func shards(_ encoded: [String: [String]]) -> [String: [String]] {
        let terms = Array(encoded.keys)
        let items = terms.map { ShardTerm($0.utf8, size: size(of: $0, encoded)) }
        return shards(items).mapValues { $0.map { terms[$0] } }
    }

    /// Adds the shards of `terms`, which are all the terms starting with
    /// the same letter, to `result`. Which shards they make depends on these
    /// terms alone; no terms make no shard, as in a full build.
    static func shards(of terms: [String], _ encoded: [String: [String]], into result: inout [String: [String]]) {
        guard !terms.isEmpty else { return }
        let items = terms.map { ShardTerm($0.utf8, size: size(of: $0, encoded)) }
        for (key, members) in shards(items) { result[key] = members.map { terms[$0] } }
    }

    /// How much a term counts for in the size of its shard.
    private static func size(of term: String, _ encoded: [String: [String]]) -> Int {
        term.utf8.count + encoded[term]!.reduce(12) { $0 + $1.utf8.count }
    }

    /// The shards of `terms`: shard key → the positions in `terms` of the
    /// terms it holds. A shard starts as all terms with the same first
    /// letter and is split by the next letter while it is larger than
    /// `shardLimit`; a term as long as its shard's key stays in that shard.
    static func shards(_ terms: [ShardTerm]) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        func place(_ members: [Int], depth: Int) {
            let lead = terms[members[0]].lead
            let total = members.reduce(0) { $0 + terms[$1].size }
            if total <= shardLimit || depth >= longestKey {
                result[String(String.UnicodeScalarView(lead[..<depth]))] = members
                return
            }
            var own: [Int] = []
            var children: [Unicode.Scalar: [Int]] = [:]
            for member in members {
                let lead = terms[member].lead
                if lead.count == depth { own.append(member) } else { children[lead[depth], default: []].append(member) }
            }
            if !own.isEmpty { result[String(String.UnicodeScalarView(lead[..<depth]))] = own }
            for (_, group) in children { place(group, depth: depth + 1) }
        }
        var byFirst: [Unicode.Scalar: [Int]] = [:]
        for (position, term) in terms.enumerated() { byFirst[term.lead[0], default: []].append(position) }
        for (_, group) in byFirst { place(group, depth: 1) }
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
        // A text of no more bytes than the limit has no more characters either.
        guard text.utf8.count > summaryLimit, text.count > summaryLimit else { return text }
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
        var text: [UInt8] = []
        write(ids, count: count, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the text `encode` gives to `output`.
    static func write<IDs: Collection>(_ ids: IDs, count: Int, into output: inout [UInt8]) where IDs.Element: BinaryInteger {
        if ids.isEmpty { return }
        let bitmapLength = 1 + ((count + 7) / 8 * 4 + 2) / 3
        // Gaps first, as long as they stay no longer than the bitmap; a
        // gap of up to 64 bits takes at most 13 digits.
        let gaps = [UInt8](unsafeUninitializedCapacity: min(ids.count * 13, bitmapLength + 13)) { buffer, written in
            alphabet.withUnsafeBufferPointer { alphabet in
                var previous = -1
                for id in ids {
                    let id = Int(id)
                    let gap = id - previous
                    previous = id
                    var shift = 0
                    while gap >> (shift + 5) > 0 { shift += 5 }
                    while shift > 0 {
                        buffer[written] = alphabet[((gap >> shift) & 31) + 32]
                        written += 1
                        shift -= 5
                    }
                    buffer[written] = alphabet[gap & 31]
                    written += 1
                    if written > bitmapLength { return }
                }
            }
        }
        if gaps.count <= bitmapLength {
            output.append(contentsOf: gaps)
            return
        }

        var bits = [UInt8](repeating: 0, count: (count + 7) / 8)
        for id in ids {
            let id = Int(id)
            bits[id >> 3] |= 0x80 >> UInt8(id & 7)
        }
        output.append(UInt8(ascii: "~"))
        var index = 0
        while index < bits.count {
            let b0 = Int(bits[index])
            let b1 = index + 1 < bits.count ? Int(bits[index + 1]) : 0
            let b2 = index + 2 < bits.count ? Int(bits[index + 2]) : 0
            let chunk = b0 << 16 | b1 << 8 | b2
            let available = min(3, bits.count - index)
            for position in 0...available {
                output.append(alphabet[(chunk >> (18 - 6 * position)) & 63])
            }
            index += 3
        }
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
struct TermTable: Sendable {
    private var slots = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var starts: [Int] = [0]
    private var bytes: [UInt8] = []

    /// How many different terms there are.
    var count: Int { hashes.count }

    /// The hash of no bytes; `hash(_:adding:)` adds one byte to a hash.
    static let emptyHash: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func hash(_ hash: UInt64, adding byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    static func hash(_ term: UnsafeBufferPointer<UInt8>) -> UInt64 {
        term.reduce(emptyHash, hash(_:adding:))
    }

    /// The term's number, adding it when it is new.
    mutating func number(of term: UnsafeBufferPointer<UInt8>) -> Int {
        number(of: term, hash: Self.hash(term))
    }

    /// The term's number, adding it when it is new; `hash` is `hash(term)`.
    @inline(__always)
    mutating func number(of term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = Int(slots[index])
            if candidate < 0 { return add(term, hash: hash, at: index) }
            if hashes[candidate] == hash, starts[candidate + 1] - starts[candidate] == term.count, isTerm(candidate, term) {
                return candidate
            }
            index = (index + 1) & mask
        }
    }

    private func isTerm(_ number: Int, _ term: UnsafeBufferPointer<UInt8>) -> Bool {
        term.isEmpty || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + starts[number], term.baseAddress!, term.count) == 0 }
    }

    /// Adds a new term, whose slot would be `index`.
    @inline(never)
    private mutating func add(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64, at index: Int) -> Int {
        let number = hashes.count
        hashes.append(hash)
        bytes.append(contentsOf: term)
        starts.append(bytes.count)
        if (number + 1) * 2 > slots.count {
            // Keep the table at most half full.
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
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

    /// Calls `body` with the UTF-8 bytes of term `number`.
    func withBytes<Result>(of number: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[number]..<starts[number + 1]])) }
    }

    /// Calls `body` with the bytes of every term, for `bytes(of:in:)`.
    func withAllBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer(body)
    }

    /// The UTF-8 bytes of term `number` in the bytes `withAllBytes` gives.
    func bytes(of number: Int, in all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: all[starts[number]..<starts[number + 1]])
    }

    /// The text of term `number`.
    func text(_ number: Int) -> String {
        String(decoding: bytes[starts[number]..<starts[number + 1]], as: UTF8.self)
    }
}
