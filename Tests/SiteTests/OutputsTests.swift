import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
import Content
import Diagnostics
import Templates
@testable import Site

/// The search index, open data, feeds, structured data, print edition and
/// map of places: each output is read back and checked against the content.
@Suite struct OutputsTests {
    // MARK: - Fixtures

    /// The basic fixture with a public address, positions, phones and a few awkward characters.
    static var richContent: [String: String] {
        var files = FixtureSite.basicContent
        files["content/site.yml"] = """
            title: Testside
            description: A test neighbourhood
            language: en-GB
            base_url: https://example.org/testside/
            areas:
              - name: North End
              - name: Canal Side

            """
        files["content/assets/garden.md"] = files["content/assets/garden.md"]!.replacingOccurrences(of: """
            contact:
              website: https://garden.example.org
            """, with: """
            address: "Plot 4, Mill Lane, Testside"
            geo: {lat: 53.81, lon: -1.55}
            updated: 2026-04-02
            gifts: [seedlings, "compost, when there is some"]
            contact:
              website: https://garden.example.org
              email: beds@garden.example.org
              phone: 01632 960001
            """)
        files["content/assets/library.md"] = files["content/assets/library.md"]!.replacingOccurrences(
            of: "tags: [learning]\n", with: "tags: [learning]\ngeo: {lat: 53.79, lon: -1.53}\nsummary: \"Books, \\\"quiet\\\" rooms and tea\"\n")
            .replacingOccurrences(of: "summary: Books, computers and a warm room.\n", with: "")
        files["content/assets/ann.md"] = files["content/assets/ann.md"]!.replacingOccurrences(of: """
            contact:
              email: ann@example.org
            """, with: """
            address: 12 Private Road, Testside
            geo: {lat: 53.80, lon: -1.54}
            contact:
              email: ann@example.org
              phone: 07700 900123
              signal: ann-signal-handle
            """)
        files["content/stories/seed-swap.md"] = files["content/stories/seed-swap.md"]!.replacingOccurrences(
            of: "title: The seed swap", with: "title: \"Seeds & <swaps> \\\"for all\\\"\"")
        return files
    }

    /// Every template of the real theme in `templates/`, as fixture files.
    static func themeTemplates() throws -> [String: String] {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("templates")
        var templates: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
            templates["templates/" + relative] = try String(contentsOf: url, encoding: .utf8)
        }
        return templates
    }

    func build(_ site: FixtureSite) throws {
        _ = try SiteBuilder(options: BuildOptions(root: site.root)).build()
    }

    func json(_ site: FixtureSite, _ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: site.output.appendingPathComponent(path)), options: [.fragmentsAllowed])
    }

    // MARK: - Writing files

    struct Refused: Error {}

    @Test func streamedFilesAreWrittenAChunkAtATime() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let record = Array("0123456789abcdef\n".utf8)
        let records = 20_000
        let produce: @Sendable (inout OutputBuffer) throws -> Void = { output in
            for _ in 0..<records {
                output.bytes.append(contentsOf: record)
                // Never much more than a chunk is held.
                #expect(output.bytes.count < OutputBuffer.chunkSize + record.count)
                try output.flushIfFull()
            }
        }
        let path = site.root.appendingPathComponent("streamed.txt").path
        try FileSystem.createFile(atPath: path, producing: produce)
        let expected = Array(repeating: record, count: records).flatMap { $0 }
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        // Kept whole for a caller that needs the bytes: the same bytes.
        #expect(try OutputFile(path: "streamed.txt", source: .stream { output in
            for _ in 0..<records { output.bytes.append(contentsOf: record); try output.flushIfFull() }
        }).bytes() == expected)
        // An existing file is never written through.
        #expect(throws: Diagnostic.self) { try FileSystem.createFile(atPath: path, producing: produce) }
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    /// FIPS 180 examples, and lengths either side of a block boundary.
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (String(repeating: "a", count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
        (String(repeating: "a", count: 56), "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
        (String(repeating: "a", count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
        (String(repeating: "a", count: 1_000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"),
    ])
    func sha1GivesTheStandardDigests(message: String, digest: String) {
        let hex = SHA1.hash(Array(message.utf8)).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == digest)
    }

    @Test func foldersAtTheTopAreMadeOnceWhenManyThreadsWriteIntoThem() throws {
        let root = try TestSupport.temporaryDirectory("kith-top-folders")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let staging = try OutputWriter(root: root, output: output).begin()
        defer { staging.discard() }
        let tops = ["assets", "stories", "tags", "search", "map"]
        let failures = ResultSlots<String>(count: 400)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let path = "\(tops[index % tops.count])/item-\(index)/index.html"
            do {
                try staging.add(OutputFile(path: path, source: .bytes(Array("\(index)".utf8))))
            } catch {
                failures.set(index, "\(path): \(error)")
            }
        }
        #expect(failures.values.compactMap { $0 } == [])
        try staging.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == tops.sorted())
        for index in [0, 1, 199, 399] {
            let path = output.appendingPathComponent("\(tops[index % tops.count])/item-\(index)/index.html")
            #expect(try String(contentsOf: path, encoding: .utf8) == "\(index)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("assets").path).count == 80)
    }

    @Test func foldersMadeAheadHoldThePagesAndNothingElse() throws {
        let root = try TestSupport.temporaryDirectory("kith-ahead")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let staging = try OutputWriter(root: root, output: output).begin()
        defer { staging.discard() }
        let folders = (0..<600).map { "assets/a-\($0)" } + (0..<50).map { "stories/s-\($0)" }
        // A name that is not a plain path inside the output is passed over.
        staging.makeAhead(folders + ["../outside", "assets/../../x"])
        // Pages are written meanwhile, from several threads, some before their folder is made ahead.
        let failures = ResultSlots<String>(count: folders.count)
        DispatchQueue.concurrentPerform(iterations: folders.count) { index in
            let path = folders[folders.count - 1 - index] + "/index.html"
            do {
                try staging.add(OutputFile(path: path, source: .bytes(Array(path.utf8))))
            } catch {
                failures.set(index, "\(path): \(error)")
            }
        }
        #expect(failures.values.compactMap { $0 } == [])
        try staging.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("assets").path).count == 600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("stories").path).count == 50)
        for folder in ["assets/a-0", "assets/a-599", "stories/s-49"] {
            #expect(try String(contentsOf: output.appendingPathComponent(folder + "/index.html"), encoding: .utf8)
                == folder + "/index.html")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["public"])
    }

    @Test func aBuildGivenUpWhileFoldersAreMadeAheadLeavesNothing() throws {
        let root = try TestSupport.temporaryDirectory("kith-ahead-discard")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        try TestSupport.write(["public/index.html": "the previous build"], under: root)
        for _ in 0..<3 {
            let staging = try OutputWriter(root: root, output: output).begin()
            staging.makeAhead((0..<5_000).map { "assets/a-\($0)" })
            try staging.add(OutputFile(path: "assets/a-1/index.html", source: .bytes([1])))
            staging.discard()
            // The folder thread is stopped and waited for before the staging folder goes.
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["public"])
        }
        #expect(try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8) == "the previous build")
    }

    /// Records the marks a `FolderSpreading` sets and clears, as "+path" and "-path" relative to `root`.
    final class MarkLog: @unchecked Sendable {
        let root: String
        let allows: Bool
        private let lock = NSLock()
        private var entries: [String] = []
        init(root: String, allows: Bool) { self.root = root; self.allows = allows }
        var marks: [String] { lock.lock(); defer { lock.unlock() }; return entries }
        func mark(_ path: String, _ on: Bool) -> Bool {
            lock.lock(); defer { lock.unlock() }
            let name = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
            entries.append((on ? "+" : "-") + name)
            return allows
        }
    }

    /// Writes empty files at `paths` through a staging folder whose marks
    /// are recorded, and publishes it. The caller removes `root`.
    private func publishRecordingMarks(_ paths: [String], every: Int, allows: Bool) throws
        -> (root: URL, output: URL, log: MarkLog, staging: String)
    {
        let root = try TestSupport.temporaryDirectory("kith-spreading")
        let output = root.appendingPathComponent("public")
        let log = MarkLog(root: root.path, allows: allows)
        let staging = try OutputWriter(root: root, output: output).begin(
            spreading: FolderSpreading(every: every, mark: { log.mark($0, $1) }))
        defer { staging.discard() }
        for path in paths { try staging.add(OutputFile(path: path, source: .bytes([]))) }
        try staging.commit()
        return (root, output, log, String(staging.folder.path.dropFirst(root.path.count)))
    }

    @Test func onePageFolderInEveryFewIsMadeWhileItsSectionIsMarked() throws {
        // A second file in a folder made already, and files outside any page folder, count for nothing.
        let paths = (0..<10).map { "assets/a-\($0)/index.html" }
            + ["assets/a-0/photo.txt", "index.html", "map/areas/north/index.html"]
            + (0..<3).map { "stories/s-\($0)/index.html" }
        let (root, output, log, staging) = try publishRecordingMarks(paths, every: 4, allows: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let assets = staging + "/assets", stories = staging + "/stories"
        // Page folders 1, 5, 9 and 13 of 14: `map/areas` is the eleventh, and
        // `map/areas/north`, a level further down, is not counted.
        #expect(log.marks == [
            "+" + staging,
            "+" + assets, "-" + assets, "+" + assets, "-" + assets, "+" + assets, "-" + assets,
            "+" + stories, "-" + stories,
            "-" + staging,
        ])
        for path in paths {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test func whereFoldersCannotBeMarkedTheyAreMadeAsUsual() throws {
        let (root, output, log, _) = try publishRecordingMarks(
            (0..<5).map { "tags/t-\($0)/index.html" }, every: 1, allows: false)
        defer { try? FileManager.default.removeItem(at: root) }
        // Tried once on the staging folder, then never again.
        #expect(log.marks.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("tags").path).count == 5)
    }

    @Test func thePublishedOutputCarriesNoMark() throws {
        // On this machine's own file system: marked where it can be, cleared before the swap.
        let root = try TestSupport.temporaryDirectory("kith-spreading-real")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let staging = try OutputWriter(root: root, output: output).begin(spreading: FolderSpreading(every: 2))
        defer { staging.discard() }
        for index in 0..<6 { try staging.add(OutputFile(path: "assets/a-\(index)/index.html", source: .bytes([1]))) }
        try staging.commit()
        for folder in ["", "assets", "assets/a-0", "assets/a-1"] {
            #expect(FileSystem.isMarkedTopOfTree(output.appendingPathComponent(folder).path) != true, "\(folder)")
        }
    }

    @Test func aFolderListsEveryNameWhateverItsLength() throws {
        // Names from 1 to 255 bytes, many of them, so that entries end at
        // every place of the folder's buffer, the last one included.
        let folder = try TestSupport.temporaryDirectory("kith-entry-names")
        defer { try? FileManager.default.removeItem(at: folder) }
        var expected: Set<[UInt8]> = []
        for index in 0..<1_500 {
            let length = 1 + index % 255
            var name = Array(String(index).utf8)
            name += repeatElement(UInt8(ascii: "n"), count: max(0, length - name.count))
            if index % 7 == 0 { name = Array("é-\(index)".utf8) }
            expected.insert(name)
            #expect(FileManager.default.createFile(
                atPath: folder.appendingPathComponent(String(decoding: name, as: UTF8.self)).path, contents: Data()))
        }
        guard let open = opendir(folder.path) else { Issue.record("cannot open \(folder.path)"); return }
        defer { closedir(open) }
        let names = FileSystem.entryNames(of: open)
        #expect(names.count == expected.count)
        #expect(Set(names) == expected)
    }

    @Test func aFailingStreamPublishesNothing() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let output = site.root.appendingPathComponent("out")
        let writer = OutputWriter(root: site.root, output: output)
        let files = [
            OutputFile(path: "a.txt", source: .bytes(Array("a".utf8))),
            OutputFile(path: "data/big.json", source: .stream { output in
                output.bytes.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: OutputBuffer.chunkSize * 2))
                try output.flushIfFull()
                throw Refused()
            }),
        ]
        #expect(throws: Refused.self) { _ = try writer.write(files) }
        let names = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
        #expect(!names.contains("out"))
        #expect(!names.contains { $0.contains("building") })
    }

    @Test func everySectionFileIsWrittenOnce() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        let model = try #require(SiteBuilder.prepare(root: site.root, includeDrafts: false, mode: .build).model)
        let plan = PagePlan(model: model)
        let expected = plan.sections.flatMap { $0.files().map(\.path) }
        let written = Locked<[String]>([])
        let result = plan.files { file in
            _ = try file.bytes()
            written.update { $0.append(file.path) }
        }
        #expect(result.error == nil)
        #expect(result.count == expected.count)
        #expect(written.value.sorted() == expected.sorted())
        #expect(Set(expected).count == expected.count)
        #expect(expected.contains("directory.json") && expected.contains("sitemap.xml") && expected.contains("search.json"))

        let failing = plan.files { file in
            if file.path == "hsds/services.csv" { throw Refused() }
        }
        #expect(failing.error is Refused)
        #expect(failing.count < expected.count)
    }

    /// A value several threads may change, one at a time.
    final class Locked<T>: @unchecked Sendable {
        private var stored: T
        private let lock = NSLock()
        init(_ value: T) { stored = value }
        var value: T { lock.withLock { stored } }
        func update(_ change: (inout T) -> Void) { lock.withLock { change(&stored) } }
    }

    // MARK: - Search

    @Test(arguments: [
        ("Café au lait", ["cafe", "au", "lait"]),
        ("St Aidan's, St Aidan’s", ["st", "aidans", "st", "aidans"]),
        ("a b cd", ["cd"]),
        ("TOOL-library 2026", ["tool", "library", "2026"]),
        ("Straße Ørsted", ["straße", "ørsted"]),
    ])
    func searchTerms(text: String, expected: [String]) {
        #expect(SearchText.terms(text) == expected)
        var bytes = Array(text.utf8)
        var inPlace: [String] = []
        SearchText.forEachTerm(inUTF8: &bytes) { inPlace.append(String(decoding: $0, as: UTF8.self)) }
        #expect(inPlace == expected)
    }

    @Test func plainTextOfHTMLIsSplitLikeAnyText() {
        let html = #"<p>Tea &amp; <a href="x">TOAST</a>&#39;s here&nbsp;caf&eacute; Café &bogus; x</p>"#
        let text = PlainText.fromHTML(html)
        #expect(text == " Tea &  TOAST 's here\u{00A0}caf&eacute; Café &bogus; x ")
        var bytes = PlainText.bytes(fromHTML: html)
        var terms: [String] = []
        SearchText.forEachTerm(inUTF8: &bytes) { terms.append(String(decoding: $0, as: UTF8.self)) }
        #expect(terms == SearchText.terms(text))
        #expect(terms == ["tea", "toast", "here", "caf", "eacute", "cafe", "bogus"])
        // What is not an entity or a finished tag stays as it was, or is dropped to the end.
        #expect(PlainText.fromHTML("a & b &lt;&gt; &abcdefghijklmnop; x &amp") == "a & b <> &abcdefghijklmnop; x &amp")
        #expect(PlainText.fromHTML("<b>bold</b") == " bold ")
        #expect(PlainText.fromHTML("&&amp;&#x41;&#66;") == "&&AB")
    }

    @Test(arguments: [[Int](), [0], [5, 6, 7, 40, 1000, 1001], Array(0..<300), Array(stride(from: 0, to: 3000, by: 2))])
    func postingListsRoundTrip(ids: [Int]) {
        let count = 3001
        let text = PostingCode.encode(ids, count: count)
        #expect(PostingCode.decode(text, count: count) == ids)
        #expect(text.utf8.allSatisfy { $0 == UInt8(ascii: "~") || PostingCode.alphabet.contains($0) })
        if ids.count > 1000 { #expect(text.hasPrefix("~")) }
    }

    @Test func searchIndexFindsEveryDocumentByItsWords() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        try build(site)
        let manifest = try #require(try json(site, "search.json") as? [String: Any])
        let count = try #require(manifest["count"] as? Int)
        let chunk = try #require(manifest["chunk"] as? Int)
        let shards = try #require(manifest["shards"] as? [String: Int])
        #expect(count == 5) // three assets, one story, one page
        #expect(manifest["weights"] as? [Int] == [8, 4, 2, 1])

        // Every record, in document order.
        var records: [[String]] = []
        for n in 0..<((count + chunk - 1) / chunk) {
            records += try #require(try json(site, "search/d/\(n).json") as? [[String]])
        }
        #expect(records.map { $0[1] } == ["Ann Baker", "Community Garden", "Northside Library", "Seeds & <swaps> \"for all\"", "About"])
        #expect(records[1] == ["space", "Community Garden", "assets/garden/", "Raised beds and a polytunnel open to all.", "North End"])

        // Every shard is listed with its true size, and every term lives in the shard its first letters name.
        var postings: [String: [String]] = [:]
        for (key, size) in shards {
            let path = "search/t/\(SearchIndex.fileName(key)).json"
            let bytes = try Data(contentsOf: site.output.appendingPathComponent(path))
            #expect(bytes.count == size)
            let terms = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: [String]])
            for (term, lists) in terms {
                #expect(term.hasPrefix(key))
                postings[term] = lists
            }
        }
        func documents(_ term: String, field: SearchIndex.Field) -> [String] {
            PostingCode.decode(postings[term]?[field.rawValue] ?? "", count: count).map { records[$0][1] }
        }
        #expect(documents("garden", field: .title) == ["Community Garden"])
        #expect(documents("garden", field: .body).contains("Community Garden"))
        #expect(documents("gardening", field: .meta) == ["Community Garden"])
        #expect(documents("compost", field: .meta) == ["Community Garden"])
        #expect(documents("swaps", field: .title) == ["Seeds & <swaps> \"for all\""])
        #expect(documents("mill", field: .summary) == ["Community Garden"])

        // Facets: a type, an area (stories count in the areas of their assets) and a tag.
        func facet(_ name: String) throws -> [String] {
            let text = try #require(try json(site, "search/f/\(name).json") as? String)
            return PostingCode.decode(text, count: count).map { records[$0][1] }
        }
        #expect(try facet("type-space") == ["Community Garden"])
        #expect(try facet("type-story") == ["Seeds & <swaps> \"for all\""])
        #expect(try facet("area-north-end") == ["Community Garden", "Seeds & <swaps> \"for all\""])
        #expect(try facet("tag-food") == ["Community Garden", "Seeds & <swaps> \"for all\""])
    }

    @Test func largeIndexesAreSplitIntoSmallShards() {
        var encoded: [String: [String]] = [:]
        for n in 0..<3000 { encoded["ga\(n)"] = [String(repeating: "A", count: 20), "", "", ""] }
        encoded["go"] = ["B", "", "", ""]
        let shards = SearchIndex.shards(encoded)
        #expect(Set(shards.values.flatMap { $0 }) == Set(encoded.keys))
        #expect(shards["g"] == nil)
        #expect(shards["go"] == ["go"])
        for (key, terms) in shards {
            #expect(terms.allSatisfy { $0.hasPrefix(key) })
            let size = terms.reduce(0) { $0 + $1.utf8.count + encoded[$1]!.reduce(12) { $0 + $1.utf8.count } }
            #expect(size <= SearchIndex.shardLimit || key.count == SearchIndex.longestKey)
        }
        #expect(SearchIndex.fileName("gé") == "g-e9-")
    }

    @Test(arguments: [["go", "ga10", "ga2", "g"], ["gé", "ge", "gz", "gÉ", "g\u{301}"]])
    func shardsAreWrittenAsTheirObjectWouldBe(terms: [String]) {
        var encoded: [String: [String]] = [:]
        for (n, term) in terms.enumerated() { encoded[term] = ["A\(n)", "", "~<&", "B"] }
        let object: Value = .object(Object(encoded.mapValues { .array($0.map { .string($0) }) }))
        #expect(SearchIndex.shardBytes(terms, encoded) == DataJSON.bytes(object))
    }

    // MARK: - Open data

    @Test func directoryJSONHoldsEveryPublishedAssetWithItsConnections() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        try build(site)
        let directory = try #require(try json(site, "directory.json") as? [String: Any])
        let assets = try #require(directory["assets"] as? [[String: Any]])
        #expect(assets.map { $0["slug"] as? String } == ["ann", "garden", "library"])
        let garden = assets[1], ann = assets[0]
        #expect(garden["title"] as? String == "Community Garden")
        #expect(garden["address"] as? String == "Plot 4, Mill Lane, Testside")
        #expect((garden["geo"] as? [String: Double])?["lat"] == 53.81)
        #expect((garden["contact"] as? [String: String])?["phone"] == "01632 960001")
        #expect(garden["url"] as? String == "https://example.org/testside/assets/garden/")
        #expect(garden["gifts"] as? [String] == ["seedlings", "compost, when there is some"])
        let connections = try #require(garden["connections"] as? [[String: Any]])
        #expect(connections.first?["to"] as? String == "library")
        #expect(connections.first?["kind"] as? String == "partners with")
        let incoming = try #require(garden["connected_from"] as? [[String: Any]])
        #expect(incoming.first?["from"] as? String == "ann")
        #expect(garden["mentions"] as? [String] == ["library"])
        #expect(garden["stories"] as? [String] == ["seed-swap"])
        #expect(ann["contact"] is NSNull)
        #expect(ann["address"] is NSNull)
        #expect(ann["geo"] is NSNull)
        let stories = try #require(directory["stories"] as? [[String: Any]])
        #expect(stories.first?["assets"] as? [String] == ["garden", "library"])
    }

    /// A value read back by `JSONSerialization` as a template `Value`
    /// (every number as a double; `DataJSON` writes whole doubles as integers).
    static func value(_ any: Any) -> Value {
        switch any {
        case let text as String: .string(text)
        case let number as NSNumber: .double(number.doubleValue)
        case let list as [Any]: .array(list.map(value))
        case let object as [String: Any]: .object(Object(object.mapValues(value)))
        default: .null
        }
    }

    @Test func directoryJSONIsWrittenAsOneValueWouldBe() throws {
        var files = Self.richContent
        // An asset without areas, connections or stories, whose title and body need escaping.
        files["content/assets/shed.md"] = "---\ntitle: \"Tool </script> Shed\"\ntype: space\nsummary: Tools.\n---\nTabs\tand \u{2028} lines.\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        try build(site)
        let written = try Data(contentsOf: site.output.appendingPathComponent("directory.json"))
        let value = Self.value(try JSONSerialization.jsonObject(with: written))
        #expect(DataJSON.bytes(value, pretty: true, lineDepth: 2) == Array(written))
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains("\n  \"assets\": [\n    {\"accessibility\":"))
        #expect(text.contains("Tool \\u003c/script\\u003e Shed"))

        // Streamed a chunk at a time or kept whole, the bytes are the same.
        let model = try #require(SiteBuilder.prepare(root: site.root, includeDrafts: false, mode: .build).model)
        let file = try #require(OpenDataSection(model: model).files().first)
        #expect(file.path == "directory.json")
        #expect(try file.bytes() == Array(written))
    }

    @Test func hsdsExportUsesTheFieldsOfHSDS11() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        try build(site)
        let fixture = TestSupport.hsdsFixtures.appendingPathComponent("openreferral-1.1/datapackage.json")
        var reference: [String: [String]] = [:]
        if let package = try JSONSerialization.jsonObject(with: try Data(contentsOf: fixture)) as? [String: Any],
           let resources = package["resources"] as? [[String: Any]] {
            for resource in resources {
                let fields = ((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]]) ?? []
                reference[resource["name"] as? String ?? ""] = fields.compactMap { $0["name"] as? String }
            }
        }

        let package = try #require(try json(site, "hsds/datapackage.json") as? [String: Any])
        let resources = try #require(package["resources"] as? [[String: Any]])
        #expect(Set(resources.compactMap { $0["path"] as? String }) == [
            "organizations.csv", "services.csv", "locations.csv", "services_at_location.csv", "physical_addresses.csv", "phones.csv",
        ])
        var tables: [String: [[String: String]]] = [:]
        for resource in resources {
            let name = try #require(resource["name"] as? String)
            let path = try #require(resource["path"] as? String)
            let fields = ((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            if !reference.isEmpty { #expect(fields == reference[name], "fields of \(name)") }
            #expect(fields == HSDSExport.tables.first { $0.resource == name }?.header)
            let rows = try CSV.parse(site.read("hsds/" + path))
            #expect(rows.first == fields, "header of \(path)")
            #expect(rows.dropFirst().allSatisfy { $0.count == fields.count }, "width of \(path)")
            tables[name] = rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(fields, $0)) }
        }

        let organizations = try #require(tables["organization"])
        #expect(organizations.map { $0["name"] } == ["Ann Baker", "Community Garden", "Northside Library"])
        // Name-based UUIDs: the same for the same slug on every build and every machine.
        #expect(organizations[1]["id"] == "ffaaac89-8979-5431-93ad-0783cc79f3ba")
        #expect(organizations[1]["email"] == "beds@garden.example.org")
        #expect(organizations[1]["url"] == "https://garden.example.org")
        #expect(organizations[0]["email"] == "")
        #expect(organizations[2]["description"] == "Books, \"quiet\" rooms and tea")
        let ids = Set(organizations.compactMap { $0["id"] })
        let services = try #require(tables["service"])
        #expect(services.allSatisfy { ids.contains($0["organization_id"] ?? "") && $0["status"] == "active" })
        #expect(services.map { $0["id"] }.contains("bc5c1408-d375-5998-822d-f6cc96b233d1"))
        let locations = try #require(tables["location"])
        #expect(locations.map { $0["name"] } == ["Community Garden", "Northside Library"])
        #expect(locations[0]["latitude"] == "53.81" && locations[0]["longitude"] == "-1.55")
        let addresses = try #require(tables["physical_address"])
        #expect(addresses.map { $0["address_1"] } == ["Plot 4, Mill Lane, Testside"])
        #expect(addresses[0]["location_id"] == locations[0]["id"])
        let phones = try #require(tables["phone"])
        #expect(phones.map { $0["number"] } == ["01632 960001"])
        #expect(try #require(tables["service_at_location"]).count == 2)
    }

    @Test func dataJSONCannotEndAScript() throws {
        let value: Value = .object(["name": .string("</script>\u{2028}&\u{2029}\"\\"), "n": .double(53.8), "list": [1, .null, true]])
        let text = DataJSON.string(value)
        #expect(text == #"{"list":[1,null,true],"n":53.8,"name":"\u003c/script\u003e\u2028\u0026\u2029\"\\"}"#)
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(back["name"] as? String == "</script>\u{2028}&\u{2029}\"\\")
        let pretty = String(decoding: DataJSON.bytes(value, pretty: true), as: UTF8.self)
        #expect(pretty.hasPrefix("{\n  \"list\": [\n    1,"))
        #expect(try JSONSerialization.jsonObject(with: Data(pretty.utf8)) is [String: Any])
    }

    @Test(arguments: ["plain", "with, comma", "with \"quotes\"", "two\r\nlines", "new\nline", "", " spaced "])
    func csvFieldsRoundTrip(field: String) throws {
        var table = CSVText(header: ["a", "b"])
        table.append([field, "x"])
        let rows = try CSV.parse(String(decoding: table.bytes, as: UTF8.self))
        #expect(rows == [["a", "b"], [field, "x"]])
    }

    // MARK: - Feeds and search engines

    @Test func feedSitemapAndRobotsUseTheBaseURL() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        try build(site)
        let feed = try XMLTree.parse(site.output.appendingPathComponent("stories/feed.xml"))
        #expect(feed.name == "feed")
        let entries = feed.children("entry")
        #expect(entries.count == 1)
        #expect(entries[0].child("title")?.text == "Seeds & <swaps> \"for all\"")
        #expect(entries[0].child("id")?.text == "https://example.org/testside/stories/seed-swap/")
        #expect(entries[0].child("link")?.attributes["href"] == "https://example.org/testside/stories/seed-swap/")
        #expect(entries[0].child("published")?.text == "2026-03-14T00:00:00Z")
        #expect(entries[0].child("author")?.child("name")?.text == "Sam")
        let content = try #require(entries[0].child("content"))
        #expect(content.attributes["type"] == "html")
        #expect(content.attributes["xml:base"] == "https://example.org/testside/stories/seed-swap/")
        #expect(content.text.contains(#"<a href="../../assets/garden/index.html">the garden</a>"#))

        let sitemap = try XMLTree.parse(site.output.appendingPathComponent("sitemap.xml"))
        let locations = sitemap.children("url").compactMap { $0.child("loc")?.text }
        #expect(locations.first == "https://example.org/testside/")
        #expect(locations.contains("https://example.org/testside/assets/garden/"))
        #expect(locations.contains("https://example.org/testside/tags/food/"))
        #expect(locations.contains("https://example.org/testside/print/"))
        #expect(!locations.contains { $0.contains("404") || $0.contains("search") })
        #expect(sitemap.children("url").first { $0.child("loc")?.text.hasSuffix("/garden/") == true }?.child("lastmod")?.text == "2026-04-02")
        #expect(try site.read("robots.txt").contains("Sitemap: https://example.org/testside/sitemap.xml"))
    }

    @Test func theSitemapListsEveryPageThatIsWritten() throws {
        let site = try FixtureSite(files: Self.richContent, templates: try Self.themeTemplates())
        defer { site.remove() }
        try build(site)
        let sitemap = try XMLTree.parse(site.output.appendingPathComponent("sitemap.xml"))
        let listed = sitemap.children("url").compactMap { $0.child("loc")?.text }
        #expect(Set(listed).count == listed.count)
        // Every page but those that ask not to be indexed (the search page).
        let pages = try site.snapshot().filter { path, bytes in
            (path == "index.html" || path.hasSuffix("/index.html"))
                && !String(decoding: bytes, as: UTF8.self).contains(#"<meta name="robots" content="noindex">"#)
        }.keys.map { "https://example.org/testside/" + $0.dropLast("index.html".count) }
        #expect(!pages.contains("https://example.org/testside/search/"))
        #expect(pages.contains("https://example.org/testside/map/insights/"))
        #expect(Set(listed) == Set(pages))
    }

    @Test func xmlTextIsEscapedAndKeepsOnlyWhatXMLMayHold() {
        #expect(XMLText.escaped("a&b<c>\"d'e\u{1}f\tg\u{FFFE}h\u{FFFF}i\u{FFFD}ÿ\u{EFFF}\r\n") == "a&amp;b&lt;c&gt;&quot;d&apos;ef\tghi\u{FFFD}ÿ\u{EFFF}\r\n")
        #expect(XMLText.escaped("https://example.org/assets/garden/") == "https://example.org/assets/garden/")
        #expect(XMLText.escaped("") == "")
        #expect(XMLText.element("title", "Fish & chips") == "<title>Fish &amp; chips</title>")
    }

    @Test func withoutBaseURLThereIsNoFeedOrSitemap() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try build(site)
        #expect(!site.exists("stories/feed.xml"))
        #expect(!site.exists("sitemap.xml"))
        #expect(site.exists("robots.txt"))
        #expect(try !site.read("robots.txt").contains("Sitemap"))
    }

    @Test func jsonLDCannotBeClosedByATitle() throws {
        var files = Self.richContent
        files["content/assets/library.md"] = """
            ---
            title: "</script><script>alert(1)</script> Library"
            type: institution
            summary: "Ends </SCRIPT > here & <!-- there"
            ---
            Open.

            """
        let site = try FixtureSite(files: files, templates: try Self.themeTemplates())
        defer { site.remove() }
        try build(site)
        let html = try site.read("assets/library/index.html")
        #expect(!html.contains("<script>alert"))
        let opening = #"<script type="application/ld+json">"#
        let start = try #require(html.range(of: opening))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let text = String(html[start.upperBound..<end.lowerBound])
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("\u{2028}"))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(data["name"] as? String == "</script><script>alert(1)</script> Library")
        #expect(data["@type"] as? String == "Organization")
        #expect(data["url"] as? String == "https://example.org/testside/assets/library/")

        let story = try site.read("stories/seed-swap/index.html")
        let storyStart = try #require(story.range(of: opening))
        let storyEnd = try #require(story.range(of: "</script>", range: storyStart.upperBound..<story.endIndex))
        let article = try #require(try JSONSerialization.jsonObject(with: Data(story[storyStart.upperBound..<storyEnd.lowerBound].utf8)) as? [String: Any])
        #expect(article["@type"] as? String == "Article")
        #expect(article["headline"] as? String == "Seeds & <swaps> \"for all\"")
        #expect((article["about"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Community Garden", "</script><script>alert(1)</script> Library"])
        #expect(story.contains(#"<link rel="canonical" href="https://example.org/testside/stories/seed-swap/">"#))
        #expect(story.contains(#"<meta property="og:type" content="article">"#))
        #expect(story.contains(#"<link rel="alternate" type="application/atom+xml""#))
    }

    @Test(arguments: [("individual", "Person"), ("association", "Organization"), ("institution", "Organization"),
                      ("space", "Place"), ("economy", "LocalBusiness"), ("culture", "Organization"), ("boat", "Thing")])
    func schemaTypes(type: String, expected: String) {
        #expect(StructuredData.schemaType(type) == expected)
    }

    // MARK: - Links, print, places

    @Test func everyInternalLinkResolvesUnderASubPath() throws {
        let site = try FixtureSite(files: Self.richContent, templates: try Self.themeTemplates())
        defer { site.remove() }
        try build(site)
        let files = try site.snapshot()
        let host = URL(string: "https://host.example/some/sub/path/")!
        let pattern = try NSRegularExpression(pattern: #"\s(?:href|src|action|data-search-index|data-search-root)="([^"]*)""#)
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            // The 404 page is served at any depth; with <base> its links are relative to the site root.
            let page = html.contains("<base href=") ? host.appendingPathComponent("404.html") : URL(string: path, relativeTo: host)!
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                let reference = String(html[Range(match.range(at: 1), in: html)!]).replacingOccurrences(of: "&amp;", with: "&")
                if reference.hasPrefix("#") || reference.hasPrefix("mailto:") || reference.hasPrefix("tel:") { continue }
                if reference.hasPrefix("https://") || reference.hasPrefix("http://") { continue }
                #expect(!reference.hasPrefix("/"), "root-relative link in \(path): \(reference)")
                let resolved = try #require(URL(string: reference, relativeTo: page)?.absoluteURL)
                let root = "/some/sub/path/"
                #expect(resolved.path.hasPrefix(root), "\(reference) in \(path) leaves the sub-path")
                let target = String(resolved.path.dropFirst(root.count))
                #expect(files[target] != nil, "\(path) links to \(reference), which does not exist")
                checked += 1
            }
        }
        #expect(checked > 100)
        for required in ["search.json", "directory.json", "hsds/datapackage.json", "static/search.js", "print/index.html", "places/index.html"] {
            #expect(files[required] != nil, "missing \(required)")
        }
    }

    @Test func printEditionGroupsByTypeThenArea() throws {
        var files = Self.richContent
        files["content/assets/shed.md"] = "---\ntitle: Tool Shed\ntype: space\nsummary: Tools.\narea: Canal Side\nstatus: closed\n---\n"
        files["content/assets/field.md"] = "---\ntitle: Big Field\ntype: space\nsummary: Grass.\n---\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        try build(site)
        let html = try site.read("print/index.html")
        let heading = try NSRegularExpression(pattern: "<h([23])>([^<]*)<")
        let headings = heading.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            html[Range(match.range(at: 1), in: html)!] + ":" + html[Range(match.range(at: 2), in: html)!]
        }
        #expect(headings == ["2:Individuals", "3:", "2:Institutions", "3:Canal Side", "2:Spaces", "3:North End", "3:"])
        #expect(html.contains(#"<a href="../assets/garden/index.html">Community Garden</a>|Plot 4, Mill Lane, Testside|beds@garden.example.org|01632 960001"#))
        #expect(html.contains(#"<a href="../assets/ann/index.html">Ann Baker</a>|||"#))
        #expect(!html.contains("Tool Shed"))
        #expect(html.range(of: "Community Garden")!.lowerBound < html.range(of: "Big Field")!.lowerBound)
    }

    @Test func printEntriesSharingSiteAssetsAreTheEntriesBuiltAfresh() throws {
        var files = Self.richContent
        files["content/assets/shed.md"] = "---\ntitle: Tool Shed\ntype: space\nsummary: Tools.\narea: Canal Side\nstatus: closed\n---\n"
        // A website the data files leave out, so the entry's contact differs from the asset value's.
        files["content/assets/lane.md"] = "---\ntitle: Lane Club\ntype: association\nsummary: Walks.\nconnections: [garden]\ncontact:\n  website: ftp://lane.example.org\n  email: walk@example.org\n---\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        let prepared = SiteBuilder.prepare(root: site.root, includeDrafts: false, mode: .build)
        let model = try #require(prepared.model)
        let job = try #require(prepared.pages.first { $0.path == PrintSection.pagePath })
        let siteAssets = try #require(PrintSection.siteAssets(in: job.context))
        #expect(siteAssets.count == model.assetsByTitle.count)
        let section = PrintSection(model: model)
        let value = section.printValue(siteAssets: siteAssets)
        #expect(value == section.printValue())

        guard case .object(let print) = value, case .array(let groups)? = print["groups"] else { Issue.record("no groups"); return }
        var entries: [String: Object] = [:]
        for case .object(let group) in groups {
            guard case .array(let areas)? = group["areas"] else { continue }
            for case .object(let area) in areas {
                guard case .array(let assets)? = area["assets"] else { continue }
                for case .object(let entry) in assets { if case .string(let slug)? = entry["slug"] { entries[slug] = entry } }
            }
        }
        #expect(entries["shed"] == nil)
        let lane = try #require(entries["lane"])
        let expectedKeys = Set(model.views.assetFields(model.assetsBySlug["lane"]!, links: AssetLinks()).keys).subtracting(PrintSection.leftOut)
        #expect(Set(lane.keys) == expectedKeys)
        guard case .object(let contact)? = lane["contact"] else { Issue.record("no contact"); return }
        #expect(contact["website"] == .null)
        #expect(contact["email"] == .string("walk@example.org"))
        let ann = try #require(entries["ann"])
        #expect(ann["address"] == .null && ann["geo"] == .null && ann["contact"] == .null)
    }

    @Test func placesAreProjectedIntoTheBox() throws {
        let site = try FixtureSite(files: Self.richContent)
        defer { site.remove() }
        try build(site)
        let html = try site.read("places/index.html")
        #expect(html.contains(#"<svg viewBox="0 0 1000 "#))
        #expect(html.contains("<title>Community Garden</title>"))
        #expect(html.contains("<title>Northside Library</title>"))
        #expect(!html.contains("Ann Baker"))

        let (points, height) = PlacesSection.project([.init(lat: 53.81, lon: -1.55), .init(lat: 53.79, lon: -1.53), .init(lat: 53.80, lon: -1.54)])
        #expect(height >= PlacesSection.lowest && height <= PlacesSection.tallest)
        for point in points {
            #expect(point.x >= PlacesSection.margin - 0.1 && point.x <= PlacesSection.width - PlacesSection.margin + 0.1)
            #expect(point.y >= PlacesSection.margin - 0.1 && point.y <= height - PlacesSection.margin + 0.1)
        }
        #expect(points[0].y < points[2].y && points[2].y < points[1].y) // north at the top
        #expect(points[0].x < points[2].x && points[2].x < points[1].x) // west on the left
        let single = PlacesSection.project([.init(lat: 10, lon: 10)])
        #expect(single.points[0].x == 500 && single.points[0].y == single.height / 2)
    }

    @Test func termListsFollowTheModelsTermIndex() throws {
        var files = Self.richContent
        // A name in two spellings, a name site.yml spells differently, and tags only stories use.
        files["content/assets/shed.md"] = "---\ntitle: Tool Shed\ntype: space\nsummary: Tools.\nareas: [north end, Zed Fields, canal side]\ntags: [Food, tools]\n---\n"
        files["content/stories/tools.md"] = "---\ntitle: Tools\ndate: 2026-01-02\ntags: [repair café, Tools]\n---\nFixed.\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        let model = try #require(SiteBuilder.prepare(root: site.root, includeDrafts: false, mode: .build).model)
        let fresh = TermIndex(content: model.content)
        for kind in TermKind.allCases {
            #expect(model.terms.entries(kind).map(\.slug) == fresh.entries(kind).map(\.slug), "\(kind)")
            #expect(model.terms.entries(kind).map(\.name) == fresh.entries(kind).map(\.name), "\(kind)")
        }
        #expect(model.terms.entries(.tag).count >= 4)
        #expect(model.terms.entries(.area).count >= 3)
        // The sitemap lists the term pages in the index's order.
        let listed = DiscoverySection(model: model).sitemapEntries().map(\.path)
        for kind in TermKind.allCases {
            let pages = listed.filter { $0.hasPrefix(SitePaths.terms(kind)) && $0 != SitePaths.terms(kind) }
            #expect(pages == model.terms.entries(kind).map { SitePaths.term(kind, $0.slug) }, "\(kind)")
        }
    }

    @Test func areaLabelsGoToTheDensestGroup() {
        // The first point with the most neighbours within reach, found by comparing every pair.
        func densestByEveryPair(_ points: [PlacesSection.Point]) -> PlacesSection.Point {
            func near(_ p: PlacesSection.Point) -> Int { points.filter { hypot($0.x - p.x, $0.y - p.y) <= PlacesSection.labelReach }.count }
            return points.max { near($0) < near($1) }!
        }
        var seed: UInt64 = 42
        func next(_ limit: Double) -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return PlacesSection.round1(Double(seed >> 11) / Double(1 << 53) * limit)
        }
        for size in [1, 2, 7, 60, 400] {
            let points = (0..<size).map { _ in PlacesSection.Point(x: next(1000), y: next(900)) }
            let found = PlacesSection.densest(points), expected = densestByEveryPair(points)
            #expect(found.x == expected.x && found.y == expected.y, "\(size) points")
        }
        // Exactly at the reach counts, just beyond does not; a tie goes to the first.
        let edge = [PlacesSection.Point(x: 0, y: 0), .init(x: 90, y: 120), .init(x: 400, y: 400), .init(x: 400, y: 550.1)]
        #expect(PlacesSection.densest(edge).x == 0)
        let lone = [PlacesSection.Point(x: 700, y: 10), .init(x: 10, y: 800), .init(x: 160, y: 800)]
        #expect(PlacesSection.densest(lone).x == 10)
    }

    @Test(arguments: ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,hi", "https://ok.example/\"><b>"])
    func websitesThatAreNotWebAddressesStayOutOfData(website: String) throws {
        var files = Self.richContent
        files["content/assets/garden.md"] = files["content/assets/garden.md"]!.replacingOccurrences(
            of: "website: https://garden.example.org", with: "website: '\(website.replacingOccurrences(of: "'", with: "''"))'")
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        try build(site)
        for path in ["directory.json", "hsds/organizations.csv", "hsds/services.csv", "print/index.html"] {
            #expect(try !site.read(path).lowercased().contains(website.lowercased().trimmingCharacters(in: .whitespaces)), "\(path)")
        }
        #expect(try site.read("hsds/organizations.csv").contains("https://example.org/testside/assets/garden/"))
    }

    // MARK: - Privacy

    @Test func individualsContactIsHiddenFromEveryOutput() throws {
        let site = try FixtureSite(files: Self.richContent, templates: try Self.themeTemplates())
        defer { site.remove() }
        try build(site)
        let secrets = ["ann@example.org", "07700 900123", "07700900123", "ann-signal-handle", "12 Private Road", "53.8,", "53.8}", "53.8\"", "-1.54"]
        for (path, data) in try site.snapshot() where !path.hasPrefix("static/") {
            let text = String(decoding: data, as: UTF8.self)
            for secret in secrets {
                // The profile page is the theme's own business for addresses; its contact block must stay closed.
                if path == "assets/ann/index.html" && (secret == "12 Private Road" || secret.hasPrefix("53.8") || secret == "-1.54") { continue }
                #expect(!text.contains(secret), "\(path) shows \(secret)")
            }
        }

        var files = Self.richContent
        files["content/assets/ann.md"] = files["content/assets/ann.md"]!.replacingOccurrences(of: "type: individual\n", with: "type: individual\npublic_contact: true\n")
        let open = try FixtureSite(files: files)
        defer { open.remove() }
        try build(open)
        #expect(try open.read("directory.json").contains("ann@example.org"))
        #expect(try open.read("hsds/organizations.csv").contains("ann@example.org"))
        #expect(try open.read("hsds/phones.csv").contains("07700 900123"))
        #expect(try open.read("print/index.html").contains("ann@example.org"))
        #expect(try open.read("places/index.html").contains("Ann Baker"))
    }
}

// MARK: - Readers for the tests

/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF between records.
enum CSV {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty else { throw Malformed() }
                quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\r":
                guard scalars.first == "\n" else { throw Malformed() }
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Malformed() }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// An XML document read with Foundation's `XMLParser`, as a small tree.
final class XMLTree {
    let name: String
    var attributes: [String: String]
    var elements: [XMLTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func children(_ name: String) -> [XMLTree] { elements.filter { $0.name == name } }
    func child(_ name: String) -> XMLTree? { elements.first { $0.name == name } }

    struct Invalid: Error { var message: String }

    static func parse(_ url: URL) throws -> XMLTree {
        let reader = Reader()
        let parser = XMLParser(data: try Data(contentsOf: url))
        parser.delegate = reader
        guard parser.parse(), let root = reader.root else {
            throw Invalid(message: parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = XMLTree(name: name, attributes: attributes)
            if let parent = stack.last { parent.elements.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
