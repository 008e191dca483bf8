import Foundation
import Testing
@testable import Content
import Diagnostics
import TestSupport

/// Each case writes one file next to two valid assets and expects exactly one
/// diagnostic, asserted on its rendered first line and, where it matters, its
/// caret label and help.
@Suite struct ValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path = "content/assets/x.md"
        var text: String
        var firstLine: String
        var label: String?
        var help: String?
        var testDescription: String { name }
    }

    /// An asset file: title, type and summary on lines 2-4, then `extra` from line 5.
    static func asset(_ extra: String...) -> String {
        Fixture.file(["title: X", "type: space", "summary: A place."] + extra)
    }

    static let assetCases: [Case] = [
        Case(name: "missing summary", text: Fixture.file("title: X", "type: space"),
             firstLine: "content/assets/x.md:1:1: error: the required field `summary` is missing [K020]",
             help: "add a line such as: summary: One sentence about what this asset offers"),
        Case(name: "missing title", text: Fixture.file("type: space", "summary: S"),
             firstLine: "content/assets/x.md:1:1: error: the required field `title` is missing [K020]",
             help: "add a line such as: title: Northside Community Garden"),
        Case(name: "empty title", text: Fixture.file("title:", "type: space", "summary: S"),
             firstLine: "content/assets/x.md:2:1: error: `title` is empty [K021]"),
        Case(name: "blank quoted summary", text: Fixture.file("title: X", "type: space", "summary: \"  \""),
             firstLine: "content/assets/x.md:4:1: error: `summary` is empty [K021]"),
        Case(name: "title that is a list", text: Fixture.file("title: [a, b]", "type: space", "summary: S"),
             firstLine: "content/assets/x.md:2:8: error: `title` must be text, not a list [K022]"),
        Case(name: "an empty tag", text: asset("tags:", "  - food", "  - ''", "  - garden"),
             firstLine: "content/assets/x.md:7:5: warning: an item of `tags` is empty, so it is left out [K034]"),
        Case(name: "tags as text", text: asset("tags: food"),
             firstLine: "content/assets/x.md:5:7: error: `tags` must be a list [K022]",
             label: "this is text, not a list", help: "write it as a list, such as: tags: [food, gardening]"),
        Case(name: "tag that is a group", text: asset("tags: [food, {a: b}]"),
             firstLine: "content/assets/x.md:5:14: error: each item of `tags` must be text, not a group of fields [K022]"),
        Case(name: "latitude out of range", text: asset("geo: {lat: 95, lon: 1}"),
             firstLine: "content/assets/x.md:5:12: error: `geo.lat` must be a number between -90 and 90 [K023]"),
        Case(name: "latitude not a number", text: asset("geo: {lat: north, lon: 1}"),
             firstLine: "content/assets/x.md:5:12: error: `geo.lat` must be a number between -90 and 90 [K022]"),
        Case(name: "longitude missing", text: asset("geo:", "  lat: 53.1"),
             firstLine: "content/assets/x.md:5:1: error: the required field `geo.lon` is missing [K020]"),
        Case(name: "geo as text", text: asset("geo: 53.79, -1.54"),
             firstLine: "content/assets/x.md:5:6: error: `geo` must be a group of fields, not text [K022]",
             help: "write it like this: geo: {lat: 53.7953, lon: -1.5452}"),
        Case(name: "unknown type", text: Fixture.file("title: X", "type: asociation", "summary: S"),
             firstLine: "content/assets/x.md:3:7: error: unknown asset type `asociation` [K024]",
             label: "did you mean `association`?",
             help: "use one of: individual, association, institution, space, economy, culture; or add a new type under `types:` in content/site.yml"),
        Case(name: "type written as its label", text: Fixture.file("title: X", "type: Local economy", "summary: S"),
             firstLine: "content/assets/x.md:3:7: error: unknown asset type `Local economy` [K024]",
             label: "did you mean `economy`?"),
        Case(name: "summary too long",
             text: Fixture.file("title: X", "type: space", "summary: " + String(repeating: "a", count: 201)),
             firstLine: "content/assets/x.md:4:10: error: the summary is 201 characters long; at most 200 are allowed [K025]",
             label: "1 characters too many"),
        Case(name: "date that does not exist", text: asset("updated: 2026-02-30"),
             firstLine: "content/assets/x.md:5:10: error: `2026-02-30` is not a real date [K026]",
             label: "February 2026 has 28 days"),
        Case(name: "no month 13", text: asset("updated: 2026-13-01"),
             firstLine: "content/assets/x.md:5:10: error: `2026-13-01` is not a real date [K026]",
             label: "there is no month 13"),
        Case(name: "date in another order", text: asset("updated: 30/01/2026"),
             firstLine: "content/assets/x.md:5:10: error: `updated` must be a date written as YYYY-MM-DD [K026]"),
        Case(name: "date without zeros", text: asset("updated: 2026-3-4"),
             firstLine: "content/assets/x.md:5:10: error: `updated` must be a date written as YYYY-MM-DD [K026]",
             label: "did you mean `2026-03-04`?"),
        Case(name: "unknown status", text: asset("status: closd"),
             firstLine: "content/assets/x.md:5:9: error: `status` must be one of `active`, `paused` or `closed`, not `closd` [K027]",
             label: "did you mean `closed`?"),
        Case(name: "draft not true or false", text: asset("draft: maybe"),
             firstLine: "content/assets/x.md:5:8: error: `draft` must be true or false [K022]"),
        Case(name: "unknown field", text: asset("sumary: again"),
             firstLine: "content/assets/x.md:5:1: warning: Kith does not know the field `sumary` [K028]",
             label: "did you mean `summary`?"),
        Case(name: "unknown field inside geo", text: asset("geo: {lat: 1, lon: 2, alt: 3}"),
             firstLine: "content/assets/x.md:5:23: warning: Kith does not know the field `geo.alt` [K028]"),
        Case(name: "connection without to", text: asset("connections:", "  - kind: hosts"),
             firstLine: "content/assets/x.md:6:5: error: this connection does not say which asset it connects to [K030]"),
        Case(name: "connections as text", text: asset("connections: library"),
             firstLine: "content/assets/x.md:5:14: error: `connections` must be a list [K022]"),
        Case(name: "unknown connection target", text: asset("connections:", "  - to: nrthside-library"),
             firstLine: "content/assets/x.md:6:9: error: unknown connection target `nrthside-library` [K012]",
             label: "did you mean `northside-library`?",
             help: "use the file name of a profile in content/assets, without .md"),
        Case(name: "connection target that is not a slug", text: asset("connections:", "  - to: Northside Library"),
             firstLine: "content/assets/x.md:6:9: error: `Northside Library` is not an asset slug [K031]",
             label: "did you mean `northside-library`?"),
        Case(name: "connection target with .md", text: asset("connections: [{to: library.md}]"),
             firstLine: "content/assets/x.md:5:20: error: `library.md` is not an asset slug [K031]",
             label: "did you mean `library`?", help: "write the file name without .md: `library`"),
        Case(name: "connection to itself", text: asset("connections:", "  - to: x"),
             firstLine: "content/assets/x.md:6:9: warning: `x` lists a connection to itself [K032]"),
        Case(name: "connection listed twice", text: asset("connections:", "  - to: library", "  - to: library"),
             firstLine: "content/assets/x.md:7:9: warning: `library` is listed twice in `connections` [K033]"),
        Case(name: "unknown field in a connection", text: asset("connections:", "  - to: library", "    knd: hosts"),
             firstLine: "content/assets/x.md:7:5: warning: Kith does not know the field `connections.knd` [K028]",
             label: "did you mean `kind`?"),
        Case(name: "image without alt", text: asset("image: {src: media/garden.jpg}"),
             firstLine: "content/assets/x.md:5:1: error: the image has no alt text [K040]",
             help: ImageReader.altHelp),
        Case(name: "image with empty alt", text: asset("image: {src: media/garden.jpg, alt: \"\"}"),
             firstLine: "content/assets/x.md:5:32: error: the alt text of the image is empty [K040]"),
        Case(name: "image without src", text: asset("image:", "  alt: A garden"),
             firstLine: "content/assets/x.md:5:1: error: the image has no `src` [K040]"),
        Case(name: "image path climbing out", text: asset("image: {src: media/../secret.jpg, alt: A}"),
             firstLine: "content/assets/x.md:5:14: error: the image path `media/../secret.jpg` must not contain `..` [K041]"),
        Case(name: "image outside media", text: asset("image: {src: photos/garden.jpg, alt: A}"),
             firstLine: "content/assets/x.md:5:14: error: the image path `photos/garden.jpg` must start with `media/` [K041]"),
        Case(name: "image with absolute path", text: asset("image: {src: /media/garden.jpg, alt: A}"),
             firstLine: "content/assets/x.md:5:14: error: the image path `/media/garden.jpg` must be a relative path starting with `media/` [K041]",
             label: "did you mean `media/garden.jpg`?"),
        Case(name: "image from the web", text: asset("image: {src: \"https://example.org/a.jpg\", alt: A}"),
             firstLine: "content/assets/x.md:5:14: error: the image must be a file in content/media, not a web address [K041]"),
        Case(name: "image that does not exist", text: asset("image: {src: media/garden.jpeg, alt: A}"),
             firstLine: "content/assets/x.md:5:14: error: `media/garden.jpeg` is not in content/media [K042]",
             label: "did you mean `media/garden.jpg`?"),
        Case(name: "public contact for a space", text: asset("public_contact: true"),
             firstLine: "content/assets/x.md:5:1: warning: `public_contact` only matters for individuals [K043]"),
        Case(name: "unknown area", text: asset("area: Canal Edn"),
             firstLine: "content/assets/x.md:5:7: warning: area `Canal Edn` is not one of the areas listed in content/site.yml [K044]",
             label: "did you mean `Canal End`?"),
        Case(name: "unknown area in a list", text: asset("area: [Canal End, Brok Street]"),
             firstLine: "content/assets/x.md:5:19: warning: area `Brok Street` is not one of the areas listed in content/site.yml [K044]",
             label: "did you mean `Brook Street`?"),
        Case(name: "area and areas", text: asset("area: Canal End", "areas: [Brook Street]"),
             firstLine: "content/assets/x.md:6:1: error: both `area` and `areas` are given [K016]"),
        Case(name: "languages as a group", text: asset("languages: {a: b}"),
             firstLine: "content/assets/x.md:5:12: error: `languages` must be a list, not a group of fields [K022]"),
        Case(name: "contact value that is a list", text: asset("contact:", "  phone: [1, 2]"),
             firstLine: "content/assets/x.md:6:10: error: `contact.phone` must be text, not a list [K022]"),
    ]

    static let storyCases: [Case] = [
        Case(name: "story without date", path: "content/stories/s.md", text: Fixture.file("title: A story"),
             firstLine: "content/stories/s.md:1:1: error: the required field `date` is missing [K020]",
             help: "add a line such as: date: 2026-03-14"),
        Case(name: "story with impossible date", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2025-02-29"),
             firstLine: "content/stories/s.md:3:7: error: `2025-02-29` is not a real date [K026]",
             label: "February 2025 has 28 days"),
        Case(name: "story about an unknown asset", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "assets: [librar]"),
             firstLine: "content/stories/s.md:4:10: error: unknown asset `librar` [K012]",
             label: "did you mean `library`?"),
        Case(name: "story naming an asset twice", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "assets:", "  - library", "  - library"),
             firstLine: "content/stories/s.md:6:5: warning: `library` is listed twice in `assets` [K033]"),
        Case(name: "story with an empty item in assets", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "assets:", "  - library", "  -"),
             firstLine: "content/stories/s.md:6:4: warning: an item of `assets` is empty, so it is left out [K034]",
             label: "nothing here",
             help: "remove the empty item, or write what it should say, such as: assets: [northside-community-pantry, old-fire-station]"),
        Case(name: "story with a blank quoted item in assets", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "assets: [library, \"  \"]"),
             firstLine: "content/stories/s.md:4:19: warning: an item of `assets` is empty, so it is left out [K034]"),
        Case(name: "story tags as text", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "tags: food"),
             firstLine: "content/stories/s.md:4:7: error: `tags` must be a list [K022]"),
        Case(name: "story field misspelt", path: "content/stories/s.md",
             text: Fixture.file("title: A story", "date: 2026-03-14", "autor: Grace"),
             firstLine: "content/stories/s.md:4:1: warning: Kith does not know the field `autor` [K028]",
             label: "did you mean `author`?"),
    ]

    static let pageCases: [Case] = [
        Case(name: "page without title", path: "content/pages/about.md", text: Fixture.file("summary: About"),
             firstLine: "content/pages/about.md:1:1: error: the required field `title` is missing [K020]",
             help: "add a line such as: title: About this directory"),
        Case(name: "page weight not a number", path: "content/pages/about.md",
             text: Fixture.file("title: About", "weight: first"),
             firstLine: "content/pages/about.md:3:9: error: `weight` must be a whole number, not text [K022]"),
    ]

    @Test(arguments: assetCases + storyCases + pageCases)
    func reportsOneProblemAtItsPlace(_ c: Case) throws {
        var files = Fixture.neighbours
        files[c.path] = c.text
        let loaded = try Fixture.load(files) { root in
            try TestSupport.write(["content/media/garden.jpg": "jpeg"], under: root)
        }
        #expect(loaded.firstLines == [c.firstLine])
        let diagnostic = try #require(loaded.diagnostics.first)
        if let label = c.label { #expect(diagnostic.label == label) }
        if let help = c.help { #expect(diagnostic.help == help) }
        #expect((loaded.content == nil) == (diagnostic.severity == .error))
    }

    /// Area names are matched once for all files: every profile naming the
    /// same unknown area gets the whole warning, and a listed area written
    /// in other letters is still the listed one.
    @Test func everyProfileNamingAnUnknownAreaIsWarned() throws {
        var files = Fixture.neighbours
        for name in ["a", "b", "c"] { files["content/assets/\(name).md"] = Self.asset("area: Canal Edn") }
        files["content/assets/d.md"] = Self.asset("area: canal end")
        let loaded = try Fixture.load(files)
        let warning = "warning: area `Canal Edn` is not one of the areas listed in content/site.yml [K044]"
        #expect(loaded.firstLines == ["a", "b", "c"].map { "content/assets/\($0).md:5:7: \(warning)" })
        #expect(loaded.diagnostics.allSatisfy { $0.label == "did you mean `Canal End`?" })
        #expect(Set(loaded.diagnostics.compactMap(\.help)).count == 1)
        let areas = try #require(loaded.content).assets.first { $0.slug == "d" }?.areas
        #expect(areas == ["Canal End"])
    }

    @Test func everyProblemOfEveryFileIsReported() throws {
        var files = Fixture.neighbours
        files["content/assets/a.md"] = Self.asset("tags: food", "status: closd", "updated: 2026-02-30")
        files["content/assets/b.md"] = Fixture.file("title: B", "type: nope")
        files["content/stories/s.md"] = Fixture.file("title: S", "date: soon")
        let loaded = try Fixture.load(files)
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == [
            "content/assets/a.md:5:7: error: `tags` must be a list [K022]",
            "content/assets/a.md:6:9: error: `status` must be one of `active`, `paused` or `closed`, not `closd` [K027]",
            "content/assets/a.md:7:10: error: `2026-02-30` is not a real date [K026]",
            "content/assets/b.md:1:1: error: the required field `summary` is missing [K020]",
            "content/assets/b.md:3:7: error: unknown asset type `nope` [K024]",
            "content/stories/s.md:3:7: error: `date` must be a date written as YYYY-MM-DD [K026]",
        ])
    }

    @Test func renderedUnknownConnectionMatchesTheHouseStyle() throws {
        var files = Fixture.neighbours
        files["content/assets/garden.md"] = Self.asset("connections:", "  - to: nrthside-library")
        let loaded = try Fixture.load(files)
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(DiagnosticRenderer().render(diagnostic) == """
            content/assets/garden.md:6:9: error: unknown connection target `nrthside-library` [K012]
              |
            6 |   - to: nrthside-library
              |         ^^^^^^^^^^^^^^^^ did you mean `northside-library`?
              = help: use the file name of a profile in content/assets, without .md

            """)
    }
}

@Suite struct SiteConfigTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yml: String
        var firstLine: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no title", yml: "description: A directory\n",
             firstLine: "content/site.yml:1:1: error: the required field `title` is missing [K020]"),
        Case(name: "base_url without scheme", yml: "title: T\nbase_url: example.org\n",
             firstLine: "content/site.yml:2:11: error: `base_url` must be a web address starting with https:// [K052]"),
        Case(name: "edit_url without {path}", yml: "title: T\nedit_url: https://forge.example/edit/\n",
             firstLine: "content/site.yml:2:11: error: `edit_url` must contain `{path}` [K052]"),
        Case(name: "language that is not a tag", yml: "title: T\nlanguage: English (UK)\n",
             firstLine: "content/site.yml:2:11: error: `language` must be a language tag such as `en` or `en-GB` [K052]"),
        Case(name: "stale months of zero", yml: "title: T\nstale_after_months: 0\n",
             firstLine: "content/site.yml:2:21: error: `stale_after_months` must be between 1 and 1200 [K023]"),
        Case(name: "type with a bad colour", yml: "title: T\ntypes:\n  faith: {label: Faith, colour: purple}\n",
             firstLine: "content/site.yml:3:33: error: the colour of type `faith` must be written #rrggbb [K050]"),
        Case(name: "new type without a label", yml: "title: T\ntypes:\n  faith: {colour: \"#7b3f9e\"}\n",
             firstLine: "content/site.yml:3:3: error: the new type `faith` needs a label [K050]"),
        Case(name: "type that is not a slug", yml: "title: T\ntypes:\n  Faith Groups: {label: Faith}\n",
             firstLine: "content/site.yml:3:3: error: the type `Faith Groups` is not a slug [K050]"),
        Case(name: "types as text", yml: "title: T\ntypes: faith\n",
             firstLine: "content/site.yml:2:8: error: `types` must be a group of types, not text [K022]"),
        Case(name: "area listed twice", yml: "title: T\nareas: [Canal End, canal end]\n",
             firstLine: "content/site.yml:2:20: error: the area `canal end` is listed twice [K051]"),
        Case(name: "area without a name", yml: "title: T\nareas:\n  - description: Somewhere\n",
             firstLine: "content/site.yml:3:5: error: the required field `areas.name` is missing [K020]"),
        Case(name: "misspelt setting", yml: "title: T\ndescripton: x\n",
             firstLine: "content/site.yml:2:1: warning: Kith does not know the field `descripton` [K028]"),
        Case(name: "site.yml that is a list", yml: "- title: T\n",
             firstLine: "content/site.yml:1:1: error: site.yml must be a list of settings written `name: value`, not a list [K013]"),
    ]

    @Test(arguments: cases)
    func reportsOneProblemAtItsPlace(_ c: Case) throws {
        let loaded = try Fixture.load(["content/site.yml": c.yml])
        #expect(loaded.firstLines == [c.firstLine])
    }

    @Test func missingSiteConfigIsAnError() throws {
        let root = try TestSupport.temporaryDirectory("kith-content")
        defer { try? FileManager.default.removeItem(at: root) }
        try TestSupport.write(["content/assets/library.md": Fixture.neighbours["content/assets/library.md"]!], under: root)
        let result = ContentLoader.load(root: root, includeDrafts: false)
        #expect(result.content == nil)
        #expect(result.diagnostics.map(\.code) == ["K007"])
        #expect(result.diagnostics.first?.path == "content/site.yml")
    }

    @Test func typesAndAreasInEveryForm() throws {
        let mapping = """
            title: Northside
            description: >-
              People and places
              of Northside.
            language: en-GB
            base_url: https://example.org/northside
            stale_after_months: 18
            edit_url: https://forge.example/org/site/edit/main/{path}
            types:
              individual: {label: People}
              faith: {label: Faith groups, colour: "#7B3F9E"}
              sport: Sports clubs
            areas:
              canal-end: Canal End
              brook-street: {name: Brook Street, description: The high street}
            """
        let loaded = try Fixture.load(["content/site.yml": mapping])
        #expect(loaded.diagnostics.isEmpty)
        let config = try #require(loaded.content?.config)
        #expect(config.title == "Northside")
        #expect(config.description == "People and places of Northside.")
        #expect(config.language == "en-GB")
        #expect(config.baseURL == "https://example.org/northside/")
        #expect(config.staleAfterMonths == 18)
        #expect(config.editURL == "https://forge.example/org/site/edit/main/{path}")
        #expect(config.types.map(\.slug) == ["individual", "association", "institution", "space", "economy",
                                              "culture", "faith", "sport"])
        #expect(config.types[0] == AssetTypeInfo(slug: "individual", label: "People", colour: "#1f5fa8"))
        #expect(config.types[6] == AssetTypeInfo(slug: "faith", label: "Faith groups", colour: "#7b3f9e"))
        #expect(config.types[7] == AssetTypeInfo(slug: "sport", label: "Sports clubs", colour: AssetTypeInfo.defaultColour))
        #expect(config.areas == [
            AreaInfo(slug: "canal-end", name: "Canal End"),
            AreaInfo(slug: "brook-street", name: "Brook Street", description: "The high street"),
        ])

        let list = """
            title: Northside
            types:
              - {slug: faith, label: Faith groups, color: "#123"}
            areas:
              - Canal End
              - {name: "St Aidan's", slug: st-aidans, description: Around the church}
            """
        let fromList = try #require(try Fixture.load(["content/site.yml": list]).content?.config)
        #expect(fromList.language == "en")
        #expect(fromList.staleAfterMonths == 12)
        #expect(fromList.types.last == AssetTypeInfo(slug: "faith", label: "Faith groups", colour: "#123"))
        #expect(fromList.areas == [
            AreaInfo(slug: "canal-end", name: "Canal End"),
            AreaInfo(slug: "st-aidans", name: "St Aidan's", description: "Around the church"),
        ])
    }

    /// Relative luminance contrast against white, as WCAG defines it.
    static func contrastWithWhite(_ hex: String) -> Double {
        let digits = Array(hex.dropFirst())
        let channels = stride(from: 0, to: 6, by: 2).map { index -> Double in
            let value = Double(Int(String(digits[index...index + 1]), radix: 16)!) / 255
            return value <= 0.03928 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        return 1.05 / (luminance + 0.05)
    }

    @Test func builtInTypesAreTheSixKindsWithReadableDistinctColours() {
        let types = AssetTypeInfo.builtIn
        #expect(types.map(\.slug) == ["individual", "association", "institution", "space", "economy", "culture"])
        #expect(types.map(\.label) == ["Individuals", "Associations", "Institutions", "Spaces", "Local economy", "Culture"])
        #expect(Set(types.map(\.colour)).count == 6)
        for type in types + [AssetTypeInfo(slug: "new", label: "New", colour: AssetTypeInfo.defaultColour)] {
            #expect(Self.contrastWithWhite(type.colour) >= 4.5, "\(type.slug) \(type.colour)")
        }
    }
}
