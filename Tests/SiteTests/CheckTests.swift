import ArgumentParser
import CLI
import Content
import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Site

/// `kith check`: every problem of every file at once, at its exact place,
/// and the upkeep checks K080–K085.
@Suite struct CheckTests {
    static let today = CalendarDay("2026-11-26")!

    /// A site with nothing wrong: two connected assets, a story and a page.
    static let cleanContent: [String: String] = [
        "content/site.yml": "title: Testside\n",
        "content/assets/garden.md": """
            ---
            title: Community Garden
            type: space
            summary: Raised beds and a polytunnel open to all.
            updated: 2026-05-01
            connections:
              - to: library
                kind: meets at
            ---
            The garden meets at [the library](library.md).

            """,
        "content/assets/library.md": """
            ---
            title: Northside Library
            type: institution
            summary: Books, computers and a warm room.
            updated: 2026-10-01
            ---
            Open six days a week.

            """,
        "content/stories/seed-swap.md": """
            ---
            title: The seed swap
            date: 2026-03-14
            assets: [garden, library]
            ---
            Seeds went from [the garden](../assets/garden.md) to the shelves.

            """,
        "content/pages/about.md": """
            ---
            title: About
            ---
            We keep this directory.

            """,
    ]

    /// The clean site with some files replaced (or removed, when the text is nil).
    static func site(_ changes: [String: String?] = [:]) throws -> FixtureSite {
        var files = cleanContent
        for (path, text) in changes { files[path] = text }
        return try FixtureSite(files: files)
    }

    func check(_ site: FixtureSite, strict: Bool = false, drafts: Bool = false) -> CheckReport {
        SiteBuilder(options: BuildOptions(root: site.root, includeDrafts: drafts)).check(today: Self.today, strict: strict)
    }

    /// The diagnostic with `code` in `report`, recorded as an issue when missing.
    func find(_ code: String, in report: CheckReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        let found = report.diagnostics.first { $0.code == code }
        if found == nil {
            Issue.record("no \(code) in:\n\(report.text())", sourceLocation: sourceLocation)
        }
        return found
    }

    // MARK: A clean site

    @Test func aCleanSitePassesAndWritesNothing() throws {
        let site = try Self.site()
        defer { site.remove() }
        let report = check(site)
        #expect(report.diagnostics.isEmpty, "\(report.text())")
        #expect(report.passed)
        #expect(report.checked == CheckReport.Counts(assets: 2, stories: 1, pages: 1, templates: FixtureSite.minimalTemplates.keys.filter { $0.hasSuffix(".html") }.count))
        #expect(report.text().hasSuffix("checked 2 profiles, 1 story, 1 page and \(report.checked.templates) templates: no problems found\n"))
        #expect(!site.exists(""))
    }

    @Test func theSampleSiteOfTheRepositoryHasNoErrors() {
        let report = SiteBuilder(options: BuildOptions(root: TestSupport.repositoryRoot)).check(today: Self.today)
        #expect(report.errorCount == 0, "\(report.text())")
        #expect(report.checked.assets > 40)
    }

    // MARK: Every problem at once

    /// The five most common mistakes, in three files, all reported by one check
    /// with file, line, column and the suggestion.
    @Test func theFiveCommonMistakesAreReportedTogether() throws {
        let site = try Self.site([
            "content/assets/garden.md": """
                ---
                title: Community Garden
                type: space
                summary: Raised beds and a polytunnel open to all.
                updated: 2026-05-01
                connections:
                  - to: librray
                    kind: meets at
                ---
                The garden meets at [the library](libary.md).

                ![](../media/garden.jpg)

                """,
            "content/assets/library.md": """
                ---
                title: Northside Library
                type: institutoin
                summary: Books, computers and a warm room.
                updated: 2026-10-01
                ---
                Open six days a week.

                """,
            "content/assets/ann.md": """
                ---
                title: Ann Baker
                type: individual
                updated: 2026-10-01
                ---
                Ann bakes for [the garden](gardn.md).

                """,
            "content/media/garden.jpg": "not really a picture",
        ])
        defer { site.remove() }
        let report = check(site)
        #expect(!report.passed)

        let connection = find("K012", in: report)
        #expect(connection?.position == "content/assets/garden.md:7:9")
        #expect(connection?.width == 7)
        #expect(connection?.label == "did you mean `library`?")

        let summary = find("K020", in: report)
        #expect(summary?.position == "content/assets/ann.md:1:1")
        #expect(summary?.message == "the required field `summary` is missing")
        #expect(summary?.help?.contains("summary:") == true)

        let type = find("K024", in: report)
        #expect(type?.position == "content/assets/library.md:3:7")
        #expect(type?.label == "did you mean `institution`?")

        let link = report.diagnostics.first { $0.code == "K061" && $0.path == "content/assets/garden.md" }
        #expect(link?.position == "content/assets/garden.md:10:35")
        #expect(link?.label == "did you mean `library.md`?")

        let image = find("K065", in: report)
        #expect(image?.position == "content/assets/garden.md:12:5")
        #expect(image?.help?.contains("![") == true)

        // ann.md has an error in its front matter; its text is checked all the same.
        let annLink = report.diagnostics.first { $0.code == "K061" && $0.path == "content/assets/ann.md" }
        #expect(annLink?.position == "content/assets/ann.md:6:28")
        #expect(annLink?.label == "did you mean `garden.md`?")

        // library.md exists but has an error: the story's links to it are not
        // reported again as links to a missing or unpublished file.
        #expect(report.diagnostics.filter { $0.path == "content/stories/seed-swap.md" }.isEmpty, "\(report.text())")
        #expect(report.errorCount == 6, "\(report.text())")
        #expect(report.checked.assets == 3)
    }

    @Test func theRenderedReportReadsLikeTheDocumentation() throws {
        let site = try Self.site([
            "content/assets/garden.md": """
                ---
                title: Community Garden
                type: space
                summary: Raised beds and a polytunnel open to all.
                updated: 2026-05-01
                connections:
                  - to: librray
                ---
                Hello.

                """,
        ])
        defer { site.remove() }
        let text = check(site).text()
        #expect(text.hasPrefix("""
            error[K012]: unknown connection target `librray`
             --> content/assets/garden.md:7:9
              |
            7 |   - to: librray
              |         ^^^^^^^ did you mean `library`?
              |
              = help: use the file name of a profile in content/assets, without .md

            """))
        #expect(text.contains("1 error"))
        #expect(text.hasSuffix("`kith build` would stop at these errors; fix them, then run `kith check` again\n"))
    }

    @Test func misspeltFieldNamesAndTemplateErrorsAreReportedWithContentErrors() throws {
        var templates = FixtureSite.minimalTemplates
        templates["templates/page.html"] = #"{% extends "base.html" %}{% blok content %}{{ content.title }}{% endblock %}"#
        var files = Self.cleanContent
        files["content/assets/library.md"] = files["content/assets/library.md"]!
            .replacingOccurrences(of: "summary:", with: "sumary:")
        let site = try FixtureSite(files: files, templates: templates)
        defer { site.remove() }
        let report = check(site)
        let field = find("K028", in: report)
        #expect(field?.position == "content/assets/library.md:4:1")
        #expect(field?.label == "did you mean `summary`?")
        let tag = find("T005", in: report)
        #expect(tag?.path == "templates/page.html")
        #expect(tag?.label == "did you mean `block`?")
        #expect(find("K020", in: report)?.path == "content/assets/library.md")
    }

    @Test func aLinkToADraftIsStillAnError() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated:", with: "draft: true\nupdated:"),
        ])
        defer { site.remove() }
        let report = check(site)
        #expect(report.diagnostics.contains { $0.code == "K062" && $0.position == "content/assets/garden.md:10:35" })
        #expect(check(site, drafts: true).errorCount == 0)
    }

    // MARK: Upkeep checks

    @Test func aProfileNotCheckedForTooLongIsStaleAtItsUpdatedLine() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01", with: "updated: 2025-03-14"),
        ])
        defer { site.remove() }
        let report = check(site)
        let stale = find("K080", in: report)
        #expect(stale?.severity == .warning)
        #expect(stale?.position == "content/assets/library.md:5:10")
        #expect(stale?.width == 10)
        #expect(stale?.label == "20 months ago")
        #expect(stale?.message == "this profile was last checked on 2025-03-14, more than 12 months ago")
        #expect(stale?.help?.hasSuffix("updated: 2026-11-26") == true)
        #expect(report.passed)
    }

    @Test(arguments: [
        ("2025-11-26", 12, false),
        ("2025-11-25", 12, true),
        ("2026-05-26", 6, false),
        ("2026-05-25", 6, true),
        ("2026-02-25", 9, true),
        ("2026-02-28", 9, false),
    ])
    func staleAfterMonthsComesFromSiteSettings(updated: String, months: Int, stale: Bool) throws {
        let site = try Self.site([
            "content/site.yml": "title: Testside\nstale_after_months: \(months)\n",
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01", with: "updated: \(updated)"),
        ])
        defer { site.remove() }
        let library = check(site).diagnostics.filter { $0.path == "content/assets/library.md" }
        #expect(library.contains { $0.code == "K080" } == stale)
    }

    @Test func aProfileWithoutAnUpdatedDateIsReportedAtItsFirstLine() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01\n", with: ""),
        ])
        defer { site.remove() }
        let missing = find("K081", in: check(site))
        #expect(missing?.position == "content/assets/library.md:1:1")
        #expect(missing?.width == 3)
        #expect(missing?.help == "check the details with the people involved, then add the line: updated: 2026-11-26")
    }

    @Test func anUpdatedDateInTheFutureIsReported() throws {
        let future = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01", with: "updated: 2062-10-01"),
        ])
        defer { future.remove() }
        #expect(find("K082", in: check(future))?.position == "content/assets/library.md:5:10")
        // Tomorrow is allowed: the editor may live a time zone ahead.
        let tomorrow = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01", with: "updated: 2026-11-27"),
        ])
        defer { tomorrow.remove() }
        #expect(check(tomorrow).diagnostics.isEmpty)
    }

    static let ann = """
        ---
        title: Ann Baker
        type: individual
        summary: Bakes bread and teaches it.
        updated: 2026-10-01
        contact:
          email: ann@example.org
        connections:
          - to: garden
        ---
        Ann bakes.

        """

    @Test func anIndividualsContactWithoutConsentIsReportedAtTheContactLine() throws {
        let site = try Self.site(["content/assets/ann.md": Self.ann])
        defer { site.remove() }
        let hidden = find("K083", in: check(site))
        #expect(hidden?.position == "content/assets/ann.md:6:1")
        #expect(hidden?.width == 7)
        #expect(hidden?.message == "Ann Baker's contact details will not be shown on the site")
        #expect(hidden?.help?.contains("public_contact: true") == true)
    }

    @Test(arguments: ["public_contact: true", "public_contact: false"])
    func saying_public_contact_eitherWayIsEnough(line: String) throws {
        let site = try Self.site(["content/assets/ann.md": Self.ann.replacingOccurrences(of: "contact:\n", with: "\(line)\ncontact:\n")])
        defer { site.remove() }
        #expect(check(site).diagnostics.isEmpty, "\(check(site).text())")
    }

    @Test func duplicateTitlesAreReportedAtTheLaterFile() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "title: Northside Library", with: "title: community  GARDEN"),
        ])
        defer { site.remove() }
        let duplicate = find("K084", in: check(site))
        #expect(duplicate?.position == "content/assets/library.md:2:8")
        #expect(duplicate?.width == 17)
        #expect(duplicate?.notes == ["content/assets/garden.md:2: the same title"])
        #expect(check(site).diagnostics.filter { $0.code == "K084" }.count == 1)
    }

    @Test func anAssetWithNoConnectionsIsReportedAtItsFirstLine() throws {
        let site = try Self.site([
            "content/assets/ann.md": Self.lonelyAnn,
        ])
        defer { site.remove() }
        let report = check(site)
        let alone = find("K085", in: report)
        #expect(alone?.position == "content/assets/ann.md:1:1")
        #expect(alone?.label == "alone on the map")
        #expect(report.diagnostics.count == 1, "\(report.text())")
    }

    static let lonelyAnn = ann.replacingOccurrences(of: "connections:\n  - to: garden\n", with: "public_contact: true\n")

    /// Each way an asset can be tied to another, as the files that make the tie.
    static let ties: [String: [String: String]] = [
        "a connection from it": [
            "content/assets/ann.md": ann.replacingOccurrences(of: "contact:\n", with: "public_contact: true\ncontact:\n"),
        ],
        "a connection to it": [
            "content/assets/ann.md": lonelyAnn,
            "content/assets/garden.md": cleanContent["content/assets/garden.md"]!
                .replacingOccurrences(of: "connections:\n", with: "connections:\n  - to: ann\n"),
        ],
        "a link from its text": ["content/assets/ann.md": lonelyAnn + "See [the garden](garden.md).\n"],
        "a link to it": [
            "content/assets/ann.md": lonelyAnn,
            "content/assets/library.md": cleanContent["content/assets/library.md"]! + "See [Ann](ann.md).\n",
        ],
        "a story naming it": [
            "content/assets/ann.md": lonelyAnn,
            "content/stories/seed-swap.md": cleanContent["content/stories/seed-swap.md"]!
                .replacingOccurrences(of: "assets: [garden, library]", with: "assets: [garden, library, ann]"),
        ],
    ]

    @Test(arguments: ties.keys.sorted())
    func anyTieInEitherDirectionCounts(tie: String) throws {
        let site = try Self.site(Self.ties[tie]!)
        defer { site.remove() }
        let report = check(site)
        #expect(report.diagnostics.isEmpty, "\(report.text())")
    }

    @Test func noConnectionsIsLeftOutWhileTheSiteHasErrors() throws {
        let site = try Self.site([
            "content/assets/ann.md": Self.ann.replacingOccurrences(of: "- to: garden", with: "- to: gardn"),
        ])
        defer { site.remove() }
        let report = check(site)
        #expect(report.diagnostics.map(\.code).contains("K012"))
        #expect(!report.diagnostics.map(\.code).contains("K085"))
    }

    @Test func theSummaryLimitStaysAnError() throws {
        let long = String(repeating: "a", count: 201)
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "Books, computers and a warm room.", with: long),
        ])
        defer { site.remove() }
        let report = check(site)
        #expect(find("K025", in: report)?.severity == .error)
        #expect(find("K025", in: report)?.position == "content/assets/library.md:4:10")
    }

    // MARK: Strict mode, JSON, exit codes

    @Test func strictTurnsWarningsIntoErrors() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01\n", with: ""),
        ])
        defer { site.remove() }
        let relaxed = check(site)
        #expect(relaxed.passed && relaxed.warningCount == 1)
        #expect(relaxed.text().hasSuffix("warnings do not stop `kith build`; `kith check --strict` counts them as errors\n"))
        let strict = check(site, strict: true)
        #expect(!strict.passed && strict.errorCount == 1 && strict.warningCount == 0)
        #expect(strict.text().hasPrefix("error[K081]:"))
    }

    @Test func jsonReadsBackWithEveryField() throws {
        let site = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "type: institution", with: "type: institutoin")
                .replacingOccurrences(of: "updated: 2026-10-01\n", with: ""),
            "content/stories/seed-swap.md": Self.cleanContent["content/stories/seed-swap.md"]!
                .replacingOccurrences(of: "garden.md", with: "gardn.md"),
        ])
        defer { site.remove() }
        let report = check(site)
        let json = report.json()
        #expect(json == check(site).json(), "the same site gives the same JSON")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 2, "warnings": 0])
        let list = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(list.map { $0["code"] as? String } == ["K024", "K061"])
        let first = list[0]
        #expect(Set(first.keys) == ["code", "severity", "message", "path", "line", "column", "width", "label", "notes", "help"])
        #expect(first["severity"] as? String == "error")
        #expect(first["path"] as? String == "content/assets/library.md")
        #expect(first["line"] as? Int == 3 && first["column"] as? Int == 7 && first["width"] as? Int == 11)
        #expect(first["label"] as? String == "did you mean `institution`?")
        #expect((first["notes"] as? [String]) == [])
        #expect(list[1]["path"] as? String == "content/stories/seed-swap.md")
    }

    @Test func jsonWritesNullForWhatIsNotKnown() throws {
        let site = try Self.site(["content/site.yml": nil])
        defer { site.remove() }
        let json = check(site).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(object["diagnostics"] as? [[String: Any]])
        let missing = try #require(list.first { $0["code"] as? String == "K007" })
        #expect(missing["line"] is NSNull && missing["label"] is NSNull)
        #expect(missing["path"] as? String == "content/site.yml")
    }

    @Test func theCommandExitsWithOneOnlyWhenThereAreErrors() throws {
        let clean = try Self.site()
        defer { clean.remove() }
        var output = ""
        let passing = try Kith.Check.parse(["--root", clean.root.path, "--today", "2026-11-26"])
        #expect(passing.report { output += $0 }.passed)
        #expect(output.contains("no problems found"))
        try passing.run()

        let warned = try Self.site([
            "content/assets/library.md": Self.cleanContent["content/assets/library.md"]!
                .replacingOccurrences(of: "updated: 2026-10-01\n", with: ""),
        ])
        defer { warned.remove() }
        try Kith.Check.parse(["--root", warned.root.path, "--today", "2026-11-26", "--format", "json"]).run()
        let strict = try Kith.Check.parse(["--root", warned.root.path, "--today", "2026-11-26", "--strict", "--format", "json"])
        #expect(throws: ExitCode.failure) { try strict.run() }

        let broken = try Self.site(["content/assets/library.md": "no front matter\n"])
        defer { broken.remove() }
        let failing = try Kith.Check.parse(["--root", broken.root.path])
        #expect(throws: ExitCode.failure) { try failing.run() }
        #expect(throws: (any Error).self) { try Kith.Check.parse(["--format", "xml"]) }
        #expect(throws: (any Error).self) { try Kith.Check.parse(["--today", "26/11/2026"]) }
    }

    @Test func checkIsASubcommandOfKith() throws {
        let command = try Kith.parseAsRoot(["check", "--strict"])
        #expect((command as? Kith.Check)?.strict == true)
    }
}
