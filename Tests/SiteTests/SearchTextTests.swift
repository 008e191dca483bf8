import Foundation
import Testing
import Templates
@testable import Site

/// How text becomes search terms, checked against the rules read one
/// Unicode scalar at a time over the whole text, and how the index lists them.
@Suite struct SearchTextTests {
    /// The rules of `SearchText` as they are written, over the NFD of the whole text.
    static func ruleTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var length = 0
        func finish() {
            if length >= 2 { terms.append(current) }
            current = ""
            length = 0
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x0300...0x036F).contains(scalar.value) || ["'", "\u{2019}", "\u{02BC}"].contains(scalar) { continue }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
                current += scalar.properties.lowercaseMapping
                length += 1
            default:
                finish()
            }
        }
        finish()
        return terms
    }

    /// The terms `forEachTerm(inUTF8:)` finds, each checked to come with its hash.
    static func terms(inUTF8 text: String) -> [String] {
        var bytes = Array(text.utf8)
        var terms: [String] = []
        SearchText.forEachTerm(inUTF8: &bytes) { (term: UnsafeBufferPointer<UInt8>, hash: UInt64) in
            #expect(hash == TermTable.hash(term))
            terms.append(String(decoding: term, as: UTF8.self))
        }
        return terms
    }

    @Test(arguments: [
        ("", []),
        ("   ,;.  ", []),
        ("a", []),
        ("ab", ["ab"]),
        ("Ab CD e FG9", ["ab", "cd", "fg9"]),
        ("don't DON'T 'quoted' o'", ["dont", "dont", "quoted"]),
        ("x'y", ["xy"]),
        ("''ab''cd''", ["abcd"]),
        ("Aidan's café", ["aidans", "cafe"]),
        ("Aidan'S'é", ["aidanse"]),
        ("AB'CD'ÉF'gh", ["abcdefgh"]),
        ("nai\u{0308}ve NAÏVE", ["naive", "naive"]),
        ("tea\u{00A0}time tea\u{2014}time", ["tea", "time", "tea", "time"]),
        ("ab.\u{0301}cd", ["ab", "cd"]),
        ("Straße ØRSTED Ωmega", ["straße", "ørsted", "ωmega"]),
        ("İstanbul \u{212B}ngström ǅemal", ["istanbul", "angstrom", "ǆemal"]),
        ("日本語 テキスト", ["日本語", "テキスト"]),
        ("x\u{0483}\u{0301}y", ["x\u{0483}y"]),
        ("end with é", ["end", "with"]),
        ("é", []),
        ("éé", ["ee"]),
    ] as [(String, [String])])
    func termsFollowTheRules(text: String, expected: [String]) {
        #expect(Self.ruleTerms(text) == expected)
        #expect(Self.terms(inUTF8: text) == expected)
        #expect(SearchText.terms(text) == expected)
    }

    @Test func longTermsAreKeptWhole() {
        let long = String(repeating: "Abc'd", count: 4000)
        #expect(Self.terms(inUTF8: "x \(long) y") == [String(repeating: "abcd", count: 4000)])
        let accented = String(repeating: "é", count: 3000) + "X"
        #expect(Self.terms(inUTF8: accented) == [String(repeating: "e", count: 3000) + "x"])
    }

    /// Text made of pieces that meet the rules' edges in every order: ASCII
    /// and other letters, apostrophes, marks, separators of both kinds.
    @Test func mixedTextGivesTheTermsOfTheRules() {
        let pieces = ["a", "Z", "7", "'", "’", "ʼ", " ", "-", ".", "é", "E\u{0301}", "\u{0301}", "\u{0483}", "\u{0591}\u{05B0}",
                      "ß", "Ø", "ǅ", "\u{00A0}", "—", "日", "ﬁ", "Å", "\u{212B}", "①", "\u{1F600}", "İ", "\n", "<"]
        // The same texts on every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<3000 {
            let text = (0..<next(25)).map { _ in pieces[next(pieces.count)] }.joined()
            #expect(Self.terms(inUTF8: text) == Self.ruleTerms(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func plainTextFindsTagsAndEntitiesWhereverTheyAre() {
        for before in 0..<20 {
            for after in 0..<12 {
                let x = String(repeating: "x", count: before), y = String(repeating: "y", count: after)
                #expect(PlainText.fromHTML("\(x)<b>\(y)&amp;z") == "\(x) \(y)&z")
                #expect(PlainText.fromHTML("\(x)&lt;\(y)<br>") == "\(x)<\(y) ")
                #expect(PlainText.fromHTML(x + y) == x + y)
            }
        }
    }

    @Test func termTableTakesTheHashGivenWithATerm() {
        var table = TermTable()
        var bytes = Array("garden garden library".utf8)
        var numbers: [Int] = []
        SearchText.forEachTerm(inUTF8: &bytes) { (term: UnsafeBufferPointer<UInt8>, hash: UInt64) in
            numbers.append(table.number(of: term, hash: hash))
        }
        #expect(numbers == [0, 0, 1])
        var term = "library"
        #expect(term.withUTF8 { table.number(of: $0) } == 1)
    }

    /// Every document is listed once under each field a term is in, however often the term is there.
    @Test func repeatsInADocumentAreListedOnce() throws {
        var index = SearchIndex(kinds: [:])
        func document(_ title: String) -> SearchIndex.Document {
            SearchIndex.Document(kind: "page", title: title, path: "\(title)/", summary: "", detail: "", facets: [("type", "page")])
        }
        index.add(document("one"), fields: [["Tea tea"], ["tea"], []], bodyHTML: "<p>tea TEA tea</p> cake")
        index.add(document("two"), fields: [["cake"], [], ["tea", "cake tea"]], bodyHTML: "")
        index.add(document("three"), fields: [["tea"], ["te", "a"], [""]], bodyHTML: "<b>tea</b>&amp;tea")
        var postings: [String: [String]] = [:]
        for file in index.files() where file.path.hasPrefix("search/t/") {
            guard case .bytes(let bytes) = file.source else { continue }
            let terms = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: [String]])
            postings.merge(terms) { $1 }
        }
        func ids(_ term: String) -> [[Int]] { (postings[term] ?? []).map { PostingCode.decode($0, count: 3) } }
        #expect(ids("tea") == [[0, 2], [0], [1], [0, 2]])
        #expect(ids("cake") == [[1], [], [1], [0]])
        // The texts of a field are apart: `te` and `a` are not `tea`.
        #expect(ids("te") == [[], [2], [], []])
        #expect(Set(postings.keys) == ["tea", "cake", "te"])
    }
}
