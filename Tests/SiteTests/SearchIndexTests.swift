import Foundation
import Testing
import Templates
@testable import Site

/// The files of the search index, checked against the same files made the
/// plain way: from values, through `DataJSON`, and shards laid out by the rules.
@Suite struct SearchIndexTests {
    /// An index large enough for shards to be split, with terms beyond ASCII
    /// in some of them, repeats, and facets whose names meet.
    static func largeIndex() -> SearchIndex {
        var index = SearchIndex(kinds: ["page": .object(["label": "Page"])])
        let letters = ["a", "é", "o", "ø", "b"]
        for n in 0..<700 {
            let words = (0..<40).map { k in "g\(letters[(n + k) % letters.count])\((n * 31 + k * 7) % 900)" }
            let facets: [(String, String)] = n % 2 == 0 ? [("type", "page"), ("a-b", "c")] : [("type", "page"), ("a", "b-c")]
            let summary = n % 7 == 0 ? String(repeating: "Long summary é ", count: 20) : "Short \(n)"
            index.add(
                SearchIndex.Document(kind: "page", title: "Page \(n) <&>", path: "p\(n)/", summary: summary, detail: "d\(n)", facets: facets),
                fields: [["Page \(n)"], [words[0]], [summary]], bodyHTML: "<p>" + words.joined(separator: " ") + "</p>")
        }
        return index
    }

    /// The shard layout as its rules have it, one term at a time.
    static func ruleLayout(_ encoded: [String: [String]]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        func size(_ term: String) -> Int { term.utf8.count + encoded[term]!.reduce(12) { $0 + $1.utf8.count } }
        func place(_ terms: [String], key: [Unicode.Scalar]) {
            let keyText = String(String.UnicodeScalarView(key))
            if terms.reduce(0, { $0 + size($1) }) <= SearchIndex.shardLimit || key.count >= SearchIndex.longestKey {
                result[keyText] = Set(terms)
                return
            }
            let own = terms.filter { $0.unicodeScalars.count == key.count }
            if !own.isEmpty { result[keyText] = Set(own) }
            let longer = terms.filter { $0.unicodeScalars.count > key.count }
            for next in Set(longer.map { Array($0.unicodeScalars)[key.count] }) {
                place(longer.filter { Array($0.unicodeScalars)[key.count] == next }, key: key + [next])
            }
        }
        for first in Set(encoded.keys.map { $0.unicodeScalars.first! }) {
            place(encoded.keys.filter { $0.unicodeScalars.first! == first }, key: [first])
        }
        return result
    }

    static func bytes(_ file: OutputFile) -> [UInt8] {
        guard case .bytes(let bytes) = file.source else { return [] }
        return bytes
    }

    @Test func filesAreThoseOfTheIndexAsValues() throws {
        let index = Self.largeIndex()
        let (files, state) = index.writtenFiles()
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, Self.bytes($0)) })
        #expect(files.map(\.path) == files.map(\.path).sorted())
        #expect(index.files().map(\.path) == files.map(\.path))
        #expect(index.files().map(Self.bytes) == files.map(Self.bytes))

        // Shards: laid out by the rules, split, each written as its object would be.
        #expect(state.layout.mapValues(Set.init) == Self.ruleLayout(state.encoded))
        #expect(state.layout.count > 5 && state.layout.keys.contains { $0.count > 1 })
        #expect(state.layout.keys.contains { !$0.utf8.allSatisfy { $0 < 0x80 } })
        #expect(Set(state.sizes.keys) == Set(state.layout.keys))
        for (key, terms) in state.layout {
            let written = try #require(byPath[SearchIndex.shardPath(key)])
            let object: Value = .object(Object(Dictionary(uniqueKeysWithValues: terms.map { term in
                (term, Value.array(state.encoded[term]!.map { .string($0) }))
            })))
            #expect(written == DataJSON.bytes(object))
            #expect(state.sizes[key] == written.count)
        }
        #expect(files.filter { $0.path.hasPrefix("search/t/") }.count == state.layout.count)

        // Every term with the documents it is in, field by field.
        let term = "ga0"
        let lists = try #require(state.encoded[term])
        #expect(PostingCode.decode(lists[3], count: 700) == (0..<700).filter { n in
            (0..<40).contains { k in (n + k) % 5 == 0 && (n * 31 + k * 7) % 900 == 0 }
        })

        // Records, 25 to a file, as their arrays would be.
        for chunk in 0..<28 {
            let records: [Value] = (chunk * 25..<min(700, chunk * 25 + 25)).map { n in
                let summary = n % 7 == 0 ? String(repeating: "Long summary é ", count: 20) : "Short \(n)"
                return .array(["page", .string("Page \(n) <&>"), .string("p\(n)/"), .string(SearchIndex.shortened(summary)), .string("d\(n)")])
            }
            #expect(byPath["search/d/\(chunk).json"] == DataJSON.bytes(.array(records)))
        }
        #expect(byPath["search/d/28.json"] == nil)

        // Facets: two whose names meet share one file with the documents of both.
        #expect(byPath["search/f/a-b-c.json"] == DataJSON.bytes(.string(PostingCode.encode(Array(0..<700), count: 700))))
        #expect(byPath["search/f/type-page.json"] == byPath["search/f/a-b-c.json"])
        #expect(files.filter { $0.path.hasPrefix("search/f/") }.count == 2)

        let manifestBytes = try #require(byPath["search.json"])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any])
        #expect(manifest["shards"] as? [String: Int] == state.sizes)
    }

    @Test func shortenedSummariesEndAtAWord() {
        #expect(SearchIndex.shortened("short") == "short")
        let exact = String(repeating: "é", count: SearchIndex.summaryLimit)
        #expect(SearchIndex.shortened(exact) == exact)
        let long = String(repeating: "word ", count: 40)
        let cut = SearchIndex.shortened(long)
        #expect(cut.hasSuffix("word…") && cut.count <= SearchIndex.summaryLimit)
    }

    @Test(arguments: [[Int](), [0], [3], [0, 1, 2, 3], [5, 6, 7, 40, 1000, 1001], Array(0..<300), [0, 33, 1 << 20, 1 << 40]])
    func postingListsAreWrittenAfterWhatIsThere(ids: [Int]) {
        let count = (ids.last ?? 0) + 1
        var bytes = Array("prefix".utf8)
        PostingCode.write(ids, count: count, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "prefix" + PostingCode.encode(ids, count: count))
        if count < 1 << 20 { #expect(PostingCode.decode(PostingCode.encode(ids, count: count), count: count) == ids) }
    }
}

@Suite struct SearchSectionTests {
    @Test(arguments: [
        ("2026-03-14", "14 March 2026"), ("0999-12-01", "1 December 999"), ("2026-01-31", "31 January 2026"),
        ("2026-13-01", "2026-13-01"), ("2026-00-10", "2026-00-10"), ("2026-3-14", "14 March 2026"),
        ("2026-03-1x", "2026-03-1x"), ("2026/03/14", "2026/03/14"), ("", ""), ("2026-03-14-01", "2026-03-14-01"),
    ])
    func datesAreWrittenLong(date: String, expected: String) {
        #expect(SearchSection.longDate(date) == expected)
    }
}
