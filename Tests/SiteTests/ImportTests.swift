import Content
import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import CLI
@testable import Site

/// The Open Referral fixtures: `KITH_HSDS_FIXTURES` or the shared folder.
private let hsdsFixtures = TestSupport.hsdsFixtures

/// An empty site with Kith's own theme, for importing into.
private struct ImportSite {
    let root: URL

    init(siteYAML: String = "title: \"Import test\"\n") throws {
        root = try TestSupport.temporaryDirectory("kith-import")
        try FileManager.default.copyItem(at: TestSupport.repositoryRoot.appendingPathComponent("templates"),
                                         to: root.appendingPathComponent("templates"))
        try TestSupport.write(["content/site.yml": siteYAML], under: root)
    }

    func hsds(_ fixture: String, force: Bool = false) throws -> ImportReport {
        try importHSDS(folder: hsdsFixtures.appendingPathComponent(fixture), display: fixture, force: force)
    }

    func importHSDS(folder: URL, display: String, force: Bool = false) throws -> ImportReport {
        try Importing.perform(root: root, force: force) { try HSDSImporter.read(folder: folder, displayFolder: display) }
    }

    func csv(_ text: String, name: String = "assets.csv", force: Bool = false) throws -> ImportReport {
        let file = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return try Importing.perform(root: root, force: force) {
            try SpreadsheetImporter.read(file: file, displayPath: name)
        }
    }

    func profile(_ slug: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("content/assets/\(slug).md"), encoding: .utf8)
    }

    func write(_ slug: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent("content/assets/\(slug).md"))
    }

    /// Every file of content/, relative path → bytes (the import record included).
    func contentSnapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = root.appendingPathComponent("content")
        for name in try FileManager.default.contentsOfDirectory(atPath: base.path) where name.hasSuffix(".json") {
            result[name] = try Data(contentsOf: base.appendingPathComponent(name))
        }
        let assets = base.appendingPathComponent("assets")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: assets.path)) ?? [] {
            result["assets/" + name] = try Data(contentsOf: assets.appendingPathComponent(name))
        }
        return result
    }

    func build() throws -> BuildReport {
        try SiteBuilder(options: BuildOptions(root: root)).build()
    }

    func page(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("public/" + path), encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// The diagnostics of an import expected to stop.
private func stopped(_ body: () throws -> ImportReport) -> [Diagnostic] {
    do {
        _ = try body()
        Issue.record("the import should have stopped")
        return []
    } catch let list as DiagnosticList {
        return list.diagnostics
    } catch let diagnostic as Diagnostic {
        return [diagnostic]
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

@Suite(.timeLimit(.minutes(2))) struct HSDSImportTests {
    @Test func bothFixturesImportAndBuild() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let openReferral = try site.hsds("openreferral-1.1")
        let ohana = try site.hsds("ohana-sample")
        #expect(openReferral.created.count == 10)
        #expect(ohana.created.count == 8)
        #expect(openReferral.skipped.isEmpty && ohana.skipped.isEmpty)
        // Nothing the content loader objects to, not even a warning.
        let loaded = ContentLoader.load(root: site.root, includeDrafts: false)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.description))")
        #expect(loaded.content?.assets.count == 18)

        let report = try site.build()
        #expect(report.warnings.isEmpty)
        for slug in ["sanctuary-example-city", "example-city-silvers", "redwood-city-public-library", "example-agency"] {
            #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public/assets/\(slug)/index.html").path))
        }
        let agency = try site.page("assets/example-agency/index.html")
        #expect(agency.contains("Passport Photos"))
    }

    @Test func organisationsBecomeProfiles() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("openreferral-1.1")
        _ = try site.hsds("ohana-sample")

        let sanctuary = try site.profile("sanctuary-example-city")
        #expect(sanctuary.hasPrefix("---\ntitle: \"Sanctuary Example City\"\ntype: \"association\"\n"))
        #expect(sanctuary.contains("address: \"Address 1, Address 2, New York City, NY 10001, US\""))
        #expect(sanctuary.contains("  email: \"sanctuary@example.com\""))
        #expect(sanctuary.contains("languages:\n  - \"English\"\n  - \"Spanish\""))
        #expect(sanctuary.contains("## Never Homeless Helpline"))
        #expect(sanctuary.contains("* **Hours:** Monday to Wednesday 09:00-17:00"))

        // Ohana: services keyed by location, addresses.csv, a website column, keywords as tags.
        let library = try site.profile("redwood-city-public-library")
        #expect(library.contains("type: \"institution\""))
        #expect(library.contains("address: \"2510 Middlefield Road, Redwood City, CA 94063, US\""))
        #expect(library.contains("geo:\n  lat: 37.478502\n  lon: -122.2141428"))
        #expect(library.contains("  - \"public libraries\""))
        #expect(library.contains("## Main Library"))
        #expect(library.contains("## Locations"))
        let agency = try site.profile("example-agency")
        #expect(agency.contains("hours: \"Monday to Friday 08:00-17:00; Saturday 10:00-18:00; Sunday 11:00-17:00\""))
        #expect(agency.contains("  website: \"http://example.org\""))
        #expect(agency.contains("* **Hours:** Monday 08:00-12:00, 14:00-16:00; Wednesday 10:00-15:00"))
        #expect(agency.contains("  - \"WIC\"") || agency.contains("  - \"wic\""))
    }

    @Test func summariesAreCutTo200Characters() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("ohana-sample")
        _ = try site.hsds("openreferral-1.1")
        let loaded = try #require(ContentLoader.load(root: site.root, includeDrafts: true).content)
        for asset in loaded.assets {
            #expect(asset.summary.count <= 200, "\(asset.slug): \(asset.summary.count) characters")
        }
        let roz = try #require(loaded.assets.first { $0.slug == "roz-bernstein-sample-org" })
        #expect(roz.summary.hasSuffix("\u{2026}"))
        // The full description opens the body.
        #expect(roz.body.contains("learning and support teaching staff."))
    }

    @Test func htmlInTextFieldsBecomesMarkdown() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("openreferral-1.1")
        for (path, data) in try site.contentSnapshot() where path.hasSuffix(".md") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<ul>") && !text.contains("<li>") && !text.contains("</"), "raw HTML in \(path)")
        }
        let silvers = try site.profile("example-city-silvers")
        #expect(silvers.contains("Serivices include:\n\n- Personal Care\n- Cleaning\n- Shopping"))
        #expect(silvers.contains("summary: \"Provision of services for older people"))
        #expect(silvers.contains("Serivices include: Personal Care, Cleaning, Shopping.\""))
        // A list in a description and the facts of its service stay two lists.
        let roz = try site.profile("roz-bernstein-sample-org")
        #expect(roz.contains("- Languages: Spanish\n\n* **Status:** inactive"))
    }

    @Test func organisationsAtTheSamePlaceAreConnected() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("openreferral-1.1")
        let parks = try site.profile("ap-example-city")
        #expect(parks.contains("""
            connections:
              - to: "example-house-league-of-friends"
                kind: "shares a site with"
                note: "Both at Example City Hall."
            """))
        #expect(try site.profile("example-city-family-project").contains("- to: \"example-city-carnival-bay\""))
        _ = try site.build()
        let page = try site.page("assets/example-house-league-of-friends/index.html")
        #expect(page.contains("AP Example City"))
    }

    @Test func orphanRowsAreReportedWithFileAndLine() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let data = try TestSupport.temporaryDirectory("kith-hsds")
        defer { try? FileManager.default.removeItem(at: data) }
        for name in try FileManager.default.contentsOfDirectory(atPath: hsdsFixtures.appendingPathComponent("openreferral-1.1").path) {
            try FileManager.default.copyItem(at: hsdsFixtures.appendingPathComponent("openreferral-1.1/\(name)"),
                                             to: data.appendingPathComponent(name))
        }
        let services = data.appendingPathComponent("services.csv")
        var text = try String(contentsOf: services, encoding: .utf8)
        if !text.hasSuffix("\n") { text += "\n" }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count
        text += "orphan-1,no-such-organisation,,Ghost Service,,\"A service, \"\"orphaned\"\".\",,,active,,,,,,,\n"
        try Data(text.utf8).write(to: services)
        let phones = data.appendingPathComponent("phones.csv")
        try Data((try String(contentsOf: phones, encoding: .utf8) + "p-x,,orphan-1,,,,0123,,voice,,,\n").utf8).write(to: phones)

        let report = try site.importHSDS(folder: data, display: "export")
        let orphans = report.diagnostics.filter { $0.code == ImportCode.orphanRow.rawValue }
        #expect(orphans.count == 1, "\(orphans.map(\.description))")
        let orphan = try #require(orphans.first)
        #expect(orphan.severity == .warning)
        #expect(orphan.path == "export/services.csv")
        #expect(orphan.location?.line == line)
        #expect(orphan.message.contains("no-such-organisation"))
        #expect(orphan.description.contains("export/services.csv:\(line):"))
        #expect(report.created.count == 10)
        #expect(!(try site.contentSnapshot().values.contains { String(decoding: $0, as: UTF8.self).contains("Ghost Service") }))
    }

    @Test func reimportingWritesTheSameBytes() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("openreferral-1.1")
        _ = try site.hsds("ohana-sample")
        let first = try site.contentSnapshot()
        let again = try site.hsds("openreferral-1.1")
        let ohanaAgain = try site.hsds("ohana-sample")
        #expect(again.written == 0 && ohanaAgain.written == 0)
        #expect(again.unchanged.count == 10 && ohanaAgain.unchanged.count == 8)
        #expect(try site.contentSnapshot() == first)

        // A fresh site gets the same bytes too.
        let other = try ImportSite()
        defer { other.remove() }
        _ = try other.hsds("openreferral-1.1")
        _ = try other.hsds("ohana-sample")
        #expect(try other.contentSnapshot() == first)
        #expect(first["assets/admin-test-org.md"] != nil)
        #expect(first[".kith-import.json"] != nil)
    }

    @Test func handEditedProfilesAreKeptUnlessForced() throws {
        let site = try ImportSite()
        defer { site.remove() }
        _ = try site.hsds("openreferral-1.1")
        let original = try site.profile("example-cross-trust")
        let edited = original.replacingOccurrences(of: "(223) 346 12361", with: "01632 960000")
        try site.write("example-cross-trust", edited)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("content/assets/example-city-silvers.md"))
        try site.write("sanctuary-example-city", original.replacingOccurrences(of: "Example Cross Trust", with: "Sanctuary (by hand)"))
        // A file the import did not write (here: left out of the import record).
        let recordURL = site.root.appendingPathComponent(ImportRecord.path)
        var record = try JSONDecoder().decode(ImportRecord.self, from: Data(contentsOf: recordURL))
        record.files["content/assets/youth-in-focus-example-city.md"] = nil
        try record.encoded().write(to: recordURL)

        let again = try site.hsds("openreferral-1.1")
        #expect(Set(again.skipped) == [
            "content/assets/example-cross-trust.md", "content/assets/example-city-silvers.md",
            "content/assets/sanctuary-example-city.md", "content/assets/youth-in-focus-example-city.md",
        ])
        let codes = Dictionary(grouping: again.diagnostics, by: \.code).mapValues(\.count)
        #expect(codes[ImportCode.editedByHand.rawValue] == 2)
        #expect(codes[ImportCode.deletedByHand.rawValue] == 1)
        #expect(codes[ImportCode.notImported.rawValue] == 1)
        #expect(try site.profile("example-cross-trust") == edited)
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/assets/example-city-silvers.md").path))
        #expect(again.summary.contains("4 skipped"))
        // The deleted profile is not a connection target any more, and the site still builds.
        _ = try site.build()

        let forced = try site.hsds("openreferral-1.1", force: true)
        #expect(forced.skipped.isEmpty)
        #expect(forced.created == ["content/assets/example-city-silvers.md"])
        #expect(try site.profile("example-cross-trust") == original)
        let settled = try site.hsds("openreferral-1.1")
        #expect(settled.written == 0 && settled.skipped.isEmpty)
    }

    @Test func aFolderWithoutOrganisationsStopsTheImport() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let empty = try TestSupport.temporaryDirectory("kith-hsds")
        defer { try? FileManager.default.removeItem(at: empty) }
        let problems = stopped { try site.importHSDS(folder: empty, display: "empty") }
        #expect(problems.map(\.code) == [ImportCode.sourceUnreadable.rawValue])
        #expect(problems.first?.message == "`empty` has no organizations.csv")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/assets").path))
    }

    @Test func hsds2LayoutWithAttributesAndSchedules() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let data = try TestSupport.temporaryDirectory("kith-hsds2")
        defer { try? FileManager.default.removeItem(at: data) }
        try TestSupport.write([
            "organizations.csv": """
                id,name,description,email,website
                o1,Brook Street Pantry,"<p>Food for <em>everyone</em>.</p><p>No questions asked.</p>",pantry@example.org,www.pantry.example.org
                o2,Canal Boxing Club,Boxing for young people.,,boxing.example.org/club
                o3,Town Hall Services,Council services.,info@hall.example.gov.uk,
                """,
            "locations.csv": """
                id,organization_id,name,latitude,longitude,location_type
                l1,o1,Church Hall,53.8,-1.55,physical
                l2,o2,Boxing Gym,,,physical
                l3,o3,Online,,,virtual
                """,
            "addresses.csv": """
                id,location_id,address_1,city,state_province,postal_code,country,address_type
                a0,l1,PO Box 1,Aldbridge,,AL1 1AA,GB,postal
                a1,l1,1 Brook Street,Aldbridge,,AL4 2FS,GB,physical
                a2,l2,1 Brook Street,Aldbridge,,AL4 2FS,GB,physical
                """,
            "services.csv": """
                id,organization_id,name,description,url,email,status,fees_description,eligibility_description
                s1,o1,Food parcels,Parcels on Fridays.,,,active,Free,Anyone
                s2,o2,Junior boxing,Ages 8 to 16.,,,active,£2 a session,
                s3,o3,Advice,Help with forms.,,,active,,
                """,
            "service_at_locations.csv": """
                id,service_id,location_id
                sl1,s1,l1
                sl3,s3,l1
                """,
            "taxonomy_terms.csv": """
                id,code,name
                t1,F,Food
                t2,S,SPORT
                """,
            "attributes.csv": """
                id,link_id,link_type,taxonomy_term_id
                at1,s1,service,t1
                at2,s2,service,t2
                at3,o1,organization,t2
                """,
            "schedules.csv": """
                id,service_id,location_id,byday,opens_at,closes_at,freq
                sc1,,l1,"MO,TU,WE",09:00,17:00,WEEKLY
                sc2,s2,,SA,10:00,12:00,WEEKLY
                """,
        ], under: data)
        let report = try site.importHSDS(folder: data, display: "v2")
        #expect(report.created.count == 3)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.description))")
        let pantry = try site.profile("brook-street-pantry")
        #expect(pantry.contains("summary: \"Food for everyone. No questions asked.\""))
        #expect(pantry.contains("address: \"1 Brook Street, Aldbridge, AL4 2FS, GB\""))
        #expect(pantry.contains("  website: \"https://www.pantry.example.org\""))
        #expect(pantry.contains("hours: \"Monday to Wednesday 09:00-17:00\""))
        #expect(pantry.contains("tags:\n  - \"food\"\n"))
        #expect(pantry.contains("cost: \"Free\""))
        #expect(pantry.contains("Food for *everyone*.\n\nNo questions asked."))
        // Same address (boxing), and a service of the hall held at the pantry's location.
        #expect(pantry.contains("- to: \"canal-boxing-club\"\n    kind: \"shares a site with\"\n    note: \"Both at 1 Brook Street, Aldbridge, AL4 2FS, GB.\""))
        #expect(pantry.contains("- to: \"town-hall-services\"\n    kind: \"shares a site with\"\n    note: \"Both at Church Hall.\""))
        let boxing = try site.profile("canal-boxing-club")
        #expect(boxing.contains("  website: \"https://boxing.example.org/club\""))
        #expect(boxing.contains("* **Hours:** Saturday 10:00-12:00"))
        #expect(boxing.contains("  - \"sport\""))
        #expect(try site.profile("town-hall-services").contains("type: \"institution\""))
        _ = try site.build()
    }

    @Test func kithsOwnHSDSExportImportsBack() throws {
        let fixture = try FixtureSite()
        defer { fixture.remove() }
        _ = try SiteBuilder(options: BuildOptions(root: fixture.root)).build()
        let site = try ImportSite()
        defer { site.remove() }
        let report = try site.importHSDS(folder: fixture.output.appendingPathComponent("hsds"), display: "hsds")
        #expect(report.created.count >= 3)
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty, "\(report.diagnostics.map(\.description))")
        _ = try site.build()
    }
}

@Suite(.timeLimit(.minutes(2))) struct SpreadsheetImportTests {
    static let good = """
        Title,Type,Summary,Tags,Website,E-mail,Opening hours,Latitude,Longitude,Description,Area\r
        Knit and Natter,Associations,"Knitting, tea and a chat.",craft; tea,www.knit.example.org,hello@knit.example.org,Tuesdays 14:00-16:00,53.79,-1.54,"<p>Bring <b>wool</b>.</p><script>alert(1)</script>",North End\r
        Knit and Natter,association,A second group with the same name.,,,,,,,,\r
        Corner Shop,Local economy,"Open late, sells everything. \(String(repeating: "Really everything. ", count: 12))",,"javascript:alert(1)",,,,,,\r
        ,,,,,,,,,,\r
        """

    @Test func rowsBecomeProfiles() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let report = try site.csv(Self.good)
        #expect(report.created == [
            "content/assets/knit-and-natter.md", "content/assets/knit-and-natter-2.md", "content/assets/corner-shop.md",
        ])
        let knit = try site.profile("knit-and-natter")
        #expect(knit == """
            ---
            title: "Knit and Natter"
            type: "association"
            summary: "Knitting, tea and a chat."
            area: "North End"
            tags:
              - "craft"
              - "tea"
            geo:
              lat: 53.79
              lon: -1.54
            contact:
              email: "hello@knit.example.org"
              website: "https://www.knit.example.org"
            hours: "Tuesdays 14:00-16:00"
            ---
            Bring **wool**.

            """)
        let shop = try site.profile("corner-shop")
        #expect(shop.contains("type: \"economy\""))
        #expect(!shop.contains("javascript"))
        let unusable = report.diagnostics.filter { $0.code == ImportCode.unusableValue.rawValue }
        #expect(unusable.count == 1)
        #expect(unusable.first?.position == "assets.csv:4:\(column(of: "\"javascript", line: 4, in: Self.good))")
        let loaded = try #require(ContentLoader.load(root: site.root, includeDrafts: false).content)
        let corner = try #require(loaded.assets.first { $0.slug == "corner-shop" })
        #expect(corner.summary.count <= 200)
        #expect(corner.body.contains("Really everything. Really everything."))
        _ = try site.build()
        // Same input, same bytes.
        let before = try site.contentSnapshot()
        let again = try site.csv(Self.good)
        #expect(again.written == 0 && again.unchanged.count == 3)
        #expect(try site.contentSnapshot() == before)
    }

    @Test func anUnknownColumnStopsTheImportWithItsPlace() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let problems = stopped { try site.csv("Titel,Type,Summary,Web site\nA,space,B,x.org\n") }
        #expect(problems.map(\.code) == [ImportCode.unknownColumn.rawValue, ImportCode.missingColumn.rawValue])
        let problem = try #require(problems.first)
        #expect(problem.code == ImportCode.unknownColumn.rawValue)
        #expect(problem.severity == .error)
        #expect(problem.position == "assets.csv:1:1")
        #expect(problem.label == "did you mean `title`?")
        // `Web site` is a known other name of `website`: no problem there.
        #expect(problems.allSatisfy { !$0.message.contains("Web site") })
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/assets").path))
    }

    @Test func missingAndDuplicateColumnsAreReported() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let problems = stopped { try site.csv("\u{FEFF}title;type;url;Website\r\nA;space;a.org;b.org\r\n") }
        let codes = problems.map(\.code).sorted()
        #expect(codes == [ImportCode.missingColumn.rawValue, ImportCode.duplicateColumn.rawValue].sorted())
        let missing = try #require(problems.first { $0.code == ImportCode.missingColumn.rawValue })
        #expect(missing.message == "the required column `summary` is missing")
        #expect(missing.location?.line == 1)
        let duplicate = try #require(problems.first { $0.code == ImportCode.duplicateColumn.rawValue })
        #expect(duplicate.position == "assets.csv:1:16")
    }

    @Test func rowsWithoutRequiredValuesAreLeftOut() throws {
        let site = try ImportSite()
        defer { site.remove() }
        let report = try site.csv("title,type,summary,status,tags\n,space,Nameless,,\nGarden,,No type,,\nHall,space,,,\nPark,space,Green.,closd,trees; !!!\n")
        #expect(report.created == ["content/assets/park.md"])
        let missing = report.diagnostics.filter { $0.code == ImportCode.missingValue.rawValue }
        #expect(missing.map { $0.location?.line ?? 0 } == [2, 3, 4])
        let unusable = report.diagnostics.filter { $0.code == ImportCode.unusableValue.rawValue }
        #expect(unusable.map(\.message) == ["`!!!` has no letters or digits; it is left out", "`closd` is not a status; it is left out"])
        #expect(try site.profile("park").contains("tags:\n  - \"trees\"\n"))
        let status = try #require(unusable.last)
        #expect(status.label == "did you mean `closed`?")
        #expect(status.position == "assets.csv:5:19")
    }

    @Test func typesOutsideTheBuiltInOnesAreWrittenAndReported() throws {
        let site = try ImportSite(siteYAML: """
            title: "Types"
            types:
              faith: {label: Faith groups}

            """)
        defer { site.remove() }
        let report = try site.csv("title,type,summary\nSt Aidan's,Faith,A church.\nHall,spcae,A hall.\n")
        let unknown = report.diagnostics.filter { $0.code == ImportCode.unknownType.rawValue }
        #expect(unknown.count == 2)
        #expect(unknown.last?.label == "did you mean `space`?")
        // The content check after the import names the type site.yml does not know.
        #expect(report.diagnostics.contains { $0.code == "K024" && $0.path == "content/assets/hall.md" })
        #expect(try site.profile("st-aidans").contains("type: \"faith\""))
    }
}

@Suite struct ImportTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var markdown: String
        var plain: String
        var testDescription: String { input }
    }

    static let richText: [Case] = [
        Case(input: "Plain text.", markdown: "Plain text.", plain: "Plain text."),
        Case(input: "One.\n\nTwo\nlines.", markdown: "One.\n\nTwo lines.", plain: "One. Two lines."),
        Case(input: "Offers:\n- food\n- shelter", markdown: "Offers:\n\n- food\n- shelter", plain: "Offers: food, shelter."),
        Case(input: "<p>A &amp; B</p><p>C&nbsp;D</p>", markdown: "A & B\n\nC D", plain: "A & B C D"),
        Case(input: "Hi<script>alert('x')</script><style>p{}</style> there", markdown: "Hi there", plain: "Hi there"),
        Case(input: "<b>Bold</b> and <em>soft</em>", markdown: "**Bold** and *soft*", plain: "Bold and soft"),
        Case(input: "<a href=\"www.x.org\">X</a> <a href=\"javascript:alert(1)\">Y</a>",
             markdown: "[X](https://www.x.org) Y", plain: "X Y"),
        Case(input: "<ul><li>a<ul><li>b</li></ul></li><li>c</ul>", markdown: "- a\n- b\n- c", plain: "a, b, c."),
        Case(input: "<ol><li>first</li><li>second</li></ol>", markdown: "1. first\n2. second", plain: "first, second."),
        Case(input: "Line<br>break", markdown: "Line\\\nbreak", plain: "Line break"),
        Case(input: "&lt;img src=x onerror=alert(1)&gt; *stars* [link]", markdown: "\\<img src=x onerror=alert(1)\\> \\*stars\\* \\[link\\]",
             plain: "<img src=x onerror=alert(1)> *stars* [link]"),
        Case(input: "<p># not a heading</p><p>1. not a list</p>", markdown: "\\# not a heading\n\n1\\. not a list",
             plain: "# not a heading 1. not a list"),
        Case(input: "snake_case and _under_", markdown: "snake_case and \\_under\\_", plain: "snake_case and _under_"),
        Case(input: "<!-- note --><div>Kept</div>", markdown: "Kept", plain: "Kept"),
        Case(input: "Age <60 & over", markdown: "Age \\<60 & over", plain: "Age <60 & over"),
    ]

    @Test(arguments: richText) func richTextBecomesMarkdown(_ test: Case) {
        let text = RichText(test.input)
        #expect(text.markdown == test.markdown)
        #expect(text.plain == test.plain)
    }

    static let websites: [(String, String?)] = [
        ("www.x.org", "https://www.x.org"),
        ("x.org/a/b?c=d", "https://x.org/a/b?c=d"),
        ("HTTP://Example.org", "http://Example.org"),
        ("https://a.example.org", "https://a.example.org"),
        ("//cdn.example.org/x", "https://cdn.example.org/x"),
        ("example.org:8080/path", "https://example.org:8080/path"),
        ("<www.x.org>", "https://www.x.org"),
        ("www.a.org, www.b.org", "https://www.a.org"),
        ("javascript:alert(1)", nil),
        ("mailto:a@b.org", nil),
        ("ftp://files.example.org", nil),
        ("not a website", nil),
        ("localhost", nil),
        ("", nil),
    ]

    @Test(arguments: websites) func schemeLessAddressesAreRepaired(_ input: String, _ expected: String?) {
        #expect(AddressRepair.website(input) == expected)
    }

    @Test func emailsAndPhones() {
        #expect(AddressRepair.email("mailto:Ann@Example.org") == "Ann@Example.org")
        #expect(AddressRepair.email("a@b.org; c@d.org") == "a@b.org")
        #expect(AddressRepair.email("a@b") == nil)
        #expect(AddressRepair.email("a\"<script>@b.org") == nil)
        #expect(AddressRepair.phone("650  403-4300", extension: "4385") == "650 403-4300 ext. 4385")
        #expect(AddressRepair.phone("n/a") == nil)
    }

    @Test func summariesKeepWholeSentencesOrWords() {
        let sentences = String(repeating: "A sentence of some length. ", count: 10)
        let cut = TextTools.summary(sentences)
        #expect(cut.count <= 200 && cut.hasSuffix("length."))
        let words = String(repeating: "word ", count: 60)
        let cutWords = TextTools.summary(words)
        #expect(cutWords.count <= 200 && cutWords.hasSuffix("word\u{2026}"))
        let oneWord = String(repeating: "x", count: 300)
        #expect(TextTools.summary(oneWord).count == 200)
        #expect(TextTools.summary("Short.") == "Short.")
    }

    @Test func schedulesAreWrittenAsOneLine() {
        let week = (1...5).map { Schedule.Entry(day: $0, opens: "09:00", closes: "17:00") }
            + [Schedule.Entry(day: 6, opens: "10:00", closes: "13:00")]
        #expect(Schedule.describe(week) == "Monday to Friday 09:00-17:00; Saturday 10:00-13:00")
        #expect(Schedule.days("MO,WE") == [1, 3])
        #expect(Schedule.days("7") == [7])
        #expect(Schedule.days("Tue") == [2])
        #expect(Schedule.time("9am") == "09:00")
        #expect(Schedule.time("4:00 PM") == "16:00")
        #expect(Schedule.time("12:30 am") == "00:30")
        #expect(Schedule.time("09:00:00Z") == "09:00")
        #expect(Schedule.time("soon") == "")
        #expect(Schedule.describe([]) == nil)
    }

    @Test func typeRule() {
        #expect(AssetTypeRule.type(name: "Redwood City Public Library", alternateName: "", legalStatus: "", addresses: []) == "institution")
        #expect(AssetTypeRule.type(name: "AP Example City", alternateName: "", legalStatus: "", addresses: ["ap@example.gov"]) == "institution")
        #expect(AssetTypeRule.type(name: "Parks", alternateName: "", legalStatus: "", addresses: ["https://parks.leeds.gov.uk"]) == "institution")
        #expect(AssetTypeRule.type(name: "Mill Hill Allotment Society", alternateName: "", legalStatus: "non-profit", addresses: []) == "association")
        #expect(AssetTypeRule.type(name: "Schoolhouse Cafe", alternateName: "", legalStatus: "", addresses: []) == "association")
        #expect(AssetTypeRule.type(name: "Friends", alternateName: "", legalStatus: "Government", addresses: []) == "institution")
    }

    @Test func sha256KnownDigests() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

@Suite struct CSVReaderTests {
    @Test func quotesNewlinesAndLineEndings() throws {
        let text = "a,b,c\r\n1,\"two, with comma\",\"three\r\nlines \"\"quoted\"\"\"\r\n\r\n4,,\n5,x\"y,\"z\"\n"
        let table = try CSVReader.parse(text, path: "t.csv")
        #expect(table.header.map(\.text) == ["a", "b", "c"])
        #expect(table.rows.map { $0.cells.map(\.text) } == [
            ["1", "two, with comma", "three\r\nlines \"quoted\""],
            ["4", "", ""],
            ["5", "x\"y", "z"],
        ])
        #expect(table.rows.map(\.line) == [2, 5, 6])
        #expect(table.rows[0].cells[2].column == 21)
        #expect(table.value(table.rows[0], "b") == "two, with comma")
    }

    @Test func separatorsAreDetectedFromTheHeader() throws {
        #expect(try CSVReader.parse("a;b\n1,5;2\n", path: "t.csv").rows[0].cells.map(\.text) == ["1,5", "2"])
        #expect(try CSVReader.parse("a\tb\n1\t2\n", path: "t.csv").rows[0].cells.map(\.text) == ["1", "2"])
        #expect(try CSVReader.parse("a,b\n\"1;2\",3\n", path: "t.csv").rows[0].cells.map(\.text) == ["1;2", "3"])
    }

    @Test func anUnclosedQuoteIsAnErrorWhereItOpens() {
        let error = #expect(throws: CSVReadError.self) { try CSVReader.parse("a,b\n1,2\n3,\"open\n4,5\n", path: "t.csv") }
        #expect(error?.diagnostic.code == ImportCode.unclosedQuote.rawValue)
        #expect(error?.diagnostic.position == "t.csv:3:3")
    }

    @Test func byteOrderMarkAndOtherEncodings() throws {
        let folder = try TestSupport.temporaryDirectory("kith-csv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bom = folder.appendingPathComponent("bom.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("title\nCaf\u{E9}\n".utf8)).write(to: bom)
        let (table, warnings) = try CSVReader.read(bom, displayPath: "bom.csv")
        #expect(table.header.first?.text == "title" && table.rows.first?.cells.first?.text == "Caf\u{E9}")
        #expect(warnings.isEmpty)
        let latin = folder.appendingPathComponent("latin.csv")
        try Data(Array("title\nCaf".utf8) + [0xE9, 0x0A]).write(to: latin)
        let (read, notes) = try CSVReader.read(latin, displayPath: "latin.csv")
        #expect(read.rows.first?.cells.first?.text == "Caf\u{E9}")
        #expect(notes.map(\.code) == [ImportCode.notUTF8.rawValue])
    }
}

@Suite struct YAMLWriterTests {
    static let awkward = [
        "yes", "null", "1.0", "2026-01-01", "- dash", "# hash", "key: value", "\"quoted\" and 'single'",
        "back\\slash", "tab\there", "line\u{2028}separator", "bell\u{07}", "&anchor *alias", "{flow}", "[list]",
        "@at `tick`", "%percent", "!tag", "|pipe", ">fold", "trailing space ", "  leading", "caf\u{E9} \u{1F600}",
    ]

    @Test(arguments: awkward) func everyStringReadsBackAsItself(_ text: String) throws {
        let site = try FixtureSite(files: ["content/site.yml": "title: Round trip\n"])
        defer { site.remove() }
        var profile = ImportedProfile(key: "t", preferredSlug: "t", title: "T " + text, type: "space", summary: text)
        profile.tags = [text]
        profile.contact = [("phone", text)]
        try TestSupport.write(["content/assets/t.md": profile.render(slugs: [:])], under: site.root)
        let loaded = ContentLoader.load(root: site.root, includeDrafts: false)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.description))")
        let asset = try #require(loaded.content?.assets.first)
        let expected = oneLine(text)
        #expect(asset.summary == expected)
        #expect(asset.tags == [expected])
        #expect(asset.contact.first?.value == expected)
    }

    @Test func numbersHaveNoExponent() {
        #expect(YAMLWriter.format(0.00001) == "0.00001")
        #expect(YAMLWriter.format(-122.2273954) == "-122.2273954")
        #expect(YAMLWriter.format(53) == "53")
        #expect(YAMLWriter.format(-0.0) == "0")
    }
}

/// What the content loader makes of a one-line text field.
private func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The 1-based column (in Unicode scalars) where `needle` starts on line `line` of `text`.
private func column(of needle: String, line: Int, in text: String) -> Int {
    let lineText = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")[line - 1]
    let start = lineText.range(of: needle)!.lowerBound
    return lineText.unicodeScalars.distance(from: lineText.unicodeScalars.startIndex, to: start) + 1
}
