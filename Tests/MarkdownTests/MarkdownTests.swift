import Testing
@testable import Markdown

@Suite struct MarkdownTests {
    @Test func rendersCommonMark() {
        let html = MarkdownRenderer.html("# Hello\n\nA *garden* & more.\n")
        #expect(html == "<h1>Hello</h1>\n<p>A <em>garden</em> &amp; more.</p>\n")
    }

    @Test(arguments: [
        "<script>alert(1)</script>\n",
        "Hi <img src=x onerror=alert(1)>\n",
        "[x](javascript:alert(1))\n",
        "[x](vbscript:msgbox)\n",
        "<javascript:alert(1)>\n",
        "![x](data:text/html,<script>alert(1)</script>)\n",
    ])
    func safeModeDropsRawHTMLAndScriptURLs(input: String) {
        let html = MarkdownRenderer.html(input)
        #expect(!html.contains("<script"))
        #expect(!html.contains("onerror"))
        // The text of an autolink may stay; no attribute may carry the URL.
        #expect(!html.lowercased().contains("href=\"javascript:"))
        #expect(!html.lowercased().contains("href=\"vbscript:"))
        #expect(!html.contains("src=\"data:text/html"))
    }

    @Test func textOutsideASCIIAndNulBytesComeThroughAsCmarkGivesThem() {
        // Every scalar of valid UTF-8 is kept as written, noncharacters included.
        let text = "Caf\u{E9} \u{1F33B} \u{FFFE} \u{10FFFF} \u{2028} na\u{EF}ve"
        #expect(MarkdownRenderer.html(text + "\n") == "<p>" + text + "</p>\n")
        // A NUL byte becomes U+FFFD, in a line and at its end.
        #expect(MarkdownRenderer.html("a\u{0}b\n") == "<p>a\u{FFFD}b</p>\n")
        #expect(MarkdownRenderer.html("a\u{0}\nb\u{0}") == "<p>a\u{FFFD}\nb\u{FFFD}</p>\n")
    }

    @Test func attributeBreakoutsAreEscaped() {
        let html = MarkdownRenderer.html("[a](/x \"t\\\" onmouseover=alert(1) x=\\\"\")\n\n```js\" onclick=\"x\ncode\n```\n")
        #expect(!html.contains("\" onmouseover"))
        #expect(!html.contains("\" onclick"))
    }

    @Test func unsafeModeKeepsRawHTML() {
        let html = MarkdownRenderer.html("<b>bold</b>\n", options: MarkdownOptions(unsafe: true))
        #expect(html.contains("<b>bold</b>"))
    }

    @Test func reportsLinksWithPositionsAndRewritesThem() {
        let text = "Intro line.\n\nSee [the garden](garden.md) and\n![A hen](media/hen.jpg) or [web](https://example.org).\n"
        var seen: [MarkdownReference] = []
        let (html, references) = MarkdownRenderer.render(text) { reference in
            seen.append(reference)
            return reference.destination == "garden.md" ? .replace("../garden/index.html") : .keep
        }
        #expect(references == seen)
        #expect(references.map(\.destination) == ["garden.md", "media/hen.jpg", "https://example.org"])
        #expect(references.map(\.kind) == [.link, .image, .link])
        #expect(references[0].line == 3)
        #expect(references[1].line == 4)
        #expect(references[1].text == "A hen")
        #expect(html.contains("href=\"../garden/index.html\""))
        #expect(html.contains("alt=\"A hen\""))
    }

    @Test func pathologicalNestingFinishes() {
        let brackets = String(repeating: "[", count: 50_000)
        let quotes = String(repeating: ">", count: 50_000)
        #expect(MarkdownRenderer.html(brackets).hasPrefix("<p>[[["))
        #expect(MarkdownRenderer.html(quotes).contains("<blockquote>"))
    }
}
