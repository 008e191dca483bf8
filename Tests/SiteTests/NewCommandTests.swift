import ArgumentParser
import CLI
import Content
import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Site

/// `kith new`: a new file that passes `kith check` as it is written.
@Suite struct NewCommandTests {
    static let today = "2026-11-26"

    /// A one-asset site with its own type and areas.
    static func site() throws -> FixtureSite {
        try FixtureSite(files: [
            "content/site.yml": """
                title: Testside
                areas:
                  - name: North End
                  - name: Canal Side
                types:
                  - slug: faith
                    label: Faith groups

                """,
            "content/assets/library.md": """
                ---
                title: Northside Library
                type: institution
                summary: Books, computers and a warm room.
                area: North End
                updated: 2026-10-01
                ---
                Open six days a week.

                """,
        ])
    }

    func new(_ arguments: [String], in site: FixtureSite) throws -> Kith.New.Created {
        try Kith.New.parse(["--root", site.root.path, "--today", Self.today] + arguments).create()
    }

    func check(_ site: FixtureSite) -> CheckReport {
        SiteBuilder(options: BuildOptions(root: site.root)).check(today: CalendarDay(Self.today)!)
    }

    @Test func aNewAssetPassesCheckAsWritten() throws {
        let site = try Self.site()
        defer { site.remove() }
        let created = try new(["asset", "Northside Chess Club"], in: site)
        #expect(created.path == "content/assets/northside-chess-club.md")
        let text = try String(contentsOf: site.root.appendingPathComponent(created.path), encoding: .utf8)
        #expect(text == created.text)
        #expect(text.contains("\ntitle: Northside Chess Club\n"))
        #expect(text.contains("\ntype: association\n"))
        #expect(text.contains("\nsummary: One sentence about what Northside Chess Club offers — replace this.\n"))
        #expect(text.contains("\nupdated: 2026-11-26\n"))
        #expect(text.contains("#   North End, Canal Side."), "the site's own areas are listed")
        #expect(text.contains("individual, association, institution, space, economy, culture, faith"))
        #expect(text.contains("(such as library)"), "examples name a real profile")
        let report = check(site)
        #expect(report.errorCount == 0, "\(report.text())")
        // Only the reminder to connect it: it is new, so nothing names it yet.
        #expect(report.diagnostics.map(\.code) == ["K085", "K085"], "\(report.text())")
        #expect(report.diagnostics.contains { $0.path == created.path })
    }

    /// Every optional field, uncommented, is valid too: the notes teach the right form.
    @Test func everyCommentedFieldIsValidWhenUncommented() throws {
        let site = try Self.site()
        defer { site.remove() }
        let created = try new(["asset", "Ann Baker", "--type", "individual"], in: site)
        let fields = ["area", "tags", "address", "geo", "contact", "hours", "cost", "languages", "accessibility",
                      "audience", "gifts", "needs", "status", "connections", "public_contact"]
        var lines: [String] = []
        var inField = false
        for line in created.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let name = line.hasPrefix("# ") ? String(line.dropFirst(2).prefix { $0 != ":" }) : ""
            if fields.contains(name), line.dropFirst(2 + name.count).hasPrefix(":") {
                lines.append(String(line.dropFirst(2)))
                inField = true
            } else if inField, line.hasPrefix("#   ") {
                lines.append(String(line.dropFirst(2)))
            } else {
                lines.append(line)
                inField = false
            }
        }
        let text = lines.joined(separator: "\n").replacingOccurrences(of: "to: name-of-another-profile", with: "to: library")
        try Data(text.utf8).write(to: site.root.appendingPathComponent(created.path))
        let report = check(site)
        #expect(report.errorCount == 0, "\(report.text())\n\(text)")
        #expect(!report.diagnostics.contains { $0.code == "K028" }, "\(report.text())")
        let asset = ContentLoader.load(root: site.root, includeDrafts: false).content?.assets.first { $0.slug == "ann-baker" }
        #expect(asset?.contact.map(\.key) == ["email", "phone", "website"])
        #expect(asset?.connections.map(\.to) == ["library"])
        #expect(asset?.publicContact == true)
        #expect(asset?.areas == ["North End"])
        #expect(asset?.geo != nil && asset?.hours != nil && asset?.status == .active && asset?.gifts.isEmpty == false)
    }

    @Test(arguments: [
        (["story", "The seed swap"], "content/stories/the-seed-swap.md", "\ndate: 2026-11-26\n"),
        (["page", "How to add your group"], "content/pages/how-to-add-your-group.md", "\ntitle: How to add your group\n"),
        (["asset", "St Aidan's Hall", "--type", "space"], "content/assets/st-aidans-hall.md", "\ntype: space\n"),
        (["asset", "Mosque", "--type", "faith"], "content/assets/mosque.md", "\ntype: faith\n"),
        (["asset", "Café 23", "--slug", "cafe-twenty-three"], "content/assets/cafe-twenty-three.md", "\ntitle: Café 23\n"),
    ])
    func everyKindPassesCheck(arguments: [String], path: String, expected: String) throws {
        let site = try Self.site()
        defer { site.remove() }
        let created = try new(arguments, in: site)
        #expect(created.path == path)
        #expect(created.text.contains(expected))
        let report = check(site)
        #expect(report.errorCount == 0, "\(report.text())")
    }

    @Test(arguments: [
        "Fish: Chips & Co",
        "\"Quoted\" Group",
        "#1 Club",
        "- dash",
        "St Aidan's [Hall] *bold* <b>",
        "null",
        "Back\\slash: yes",
        "- [x](y.md)",
    ])
    func awkwardTitlesReadBackUnchanged(title: String) throws {
        let site = try Self.site()
        defer { site.remove() }
        // A title that starts with "-" comes after "--", as on the command line.
        let created = try new(["asset", "--slug", "awkward", "--", title], in: site)
        let loaded = ContentLoader.load(root: site.root, includeDrafts: false)
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics)\n\(created.text)")
        #expect(loaded.content?.assets.first { $0.slug == "awkward" }?.title == title)
        #expect(check(site).errorCount == 0, "\(check(site).text())")
    }

    @Test func aLongTitleKeepsTheSummaryShort() throws {
        let site = try Self.site()
        defer { site.remove() }
        let title = String(repeating: "Very long name ", count: 12).trimmingCharacters(in: .whitespaces)
        let created = try new(["asset", title], in: site)
        #expect(created.text.contains("\nsummary: One sentence about what this asset offers — replace this.\n"))
        #expect(check(site).errorCount == 0)
    }

    @Test func anExistingFileIsNeverReplaced() throws {
        let site = try Self.site()
        defer { site.remove() }
        let before = try Data(contentsOf: site.root.appendingPathComponent("content/assets/library.md"))
        do {
            _ = try new(["asset", "Library"], in: site)
            Issue.record("an existing file was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.code == "K086")
            #expect(diagnostic.message == "`content/assets/library.md` already exists; nothing was written")
            #expect(diagnostic.help?.contains("--slug library-2") == true)
        }
        #expect(try Data(contentsOf: site.root.appendingPathComponent("content/assets/library.md")) == before)
        let command = try Kith.New.parse(["asset", "Library", "--root", site.root.path])
        #expect(throws: ExitCode.failure) { try command.run() }
    }

    @Test(arguments: [("indivdual", "individual"), ("Faith groups", "faith"), ("spcae", "space")])
    func aMisspeltTypeIsRefusedWithASuggestion(type: String, suggestion: String) throws {
        let site = try Self.site()
        defer { site.remove() }
        do {
            _ = try new(["asset", "Ann Baker", "--type", type], in: site)
            Issue.record("accepted --type \(type)")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.code == "K087")
            #expect(diagnostic.notes == ["did you mean `\(suggestion)`?"])
            #expect(diagnostic.help?.contains("faith") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/assets/ann-baker.md").path))
    }

    @Test func aTitleWithNoLatinLettersNeedsASlug() throws {
        let site = try Self.site()
        defer { site.remove() }
        #expect { try new(["asset", "日本"], in: site) } throws: { ($0 as? Diagnostic)?.code == "K088" }
        #expect { try new(["asset", "日本", "--slug", "Nihon Club"], in: site) } throws: { ($0 as? Diagnostic)?.code == "K088" }
        let created = try new(["asset", "日本", "--slug", "nihon-club"], in: site)
        #expect(created.path == "content/assets/nihon-club.md")
        #expect(check(site).errorCount == 0)
    }

    @Test func aFolderWithoutSiteSettingsIsRefused() throws {
        let root = try TestSupport.temporaryDirectory("kith-new")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try Kith.New.parse(["page", "About", "--root", root.path]).create() } throws: {
            ($0 as? Diagnostic)?.code == "K007"
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("content/pages").path))
    }

    @Test func typeIsOnlyForAssetsAndTitlesAreRequired() {
        #expect(throws: (any Error).self) { try Kith.New.parse(["story", "A story", "--type", "space"]) }
        #expect(throws: (any Error).self) { try Kith.New.parse(["asset", "  "]) }
        #expect(throws: (any Error).self) { try Kith.New.parse(["profile", "Garden"]) }
        #expect((try? Kith.parseAsRoot(["new", "page", "About"])) is Kith.New)
    }
}
