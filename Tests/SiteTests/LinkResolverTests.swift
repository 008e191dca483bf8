import Foundation
import Testing
@testable import Site

/// Links in Markdown bodies: the quick byte-level answers for plain ASCII
/// paths must be the ones the general, character-level ways give.
@Suite struct LinkResolverTests {
    /// Paths of every shape the resolver meets, and some it should not.
    static let paths = [
        "", "/", "//", ".", "..", "a", "a/", "/a", "a//b", "a/./b", "a/../b", "../a", "a/b/../../..",
        "content/assets/garden.md", "content/assets/../stories/day.md", "content/assets/./x.md",
        "content/assets/../../content/pages/about.md", "content/assets/../../../x.md",
        "content/media/hall.jpg", "content/assets/café.md", "content/assets/e\u{301}/../x.md",
        "content/assets/garden.md/", "x.md", "a\r\nb/c",
    ]

    @Test func normalisingASCIIPathsMatchesTheCharacterLevelWay() {
        for path in Self.paths {
            #expect(LinkResolver.normalise(path) == LinkResolver.normaliseCharacters(path), "\(path)")
        }
        #expect(LinkResolver.normalise("content/assets/../stories/x.md") == "content/stories/x.md")
        #expect(LinkResolver.normalise("content/../../x.md") == nil)
    }

    @Test func theFolderOfAFileIsFoundationsAnswer() {
        // Foundation stops the process on a few one-part paths ("a", "."), which content files never have.
        for path in Self.paths where path.contains("/") && path != "a/" {
            #expect(LinkResolver.folder(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
        #expect(LinkResolver.folder(of: "content/assets/garden.md") == "content/assets")
    }

    @Test func relativeLinksMatchSitePaths() {
        let pages = ["", "assets/garden/", "stories/day/", "pages/about/", "404.html", "map/areas/canal-end/", "a/b.html", "assets/café/"]
        let targets = [
            "", "assets/garden/", "assets/garden/#hours", "assets/library/?x=1#y", "media/hall.jpg", "stories/day/",
            "pages/about/", "/", "assets//garden/", "assets/café/", "media/a b.jpg#frag?q",
        ]
        for page in pages {
            for target in targets {
                #expect(LinkResolver.relative(from: page, to: target) == SitePaths.relative(from: page, to: target),
                        "\(page) → \(target)")
            }
        }
        #expect(LinkResolver.relative(from: "assets/garden/", to: "assets/library/#map") == "../library/index.html#map")
    }

    @Test func blanksAreTrimmedAsFoundationTrimsThem() {
        for text in ["", " ", "garden.md", " garden.md", "garden.md\t", "\u{00A0}garden.md\u{3000}", "garden.md\n", "a b"] {
            #expect(LinkResolver.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespaces), "\(text)")
        }
    }

    @Test func suffixesAreCutAtTheFirstHashOrQuestionMark() {
        #expect(LinkResolver.splitSuffix("garden.md#hours?x") == ("garden.md", "#hours?x"))
        #expect(LinkResolver.splitSuffix("garden.md?x#y") == ("garden.md", "?x#y"))
        #expect(LinkResolver.splitSuffix("garden.md") == ("garden.md", ""))
        #expect(LinkResolver.splitSuffix("café.md#là") == ("café.md", "#là"))
    }

    @Test func linksResolveToTheirPages() {
        let resolver = LinkResolver(
            pages: ["content/assets/garden.md": "assets/garden/", "content/stories/day.md": "stories/day/"],
            allFiles: ["content/assets/garden.md", "content/stories/day.md", "content/assets/draft.md"],
            sitePaths: ["assets/garden/", "stories/day/"], media: ["content/media/hall.jpg"])
        let from = "content/assets/library.md", page = "assets/library/"
        #expect(resolver.resolve(" garden.md#hours ", from: from, pagePath: page) == .sitePath("assets/garden/#hours"))
        #expect(resolver.resolve("../stories/day.md", from: from, pagePath: page) == .sitePath("stories/day/"))
        #expect(resolver.resolve("gar%64en.md", from: from, pagePath: page) == .sitePath("assets/garden/"))
        #expect(resolver.resolve("../media/hall.jpg", from: from, pagePath: page) == .sitePath("media/hall.jpg"))
        #expect(resolver.resolve("../garden/", from: from, pagePath: page) == .sitePath("assets/garden/"))
        #expect(resolver.resolve("https://example.org/", from: from, pagePath: page) == .external)
        guard case .problem(let code, _, _, _) = resolver.resolve("draft.md", from: from, pagePath: page) else {
            Issue.record("a draft link is a problem")
            return
        }
        #expect(code == "K062")
    }

    @Test func theFilesAreListedOnlyWhenALinkNeedsThem() {
        final class Count: @unchecked Sendable { var value = 0 }
        let count = Count()
        let resolver = LinkResolver(
            pages: ["content/assets/garden.md": "assets/garden/"], sitePaths: ["assets/garden/"], media: []) {
                count.value += 1
                return ["content/assets/garden.md", "content/assets/draft.md"]
            }
        let from = "content/assets/library.md", page = "assets/library/"
        #expect(resolver.resolve("garden.md", from: from, pagePath: page) == .sitePath("assets/garden/"))
        #expect(count.value == 0)
        guard case .problem(let code, _, _, _) = resolver.resolve("draft.md", from: from, pagePath: page),
              case .problem(let again, _, let label, _) = resolver.resolve("gardn.md", from: from, pagePath: page) else {
            Issue.record("links to a draft and to a missing file are problems")
            return
        }
        #expect(code == "K062")
        #expect(again == "K061")
        #expect(label == "did you mean `garden.md`?")
        #expect(count.value == 1)
    }
}
