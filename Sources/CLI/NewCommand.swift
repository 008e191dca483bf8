import ArgumentParser
import Content
import Diagnostics
import Foundation

extension Kith {
    /// `kith new`: a new content file with every field, explained for a first-time editor.
    public struct New: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Start a new asset profile, story or page, with every field explained.",
            discussion: """
                Writes content/assets/<name>.md (or stories/, pages/), where the name is made from the title. \
                The file passes `kith check` as it is; replace the placeholder sentences with your own words. \
                An existing file is never replaced.
                """)

        @Argument(help: "What to start.")
        public var kind: Scaffold.Kind

        @Argument(help: "Its title, in quotes, such as \"Northside Chess Club\".")
        public var title: String

        @Option(name: .long, help: "For an asset: its type, such as individual, association or space (default: association).")
        public var type: String?

        @Option(name: .long, help: "The file name to use, without .md (default: made from the title).")
        public var slug: String?

        @OptionGroup public var site: SiteOptions

        @Option(name: .long, help: ArgumentHelp("The date to write in `updated` or `date` (YYYY-MM-DD).", visibility: .hidden))
        public var today: String?

        public init() {}

        public func validate() throws {
            if Scaffold.oneLine(title).isEmpty {
                throw ValidationError("give a title, such as: kith new \(kind.rawValue) \"Northside Chess Club\"")
            }
            if type != nil, kind != .asset {
                throw ValidationError("--type is only for assets; a \(kind.rawValue) has no type")
            }
            if let today, CalendarDay(today) == nil {
                throw ValidationError("--today must be a date written YYYY-MM-DD, such as 2026-05-01")
            }
        }

        /// What was written.
        public struct Created: Sendable {
            /// `content/assets/northside-chess-club.md`
            public var path: String
            public var url: URL
            public var text: String
        }

        /// Writes the new file.
        /// - Returns: where it was written and what.
        /// - Throws: a `Diagnostic` saying why nothing was written (K007, K086–K089).
        public func create() throws -> Created {
            let root = site.rootURL
            let settings = ContentLoader.loadSettings(root: root)
            guard let config = settings.config else {
                throw settings.diagnostics.first { $0.severity == .error }
                    ?? Diagnostic(code: "K007", message: "`content/site.yml` is missing", path: "content/site.yml")
            }
            let name = Scaffold.oneLine(title)
            let fileSlug = try chooseSlug(for: name)
            let assetType = try chooseType(config: config, typesKnown: settings.typesKnown)
            let path = "content/\(kind.folder)/\(fileSlug).md"
            let url = root.appendingPathComponent(path)
            if (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil {
                throw Diagnostic(
                    code: "K086", message: "`\(path)` already exists; nothing was written", path: path,
                    help: "open that file to edit it, or choose another name with --slug, such as --slug \(fileSlug)-2")
            }
            let day = today.flatMap(CalendarDay.init) ?? CalendarDay.today()
            let existing = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("content/assets").path)) ?? [])
                .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.filter(Slug.isValid).sorted()
            let text = Scaffold(kind: kind, title: name, slug: fileSlug, type: assetType, today: day,
                                config: config, assetSlugs: existing).text()
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw Diagnostic(
                    code: "K089", message: "cannot write `\(path)`: \(error.localizedDescription)", path: path,
                    help: "check that the site folder is yours to write to, or pass --root with the right folder")
            }
            return Created(path: path, url: url, text: text)
        }

        private func chooseSlug(for name: String) throws -> String {
            if let slug {
                guard Slug.isValid(slug) else {
                    let made = Slug.make(slug)
                    throw Diagnostic(
                        code: "K088", message: "`\(slug)` cannot be a file name",
                        help: "use lowercase letters a-z, digits and single hyphens\(made.isEmpty ? "" : ", such as --slug \(made)")")
                }
                return slug
            }
            let made = Slug.make(name)
            guard !made.isEmpty else {
                throw Diagnostic(
                    code: "K088", message: "no file name can be made from the title `\(name)`",
                    help: "give one with --slug, using lowercase letters a-z, digits and hyphens, such as --slug \(kind.rawValue)-1")
            }
            return made
        }

        private func chooseType(config: SiteConfig, typesKnown: Bool) throws -> String? {
            guard kind == .asset else { return nil }
            guard let type else { return "association" }
            let slugs = config.types.map(\.slug)
            let value = type.trimmingCharacters(in: .whitespaces)
            if slugs.contains(value) || (!typesKnown && Slug.isValid(value)) { return value }
            let byLabel = config.types.first { $0.label.lowercased() == value.lowercased() || $0.slug == value.lowercased() }?.slug
            let suggestion = byLabel ?? Suggestions.closest(to: value, in: slugs)
            throw Diagnostic(
                code: "K087", message: "unknown asset type `\(value)`",
                notes: suggestion.map { ["did you mean `\($0)`?"] } ?? [],
                help: "use one of: \(slugs.joined(separator: ", ")); or add a new type under `types:` in content/site.yml")
        }

        public func run() throws {
            do {
                let created = try create()
                print("created \(created.path)\n")
                print(kind.nextSteps(path: created.path))
            } catch let diagnostic as Diagnostic {
                let text = DiagnosticRenderer(style: .detailed).render(diagnostic)
                FileHandle.standardError.write(Data(text.utf8))
                throw ExitCode.failure
            }
        }
    }
}

/// The text of a new content file: every field of the content model, the
/// required ones filled in so the file is valid as written, the optional ones
/// commented out, each with a note for someone editing a profile for the first time.
public struct Scaffold: Sendable {
    public enum Kind: String, ExpressibleByArgument, CaseIterable, Sendable {
        case asset
        case story
        case page

        /// The folder under content/.
        var folder: String {
            switch self {
            case .asset: "assets"
            case .story: "stories"
            case .page: "pages"
            }
        }

        func nextSteps(path: String) -> String {
            let middle: String
            switch self {
            case .asset:
                middle = "  2. Fill in what you know: to use a field, delete the \"# \" in front of it.\n"
                    + "     Add `connections:` so the map shows who it works with.\n"
            case .story:
                middle = "  2. Name the assets the story is about under `assets:`, and fill in the other fields you want.\n"
            case .page:
                middle = "  2. Fill in the other fields you want: delete the \"# \" in front of a field to use it.\n"
            }
            return "Next:\n"
                + "  1. Open \(path) in a text editor and replace the placeholder sentences with your own words.\n"
                + middle
                + "  3. Run `kith check` to see whether anything needs fixing, then `kith build` to update the site."
        }
    }

    public var kind: Kind
    public var title: String
    public var slug: String
    /// The asset type; nil for stories and pages.
    public var type: String?
    public var today: CalendarDay
    public var config: SiteConfig
    /// Existing asset slugs, for examples that name a real profile.
    public var assetSlugs: [String]

    public init(kind: Kind, title: String, slug: String, type: String?, today: CalendarDay,
                config: SiteConfig, assetSlugs: [String] = []) {
        self.kind = kind
        self.title = title
        self.slug = slug
        self.type = type
        self.today = today
        self.config = config
        self.assetSlugs = assetSlugs
    }

    public func text() -> String {
        switch kind {
        case .asset: assetText()
        case .story: storyText()
        case .page: pageText()
        }
    }

    /// An existing profile's slug for examples, or a made-up one.
    private func exampleSlugs(_ count: Int) -> String {
        let real = assetSlugs.filter { $0 != slug }.prefix(count)
        return real.isEmpty ? "northside-library" : real.joined(separator: ", ")
    }

    private var notesIntro: String {
        """
        # Lines that start with # are notes for you: they never appear on the site.
        # To use an optional field, delete the "# " at the start of its line (and of
        # the lines under it). Save the file, then run `kith check`.
        """
    }

    private func assetText() -> String {
        let type = type ?? "association"
        let types = config.types.map(\.slug).joined(separator: ", ")
        let areaNames = config.areas.map(\.name)
        let area = areaNames.first ?? "Canal End"
        let areaNote = areaNames.isEmpty
            ? "# The neighbourhood or ward: one, or a list such as [Canal End, Fernbank]."
            : "# The neighbourhood: one, or a list. The areas of this site are:\n"
                + Self.wrap(areaNames.joined(separator: ", ") + ".", prefix: "#   ")
        var summary = "One sentence about what \(title) offers — replace this."
        if summary.count > 200 { summary = "One sentence about what this asset offers — replace this." }
        let contactNote = type == "individual"
            ? """
              # How to get in touch. For a person, these details stay off the site
              # unless they have agreed: then add public_contact: true below.
              """
            : "# How to get in touch. Any of these may be left out; more kinds are allowed."
        return """
            ---
            # A profile of one community asset: a person, a group, an institution, a
            # place, a local business or a piece of culture.
            \(notesIntro)
            #
            # Its name, as people around here know it.
            title: \(Self.yamlText(title))
            # What kind of asset it is: \(types).
            type: \(type)
            # One sentence, at most 200 characters, shown in lists and search results.
            summary: \(Self.yamlText(summary))
            # The day the details were last checked with the people involved (YYYY-MM-DD).
            # Change it each time you check them again.
            updated: \(today)
            #
            # Optional fields
            #
            \(areaNote)
            # area: \(Self.yamlText(area))
            # A few short words people might search for, in a list.
            # tags: [food, gardening]
            # The postal address, on one line.
            # address: 12 Brook Street, Aldbridge AL4 2FS
            # Where it is on a map, in decimal degrees (a map site shows them for any address).
            # geo: {lat: 53.7953, lon: -1.5452}
            \(contactNote)
            # contact:
            #   email: hello@example.org
            #   phone: 01632 960000
            #   website: https://example.org/
            # When it is open or meets.
            # hours: Tuesdays 18:00-20:00
            # What it costs, which languages are spoken, access notes, and who it is for.
            # cost: Free
            # languages: [English, Polish]
            # accessibility: Step-free entrance and an accessible toilet
            # audience: Everyone
            # What it can share with others: skills, knowledge, space, equipment.
            # gifts: [a meeting room, help with forms]
            # What it is looking for; the site matches needs with other assets' gifts.
            # needs: [volunteers on Saturday mornings]
            # active (the default), paused, or closed.
            # status: active
            # Who it works with: `to` is the file name of the other profile, without .md
            # (such as \(exampleSlugs(2))); `kind` and `note` say how.
            # connections:
            #   - to: name-of-another-profile
            #     kind: meets at
            #     note: One sentence about how they work together.
            # A picture saved in content/media, and a few words saying what it shows.
            # image: {src: media/\(slug).jpg, alt: What the picture shows}
            # For individuals only: true publishes their contact details, once they agree.
            # public_contact: true
            # true keeps the profile off the site while you work on it.
            # draft: true
            #
            # The text after the next line is the profile itself, in Markdown: a blank
            # line starts a new paragraph. To link to another profile, write its name in
            # square brackets and its file name in round brackets: [its name](\(exampleSlugs(1)).md)
            ---
            Write about \(Self.markdownText(title)) here: what happens, when, who it is for
            and how to join in. Replace this paragraph with your own words.

            """
    }

    private func storyText() -> String {
        """
        ---
        # A story of something that worked, and the assets that made it happen.
        \(notesIntro)
        #
        # The story's headline.
        title: \(Self.yamlText(title))
        # The day it happened, or the day it was written (YYYY-MM-DD).
        date: \(today)
        #
        # Optional fields
        #
        # Who wrote it.
        # author: Your name
        # One sentence about what happened, shown in the list of stories.
        # summary: One sentence about what happened.
        # The assets the story is about: the file names of their profiles, without .md
        # (such as \(exampleSlugs(2))). They are joined on the connection map.
        # assets: [name-of-a-profile, name-of-another-profile]
        # A few short words people might search for, in a list.
        # tags: [food, volunteering]
        # A picture saved in content/media, and a few words saying what it shows.
        # image: {src: media/\(slug).jpg, alt: What the picture shows}
        # true keeps the story off the site while you work on it.
        # draft: true
        #
        # The story itself comes after the next line, in Markdown. To link to a
        # profile, write its name in square brackets and its file in round brackets:
        # [its name](../assets/\(exampleSlugs(1)).md)
        ---
        Tell the story here: what happened, who made it happen, and what others
        could learn from it. Replace this paragraph with your own words.

        """
    }

    private func pageText() -> String {
        """
        ---
        # A free page of the site, such as "About" or "How to add your group".
        \(notesIntro)
        #
        # The page's title.
        title: \(Self.yamlText(title))
        #
        # Optional fields
        #
        # One sentence about the page, shown in lists and to search engines.
        # summary: One sentence about this page.
        # Pages are listed by weight, smallest first, then by title.
        # weight: 10
        # true keeps the page off the site while you work on it.
        # draft: true
        ---
        Write the page here, in Markdown: a blank line starts a new paragraph.
        Replace this paragraph with your own words.

        """
    }

    /// The text on one line: lines joined by single spaces, blanks trimmed.
    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// Text that Markdown prints as it is: marks that would start a link,
    /// emphasis, code or HTML are escaped with a backslash.
    static func markdownText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if "\\`*_[]<>!#|~".unicodeScalars.contains(scalar) { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Whether YAML reads this character as a line break or control character.
    private static func isBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar == "\u{2028}"
            || scalar == "\u{2029}" || scalar == "\u{FEFF}"
    }

    /// `text` as a YAML value on one line: plain when that reads back as the
    /// same text, else in double quotes.
    static func yamlText(_ text: String) -> String {
        let first = text.unicodeScalars.first
        let special: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        let plain = !text.isEmpty && first.map { !special.contains($0) && $0 != " " } == true
            && !text.hasSuffix(" ") && !text.hasSuffix(":")
            && !text.contains(": ") && !text.contains(" #") && !text.contains("\t")
            && !text.unicodeScalars.contains(where: isBreakOrControl)
            && !["~", "null", "Null", "NULL"].contains(text)
        if plain { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            default:
                if isBreakOrControl(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Words wrapped to lines of at most 78 characters, each starting with `prefix`.
    static func wrap(_ text: String, prefix: String) -> String {
        var lines: [String] = []
        var line = prefix
        for word in text.split(separator: " ") {
            if line.count > prefix.count, line.count + 1 + word.count > 78 {
                lines.append(line)
                line = prefix
            }
            line += (line.count > prefix.count ? " " : "") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
