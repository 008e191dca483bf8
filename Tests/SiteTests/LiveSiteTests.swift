import Foundation
import Testing
import TestSupport
@testable import Site

/// The preview's quick way: an edit to the text of one profile writes only
/// that page (then the data files), and the result is what a full build writes.
@Suite struct LiveSiteTests {
    /// The garden profile's front matter, as the fixture writes it.
    static let gardenHead: String = {
        let text = FixtureSite.basicContent["content/assets/garden.md"]!
        let closing = text.range(of: "\n---\n", range: text.index(after: text.startIndex)..<text.endIndex)!
        return String(text[..<closing.upperBound])
    }()

    func write(_ site: FixtureSite, _ path: String, _ text: String) throws {
        try TestSupport.write([path: text], under: site.root)
    }

    func inode(_ url: URL) -> UInt64 {
        var info = stat()
        return stat(url.path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// The same site built in full into a fresh folder.
    func fullBuild(_ site: FixtureSite) throws -> [String: Data] {
        let folder = try TestSupport.temporaryDirectory("kith-live-full")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("public")
        _ = try SiteBuilder(options: BuildOptions(root: site.root, output: out)).build()
        return try site.snapshot(out)
    }

    /// Gives the garden profile `body`, takes the quick way with it (the
    /// page, then the data files), and checks that the site is then what a
    /// full build writes. - Returns: the site's files.
    func editGarden(_ site: FixtureSite, _ live: LiveSite, to body: String, step: Int) throws -> [String: Data] {
        try write(site, "content/assets/garden.md", Self.gardenHead + body)
        let update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == "assets/garden/")
        _ = try update.followUp?()
        let snapshot = try site.snapshot()
        #expect(differences(snapshot, try fullBuild(site)) == [], "after edit \(step + 1)")
        return snapshot
    }

    /// The files that differ between two snapshots, or are in one only.
    func differences(_ one: [String: Data], _ other: [String: Data]) -> [String] {
        Set(one.keys).union(other.keys).filter { one[$0] != other[$0] }.sorted()
    }

    @Test func anEditToTheTextOfOneProfileWritesOnlyItsPage() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        let first = try live.update(changed: [])
        #expect(first.quickPage == nil)
        let library = site.output.appendingPathComponent("assets/library/index.html")
        let home = site.output.appendingPathComponent("index.html")
        let (libraryBefore, homeBefore) = (inode(library), inode(home))

        try write(site, "content/assets/garden.md", Self.gardenHead + """
            The garden shares seeds with [the library](library.md) and wrote about it in
            [our story](../stories/seed-swap.md). Compost workshops start in May.

            """)
        let update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == "assets/garden/")
        #expect(update.report.pages == 1)
        #expect(try site.read("assets/garden/index.html").contains("Compost workshops start in May."))
        #expect(inode(library) == libraryBefore)
        #expect(inode(home) == homeBefore)

        let followUp = try #require(update.followUp)
        let written = try followUp()
        #expect(written > 0)
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func storiesAndPagesTakeTheQuickWayToo() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        try write(site, "content/pages/about.md", "---\ntitle: About\nsummary: Who keeps this directory.\n---\nWe do, on Tuesdays.\n")
        let update = try live.update(changed: ["content/pages/about.md"])
        #expect(update.quickPage == "pages/about/")
        _ = try update.followUp?()
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func otherChangesBuildEverything() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])

        // The front matter changed.
        try write(site, "content/assets/garden.md", Self.gardenHead.replacingOccurrences(of: "to all.", with: "to everyone.")
            + "The garden shares seeds with [the library](library.md).\n")
        var update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == nil)
        #expect(try site.snapshot() == fullBuild(site))

        // The text now links to another profile: the map changes.
        try write(site, "content/assets/garden.md", Self.gardenHead.replacingOccurrences(of: "to all.", with: "to everyone.")
            + "The garden shares seeds with [Ann](ann.md).\n")
        update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == nil)
        #expect(try site.snapshot() == fullBuild(site))

        // Two files at once.
        update = try live.update(changed: ["content/assets/garden.md", "content/assets/library.md"])
        #expect(update.quickPage == nil)
    }

    @Test func aProblemInTheNewTextIsReportedByAFullBuild() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        try write(site, "content/assets/garden.md", Self.gardenHead + "See [the pond](pond.md).\n")
        #expect(throws: (any Error).self) { try live.update(changed: ["content/assets/garden.md"]) }
        // Fixed again: the next edit still works.
        try write(site, "content/assets/garden.md", Self.gardenHead + "The garden shares seeds with [the library](library.md).\n")
        let update = try live.update(changed: ["content/assets/garden.md"])
        _ = try update.followUp?()
        #expect(try site.snapshot() == fullBuild(site))
    }

    @Test func theFollowUpRewritesOnlyTheDataThatChanged() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        func file(_ path: String) -> URL { site.output.appendingPathComponent(path) }
        // "compost" is a new word; no word starting with "b" comes or goes.
        let kept = ["search/t/b.json", "search/d/0.json", "search/f/type-space.json", "hsds/organizations.csv", "sitemap.xml"]
            .filter { path in FileManager.default.fileExists(atPath: file(path).path) }
        #expect(kept.count >= 4)
        let before = kept.map { inode(file($0)) }
        let (shardBefore, directoryBefore) = (inode(file("search/t/c.json")), inode(file("directory.json")))

        try write(site, "content/assets/garden.md", Self.gardenHead + """
            The garden shares seeds with [the library](library.md) and wrote about it in
            [our story](../stories/seed-swap.md). Compost workshops start in May.

            """)
        let update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == "assets/garden/")
        let followUp = try #require(update.followUp)
        _ = try followUp()
        let after = kept.map { inode(file($0)) }
        #expect(after == before)
        #expect(inode(file("search/t/c.json")) != shardBefore)
        #expect(inode(file("directory.json")) != directoryBefore)
        #expect(try site.read("directory.json").contains("Compost workshops start in May."))
        #expect(try differences(site.snapshot(), fullBuild(site)) == [])
    }

    @Test func wordsThatGoLeaveTheIndexAndShardsSplitAndJoinAsInAFullBuild() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        // Enough new words starting with "qu" that their shard is split by the letters after.
        var words: [String] = []
        for a in "abcdefghijklmnopqrstuvwxyz" {
            for b in "abcdefghijklmnopqrstuvwxyz" where words.count < 1_500 { words.append("qu\(a)\(b)x") }
        }
        let edits = [
            // "wrote" is in no other text: it leaves the index.
            "The garden shares seeds with [the library](library.md) and [our story](../stories/seed-swap.md).\n",
            "The garden has [the library](library.md) and [our story](../stories/seed-swap.md). " + words.joined(separator: " ") + "\n",
            "The garden has [the library](library.md) and [our story](../stories/seed-swap.md). Quiet now.\n",
        ]
        for (step, body) in edits.enumerated() {
            let snapshot = try editGarden(site, live, to: body, step: step)
            let splitShards = snapshot.keys.filter { $0.hasPrefix("search/t/qu") && $0.count > "search/t/qu.json".count }
            #expect(splitShards.isEmpty == (step != 1))
        }
    }

    @Test func theLastWordStartingWithALetterTakesItsShardWithIt() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        // No other text of the fixture has a word starting with "x" or a digit "9".
        #expect(try !fullBuild(site).keys.contains { $0.hasPrefix("search/t/x") || $0.hasPrefix("search/t/9") })
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        let plain = "The garden shares seeds with [the library](library.md) and [our story](../stories/seed-swap.md).\n"
        let edits = [plain.replacingOccurrences(of: "seeds", with: "xylophones and 9000 seeds"), plain]
        for (step, body) in edits.enumerated() {
            let snapshot = try editGarden(site, live, to: body, step: step)
            let letters = snapshot.keys.filter { $0.hasPrefix("search/t/x") || $0.hasPrefix("search/t/9") }
            #expect(letters.count == (step == 0 ? 2 : 0), "after edit \(step + 1): \(letters.sorted())")
        }
    }

    @Test func aStoryEditRewritesTheFeed() throws {
        var files = FixtureSite.basicContent
        files["content/site.yml"]! += "base_url: https://testside.example/\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        let story = FixtureSite.basicContent["content/stories/seed-swap.md"]!
        try write(site, "content/stories/seed-swap.md", story + "Next year the library keeps a seed drawer.\n")
        let update = try live.update(changed: ["content/stories/seed-swap.md"])
        #expect(update.quickPage == "stories/seed-swap/")
        _ = try update.followUp?()
        #expect(try site.read("stories/feed.xml").contains("seed drawer"))
        #expect(try differences(site.snapshot(), fullBuild(site)) == [])
    }

    @Test func aDirectoryFileChangedByHandIsWrittenWhole() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        try Data("{}\n".utf8).write(to: site.output.appendingPathComponent("directory.json"))
        try write(site, "content/assets/garden.md", Self.gardenHead + "The garden shares seeds with [the library](library.md).\n")
        let update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == "assets/garden/")
        _ = try update.followUp?()
        #expect(try differences(site.snapshot(), fullBuild(site)) == [])
    }

    @Test func dataThatCannotBeWrittenMakesTheNextChangeBuildEverything() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let live = LiveSite(options: BuildOptions(root: site.root))
        _ = try live.update(changed: [])
        // A folder where `directory.json` was: it cannot be replaced by a file.
        let directory = site.output.appendingPathComponent("directory.json")
        try FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("in-the-way"), withIntermediateDirectories: true)
        try write(site, "content/assets/garden.md", Self.gardenHead + "The garden shares seeds with [the library](library.md).\n")
        let update = try live.update(changed: ["content/assets/garden.md"])
        #expect(update.quickPage == "assets/garden/")
        let followUp = try #require(update.followUp)
        #expect(throws: (any Error).self) { try followUp() }

        try write(site, "content/assets/garden.md", Self.gardenHead + "The garden shares seeds with [the library](library.md) on Sundays.\n")
        let next = try live.update(changed: ["content/assets/garden.md"])
        #expect(next.quickPage == nil)
        #expect(try differences(site.snapshot(), fullBuild(site)) == [])
    }
}
