import Foundation
import Testing
@testable import Content
import Diagnostics
import TestSupport

@Suite struct RealisticSiteTests {
    static let files: [String: String] = [
        "content/site.yml": """
            title: Northside Community Directory
            description: The people and places of Northside.
            language: en-GB
            base_url: https://example.org/northside/
            stale_after_months: 6
            edit_url: https://forge.example/northside/edit/main/{path}
            types:
              faith: {label: Faith groups, colour: "#7b3f9e"}
            areas:
              - name: Canal End
                description: Streets down to the canal.
              - name: Brook Street

            """,
        "content/assets/canal-end-orchard.md": """
            ---
            title: Canal End Community Orchard
            type: space
            summary: Twenty-four fruit trees planted by neighbours beside the canal.
            area: [canal-end, Brook Street]
            tags: [gardening, food]
            address: Towpath between Lock Street and the Wharf, Aldbridge AL4 2WF
            geo: {lat: 53.7953, lon: -1.5452}
            contact:
              website: https://orchard.example.org/
              email: orchard@example.org
              instagram: "@canalendorchard"
            hours: Always open; work parties the first Sunday, 10:00-12:00
            cost: Free
            audience: Everyone
            accessibility: Grass paths; muddy in winter
            languages: English
            gifts:
              - free fruit in season
              - a place to learn about fruit trees
            needs: a water butt
            status: paused
            connections:
              - to: mill-hill-allotments
                kind: supported by
                note: The allotment society grafted the first trees.
              - to: maria-costa
            image:
              src: media/photos/orchard.jpg
              alt: Young apple trees in blossom beside the towpath
            updated: 2026-09-21
            ---
            The orchard was planted in February 2023.

            """,
        "content/assets/mill-hill-allotments.md": """
            ---
            title: Mill Hill Allotments
            type: space
            summary: Forty plots on the hill.
            ---
            """,
        "content/assets/maria-costa.md": "---\r\ntitle: Maria Costa\r\ntype: individual\r\nsummary: Seamstress who teaches mending.\r\npublic_contact: yes\r\ncontact: {phone: 01632 960418}\r\n---\r\nMaria mends.\r\n",
        "content/assets/st-aidans.md": """
            \u{FEFF}---
            title: St Aidan's Church
            type: faith
            summary: "A parish church: open for quiet prayer."
            ---
            """,
        "content/stories/how-the-orchard-grew.md": """
            ---
            title: How the orchard grew
            date: 2026-04-02
            author: Dennis Akinola
            summary: From fly-tipping to fruit.
            assets:
              - canal-end-orchard
              - mill-hill-allotments
            tags: [food]
            image: {src: media/photos/orchard.jpg, alt: Planting day}
            ---
            It started with a skip.
            """,
        "content/pages/about.md": """
            ---
            title: About this directory
            summary: Who keeps it.
            weight: 10
            ---
            We are neighbours.
            """,
        "content/pages/privacy.md": "---\ntitle: Privacy\n---\n",
        "content/media/photos/orchard.jpg": "jpeg",
        "content/media/leaflet.pdf": "pdf",
        "content/media/.DS_Store": "hidden",
    ]

    @Test func everyFieldIsRead() throws {
        let loaded = try Fixture.load(Self.files)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.firstLines)")
        let content = try #require(loaded.content)

        #expect(content.assets.map(\.slug) == ["canal-end-orchard", "maria-costa", "mill-hill-allotments", "st-aidans"])
        #expect(content.mediaFiles == ["leaflet.pdf", "photos/orchard.jpg"])
        #expect(content.config.types.last?.slug == "faith")

        let orchard = content.assets[0]
        #expect(orchard.sourcePath == "content/assets/canal-end-orchard.md")
        #expect(orchard.source.path == "content/assets/canal-end-orchard.md")
        #expect(orchard.title == "Canal End Community Orchard")
        #expect(orchard.type == "space")
        #expect(orchard.summary == "Twenty-four fruit trees planted by neighbours beside the canal.")
        #expect(orchard.areas == ["Canal End", "Brook Street"])
        #expect(orchard.tags == ["gardening", "food"])
        #expect(orchard.address == "Towpath between Lock Street and the Wharf, Aldbridge AL4 2WF")
        #expect(orchard.geo == Geo(lat: 53.7953, lon: -1.5452))
        #expect(orchard.contact == [
            ContactEntry(key: "website", value: "https://orchard.example.org/"),
            ContactEntry(key: "email", value: "orchard@example.org"),
            ContactEntry(key: "instagram", value: "@canalendorchard"),
        ])
        #expect(orchard.hours == "Always open; work parties the first Sunday, 10:00-12:00")
        #expect(orchard.cost == "Free")
        #expect(orchard.audience == "Everyone")
        #expect(orchard.accessibility == "Grass paths; muddy in winter")
        #expect(orchard.languages == ["English"])
        #expect(orchard.gifts == ["free fruit in season", "a place to learn about fruit trees"])
        #expect(orchard.needs == ["a water butt"])
        #expect(orchard.status == .paused)
        #expect(orchard.connections == [
            Connection(to: "mill-hill-allotments", kind: "supported by",
                       note: "The allotment society grafted the first trees.", line: 24, column: 9, width: 20),
            Connection(to: "maria-costa", kind: "works with", note: nil, line: 27, column: 9, width: 11),
        ])
        #expect(orchard.image == ImageRef(src: "media/photos/orchard.jpg", alt: "Young apple trees in blossom beside the towpath"))
        #expect(orchard.updated == "2026-09-21")
        #expect(orchard.publicContact == false)
        #expect(orchard.draft == false)
        #expect(orchard.body == "The orchard was planted in February 2023.\n")
        #expect(orchard.bodyStartLine == 33)
        #expect(orchard.source.location(of: orchard.bodyStartOffset) == SourceLocation(line: 33, column: 1))

        let maria = content.assets[1]
        #expect(maria.publicContact == true)
        #expect(maria.contact == [ContactEntry(key: "phone", value: "01632 960418")])
        #expect(maria.status == .active)
        #expect(maria.body == "Maria mends.\r\n")
        #expect(maria.bodyStartLine == 8)

        let church = content.assets[3]
        #expect(church.type == "faith")
        #expect(church.summary == "A parish church: open for quiet prayer.")
        #expect(church.body == "")

        let story = try #require(content.stories.first)
        #expect(story.slug == "how-the-orchard-grew")
        #expect(story.title == "How the orchard grew")
        #expect(story.date == "2026-04-02")
        #expect(story.author == "Dennis Akinola")
        #expect(story.summary == "From fly-tipping to fruit.")
        #expect(story.assets == [
            SlugReference(slug: "canal-end-orchard", line: 7, column: 5, width: 17),
            SlugReference(slug: "mill-hill-allotments", line: 8, column: 5, width: 20),
        ])
        #expect(story.tags == ["food"])
        #expect(story.image == ImageRef(src: "media/photos/orchard.jpg", alt: "Planting day"))
        #expect(story.body == "It started with a skip.")
        #expect(story.bodyStartLine == 12)

        #expect(content.pages.map(\.slug) == ["about", "privacy"])
        let about = content.pages[0]
        #expect(about.title == "About this directory")
        #expect(about.summary == "Who keeps it.")
        #expect(about.weight == 10)
        #expect(about.body == "We are neighbours.")
        #expect(content.pages[1].weight == 0)
        #expect(content.pages[1].summary == nil)
    }

    @Test func missingFoldersAreFine() throws {
        let loaded = try Fixture.load([:])
        #expect(loaded.diagnostics.isEmpty)
        let content = try #require(loaded.content)
        #expect(content.assets.isEmpty && content.stories.isEmpty && content.pages.isEmpty && content.mediaFiles.isEmpty)
        #expect(content.config.title == "Test Directory")
    }

    @Test func missingSiteFolderIsAnError() {
        let result = ContentLoader.load(root: URL(fileURLWithPath: "/nonexistent/kith-site"), includeDrafts: false)
        #expect(result.content == nil)
        #expect(result.diagnostics.map(\.code) == ["K001"])
    }
}

@Suite struct DraftTests {
    static let files: [String: String] = [
        "content/assets/garden.md": Fixture.file(
            "title: Garden", "type: space", "summary: S", "connections: [{to: shed}, {to: library}]"),
        "content/assets/library.md": Fixture.file("title: Library", "type: institution", "summary: S"),
        "content/assets/shed.md": Fixture.file("title: Shed", "type: space", "summary: S", "draft: true"),
        "content/stories/s.md": Fixture.file("title: S", "date: 2026-01-01", "assets: [shed, garden]"),
        "content/stories/wip.md": Fixture.file("title: Not yet", "date: 2026-01-02", "draft: true"),
        "content/pages/soon.md": Fixture.file("title: Soon", "draft: true"),
    ]

    @Test func draftsAndTheirReferencesAreLeftOut() throws {
        let loaded = try Fixture.load(Self.files, includeDrafts: false)
        #expect(loaded.diagnostics.isEmpty)
        let content = try #require(loaded.content)
        #expect(content.assets.map(\.slug) == ["garden", "library"])
        #expect(content.assets[0].connections.map(\.to) == ["library"])
        #expect(content.stories.map(\.slug) == ["s"])
        #expect(content.stories[0].assets.map(\.slug) == ["garden"])
        #expect(content.pages.isEmpty)
    }

    @Test func draftsAreKeptWhenAskedFor() throws {
        let loaded = try Fixture.load(Self.files, includeDrafts: true)
        let content = try #require(loaded.content)
        #expect(content.assets.map(\.slug) == ["garden", "library", "shed"])
        #expect(content.assets[2].draft)
        #expect(content.assets[0].connections.map(\.to) == ["shed", "library"])
        #expect(content.stories.map(\.slug) == ["s", "wip"])
        #expect(content.stories[0].assets.map(\.slug) == ["shed", "garden"])
        #expect(content.pages.map(\.slug) == ["soon"])
    }

    @Test func draftsAreCheckedToo() throws {
        var files = Self.files
        files["content/assets/shed.md"] = Fixture.file("title: Shed", "type: shack", "summary: S", "draft: true")
        let loaded = try Fixture.load(files, includeDrafts: false)
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == ["content/assets/shed.md:3:7: error: unknown asset type `shack` [K024]"])
    }
}

@Suite struct AssetValueTests {
    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let original = Asset(
            slug: "garden", sourcePath: "content/assets/garden.md", source: SourceFile(path: "content/assets/garden.md", text: "x"),
            title: "Garden", type: "space", summary: "Beds.", tags: ["food"], geo: Geo(lat: 1, lon: 2))
        var copy = original
        copy.title = "Allotment"
        copy.tags.append("growing")
        copy.geo = nil
        copy.status = .closed
        #expect(original.title == "Garden" && original.tags == ["food"] && original.geo == Geo(lat: 1, lon: 2))
        #expect(original.status == .active)
        #expect(copy.title == "Allotment" && copy.tags == ["food", "growing"] && copy.geo == nil && copy.status == .closed)
        #expect(copy.slug == original.slug && copy.summary == original.summary)
    }
}

@Suite struct FileTests {
    static let valid = Fixture.file("title: Garden", "type: space", "summary: S")

    @Test func linkOutOfTheSiteIsRefused() throws {
        let outside = try TestSupport.temporaryDirectory("kith-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try TestSupport.write(["secret.md": Self.valid, "photo.jpg": "jpeg", "folder/inner.jpg": "jpeg"], under: outside)
        let loaded = try Fixture.load([:]) { root in
            let fm = FileManager.default
            try fm.createDirectory(at: root.appendingPathComponent("content/assets"), withIntermediateDirectories: true)
            try fm.createDirectory(at: root.appendingPathComponent("content/media"), withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/assets/secret.md").path,
                                      withDestinationPath: outside.appendingPathComponent("secret.md").path)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/media/photo.jpg").path,
                                      withDestinationPath: outside.appendingPathComponent("photo.jpg").path)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/media/folder").path,
                                      withDestinationPath: outside.appendingPathComponent("folder").path)
        }
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == [
            "content/assets/secret.md: error: `content/assets/secret.md` is a link that leads outside the site folder [K004]",
            "content/media/folder: error: `content/media/folder` is a link that leads outside the site folder [K004]",
            "content/media/photo.jpg: error: `content/media/photo.jpg` is a link that leads outside the site folder [K004]",
        ])
    }

    @Test func linksInsideTheSiteAreFollowed() throws {
        let loaded = try Fixture.load(["shared/garden.md": Self.valid, "shared/pictures/a.jpg": "jpeg"]) { root in
            let fm = FileManager.default
            try fm.createDirectory(at: root.appendingPathComponent("content/assets"), withIntermediateDirectories: true)
            try fm.createDirectory(at: root.appendingPathComponent("content/media"), withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/assets/garden.md").path,
                                      withDestinationPath: "../../shared/garden.md")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/media/pictures").path,
                                      withDestinationPath: "../../shared/pictures")
            // A link back up would loop forever if followed blindly.
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("content/media/loop").path,
                                      withDestinationPath: "../media")
        }
        #expect(loaded.diagnostics.isEmpty, "\(loaded.firstLines)")
        let content = try #require(loaded.content)
        #expect(content.assets.map(\.slug) == ["garden"])
        #expect(content.assets[0].sourcePath == "content/assets/garden.md")
        #expect(content.mediaFiles == ["pictures/a.jpg"])
    }

    @Test func brokenLinkIsReported() throws {
        let loaded = try Fixture.load([:]) { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent("content/assets/gone.md").path, withDestinationPath: "nowhere.md")
        }
        #expect(loaded.firstLines == [
            "content/assets/gone.md: error: `content/assets/gone.md` is a link to something that does not exist [K004]",
        ])
    }

    @Test func invalidUTF8IsReportedWhereItIs() throws {
        let loaded = try Fixture.load([:]) { root in
            var bytes = Array("---\ntitle: Caf".utf8)
            bytes += [0xE9]  // "é" in Latin-1
            bytes += Array("\ntype: space\n---\n".utf8)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: root.appendingPathComponent("content/assets/cafe.md"))
        }
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == ["content/assets/cafe.md:2:11: error: `content/assets/cafe.md` is not UTF-8 text [K003]"])
    }

    @Test func oversizedFileIsRefused() throws {
        let loaded = try Fixture.load([:]) { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            let big = Data(Self.valid.utf8) + Data(repeating: UInt8(ascii: "a"), count: SiteFolder.sizeLimit)
            try big.write(to: root.appendingPathComponent("content/assets/big.md"))
        }
        #expect(loaded.firstLines == ["content/assets/big.md: error: `content/assets/big.md` is larger than 10 MB [K002]"])
    }

    struct SlugCase: CustomTestStringConvertible, Sendable {
        var file: String
        var help: String
        var testDescription: String { file }
    }

    @Test(arguments: [
        SlugCase(file: "Garden.md", help: "rename it to `garden.md`: file names use only lowercase letters a-z, digits and hyphens"),
        SlugCase(file: "Café Corner.md", help: "rename it to `cafe-corner.md`: file names use only lowercase letters a-z, digits and hyphens"),
        SlugCase(file: "old--garden.md", help: "rename it to `old-garden.md`: file names use only lowercase letters a-z, digits and hyphens"),
        SlugCase(file: "-garden.md", help: "rename it to `garden.md`: file names use only lowercase letters a-z, digits and hyphens"),
        SlugCase(file: "!!!.md", help: "rename the file using only lowercase letters a-z, digits and hyphens"),
    ])
    func invalidFileNamesAreErrors(_ c: SlugCase) throws {
        let loaded = try Fixture.load(["content/assets/\(c.file)": Self.valid])
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == [
            "content/assets/\(c.file): error: the file name `\(c.file)` is not a valid slug [K005]",
        ])
        #expect(loaded.diagnostics.first?.help == c.help)
    }

    @Test func lookalikeFilesAndFoldersAreIgnoredWithAWarning() throws {
        let loaded = try Fixture.load([
            "content/assets/garden.md": Self.valid,
            "content/assets/orchard.markdown": Self.valid,
            "content/assets/Shed.MD": Self.valid,
            "content/assets/notes.txt": "notes",
            "content/assets/photo.jpg": "jpeg",
            "content/assets/.hidden.md": Self.valid,
            "content/assets/old/library.md": Self.valid,
        ])
        #expect(loaded.firstLines == [
            "content/assets/Shed.MD: warning: `content/assets/Shed.MD` is ignored: only files ending in `.md` are read [K006]",
            "content/assets/notes.txt: warning: `content/assets/notes.txt` is ignored: only files ending in `.md` are read [K006]",
            "content/assets/old: warning: the folder `content/assets/old` is ignored [K006]",
            "content/assets/orchard.markdown: warning: `content/assets/orchard.markdown` is ignored: only files ending in `.md` are read [K006]",
        ])
        #expect(loaded.diagnostics[0].help == "rename it to `shed.md`")
        #expect(loaded.content?.assets.map(\.slug) == ["garden"])
    }

    struct BrokenFile: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var firstLine: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BrokenFile(name: "empty", text: "",
                   firstLine: "content/assets/x.md: error: `content/assets/x.md` is empty [K008]"),
        BrokenFile(name: "no front matter", text: "title: X\ntype: space\n",
                   firstLine: "content/assets/x.md:1:1: error: the file does not start with front matter [K009]"),
        BrokenFile(name: "byte order mark, no front matter", text: "\u{FEFF}# Garden\n",
                   firstLine: "content/assets/x.md:1:2: error: the file does not start with front matter [K009]"),
        BrokenFile(name: "unclosed", text: "---\ntitle: X\ntype: space\n\nBody text\n",
                   firstLine: "content/assets/x.md:1:1: error: the front matter is never closed [K010]"),
    ])
    func unusableFilesAreReported(_ c: BrokenFile) throws {
        let loaded = try Fixture.load(["content/assets/x.md": c.text])
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == [c.firstLine])
    }

    @Test func unclosedFrontMatterSaysHowToClose() throws {
        let loaded = try Fixture.load(["content/assets/x.md": "---\ntitle: X\n"])
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(diagnostic.width == 3)
        #expect(diagnostic.label == "opened here")
        #expect(diagnostic.help == "add a line `---` after the last field, before the text of the page")
    }

    @Test func diagnosticsAreSortedByFileAndPosition() throws {
        let loaded = try Fixture.load([
            "content/assets/b.md": Fixture.file("title: B", "type: nope", "summary: S", "tags: x"),
            "content/assets/a.md": Fixture.file("title: A", "type: space", "summary: S", "status: gone"),
        ])
        #expect(loaded.diagnostics.map { "\($0.path ?? ""):\($0.location?.line ?? 0)" } == [
            "content/assets/a.md:5", "content/assets/b.md:3", "content/assets/b.md:5",
        ])
    }
}
