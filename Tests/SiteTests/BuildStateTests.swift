import Foundation
import Testing
import TestSupport
@testable import Site

/// A build with nothing changed leaves the output alone; any change to the
/// content, the templates or the output folder makes it build again.
@Suite struct BuildStateTests {
    func build(_ site: FixtureSite, skip: Bool = true, drafts: Bool = false) throws -> BuildReport {
        try SiteBuilder(options: BuildOptions(root: site.root, includeDrafts: drafts, skipWhenUnchanged: skip)).build()
    }

    /// Waits long enough for a file written now to get a newer modification time.
    func tick() { usleep(20_000) }

    @Test func anUnchangedSiteIsNotBuiltAgain() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let first = try build(site)
        #expect(!first.upToDate)
        let second = try build(site)
        #expect(second.upToDate)
        #expect(second.pages == first.pages)
        #expect(second.files == first.files)
        #expect(second.summary.hasPrefix("nothing changed: the \(first.pages) pages in "))
        #expect(site.exists("assets/garden/index.html"))
    }

    @Test func aChangedProfileIsBuilt() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        tick()
        let path = site.root.appendingPathComponent("content/assets/garden.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        try (text + "\nA new paragraph.\n").write(to: path, atomically: false, encoding: .utf8)
        let again = try build(site)
        #expect(!again.upToDate)
        #expect(try site.read("assets/garden/index.html").contains("A new paragraph."))
    }

    @Test func aNewFileATemplateChangeAndOtherOptionsAreBuilt() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        tick()
        try TestSupport.write(["content/pages/contact.md": "---\ntitle: Contact\n---\nWrite to us.\n"], under: site.root)
        #expect(try !build(site).upToDate)
        #expect(try build(site).upToDate)
        tick()
        let base = site.root.appendingPathComponent("templates/base.html")
        let template = try String(contentsOf: base, encoding: .utf8)
        try (template + "\n").write(to: base, atomically: false, encoding: .utf8)
        #expect(try !build(site).upToDate)
        #expect(try !build(site, drafts: true).upToDate)
        #expect(try build(site, drafts: true).upToDate)
    }

    @Test func aTouchedOrMissingOutputIsBuilt() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        tick()
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("404.html"))
        #expect(try !build(site).upToDate)
        #expect(site.exists("404.html"))
        try FileManager.default.removeItem(at: site.output)
        #expect(try !build(site).upToDate)
        #expect(site.exists("404.html"))
    }

    @Test func withoutTheOptionEveryBuildRuns() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site, skip: false)
        #expect(try !build(site, skip: false).upToDate)
        #expect(!FileManager.default.fileExists(atPath: BuildState.recordURL(for: site.output).path))
    }

    @Test func aForcedBuildStillRecordsWhatItRead() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let forced = BuildOptions(root: site.root, skipWhenUnchanged: false, recordsState: true)
        #expect(try !SiteBuilder(options: forced).build().upToDate)
        #expect(try !SiteBuilder(options: forced).build().upToDate)
        #expect(try build(site).upToDate)
    }

    @Test func theFingerprintFollowsNamesSizesAndTimes() throws {
        let folder = try TestSupport.temporaryDirectory("kith-fingerprint")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write(["content/a.md": "one", "templates/base.html": "two"], under: folder)
        let first = BuildState.inputDigest(root: folder, options: "x")
        #expect(BuildState.inputDigest(root: folder, options: "x") == first)
        #expect(BuildState.inputDigest(root: folder, options: "y") != first)
        try TestSupport.write(["content/b.md": ""], under: folder)
        #expect(BuildState.inputDigest(root: folder, options: "x") != first)
    }

    @Test func theFingerprintNoticesAChangeInALargeOrDeepFolder() throws {
        let folder = try TestSupport.temporaryDirectory("kith-fingerprint-large")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Entries enough to be looked at on every core, and a folder three levels down.
        var files: [String: String] = ["content/media/a/b/c.txt": "deep"]
        for index in 0..<1_100 { files["content/assets/p-\(index).md"] = "\(index)" }
        try TestSupport.write(files, under: folder)
        let first = BuildState.inputDigest(root: folder, options: "")
        #expect(BuildState.inputDigest(root: folder, options: "") == first)
        var seen: Set<String> = [first]
        try TestSupport.write(["content/assets/p-700.md": "seven hundred"], under: folder)
        seen.insert(BuildState.inputDigest(root: folder, options: ""))
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("content/assets/p-701.md"), to: folder.appendingPathComponent("content/assets/q.md"))
        seen.insert(BuildState.inputDigest(root: folder, options: ""))
        try TestSupport.write(["content/media/a/b/c.txt": "deeper"], under: folder)
        seen.insert(BuildState.inputDigest(root: folder, options: ""))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("content/media/a/b"))
        seen.insert(BuildState.inputDigest(root: folder, options: ""))
        #expect(seen.count == 5)
    }

    @Test func aBuildTimesItsStagesAndReportsItsProgress() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        final class Events: @unchecked Sendable {
            let lock = NSLock()
            var started: [BuildStage] = []
            var rendered: [(Int, Int)] = []
        }
        let events = Events()
        let options = BuildOptions(root: site.root) { event in
            events.lock.lock()
            defer { events.lock.unlock() }
            switch event {
            case .started(let stage): events.started.append(stage)
            case .rendered(let done, let total): events.rendered.append((done, total))
            }
        }
        let report = try SiteBuilder(options: options).build()
        #expect(report.stages.map(\.stage) == BuildStage.allCases)
        #expect(events.started == BuildStage.allCases)
        #expect(report.stages.allSatisfy { $0.milliseconds >= 0 && $0.peakMemory > 0 && $0.cpuMilliseconds >= 0 })
        // Reading, checking and rendering take processor time, however fast the machine.
        #expect(report.stages.reduce(0) { $0 + $1.cpuMilliseconds } > 0)
        #expect(events.rendered.last.map { $0.0 == $0.1 && $0.1 == report.pages } == true)
    }
}

