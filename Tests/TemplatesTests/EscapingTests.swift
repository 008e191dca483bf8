import Testing
@testable import Templates

@Suite struct EscapingTests {
    @Test func escapesTheFiveCharacters() throws {
        #expect(try render("{{ s }}", ["s": #"<script>alert('x') & "y"</script>"#])
            == "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
    }

    @Test func escapesAQuoteFollowedByACombiningMark() throws {
        // `"` + U+0301 is one Character in Swift; the quote must still be escaped.
        let value = "\"\u{301}"
        #expect(value.count == 1)
        #expect(try render("<p title=\"{{ s }}\">", ["s": .string(value)]) == "<p title=\"&quot;\u{301}\">")
        #expect(try render("{{ s }}", ["s": "'\u{301}<\u{338}"]) == "&#39;\u{301}&lt;\u{338}")
    }

    @Test func keepsOtherTextAsItIs() throws {
        #expect(try render("{{ s }}", ["s": "Ünïcødé 👩‍👩‍👧 ok"]) == "Ünïcødé 👩‍👩‍👧 ok")
        #expect(HTML.escaped("") == "")
        #expect(HTML.escaped("&&") == "&amp;&amp;")
    }

    @Test func controlCharactersAreDropped() throws {
        #expect(try render("{{ s }}", ["s": "a\u{0}b\u{1}c\u{1B}d\u{7F}e\tf\ng"]) == "abcde\tf\ng")
    }

    @Test func unquotedAttributeValuesCannotAddAttributes() throws {
        #expect(try render("<p title={{ s }} class=x>", ["s": "a onclick=alert(1)"])
            == "<p title=a&#32;onclick&#61;alert(1) class=x>")
        #expect(try render("<p title={{ s }}>", ["s": .safe("<b>x</b> y")]) == "<p title=&lt;b&gt;x&lt;/b&gt;&#32;y>")
        #expect(try render("<a href={{ u }}>", ["u": "javascript:alert(1)"]) == "<a href=#>")
        #expect(try render("<p title=\"{{ s }}\">", ["s": "a b"]) == "<p title=\"a b\">")
    }

    @Test func safeValuesAreNotEscapedAgain() throws {
        #expect(try render("{{ s }}", ["s": .safe("<em>a &amp; b</em>")]) == "<em>a &amp; b</em>")
    }

    struct URLCase: Sendable, CustomTestStringConvertible {
        var value: String
        var printed: String
        var testDescription: String { value.debugDescription }
    }

    static let urlCases: [URLCase] = [
        URLCase(value: "javascript:alert(1)", printed: "#"),
        URLCase(value: " JaVaScRiPt:x", printed: "#"),
        URLCase(value: "java\tscript:x", printed: "#"),
        URLCase(value: "java\nscript:x", printed: "#"),
        URLCase(value: "\u{1}\u{7} javascript:x", printed: "#"),
        URLCase(value: "data:text/html,<script>alert(1)</script>", printed: "#"),
        URLCase(value: "vbscript:x", printed: "#"),
        URLCase(value: "file:///etc/passwd", printed: "#"),
        URLCase(value: "https://x.org/?a=1&b=2", printed: "https://x.org/?a=1&amp;b=2"),
        URLCase(value: "HTTP://X.ORG", printed: "HTTP://X.ORG"),
        URLCase(value: "../garden/index.html", printed: "../garden/index.html"),
        URLCase(value: "#top", printed: "#top"),
        URLCase(value: "mailto:a@b.c", printed: "mailto:a@b.c"),
        URLCase(value: "tel:+44 20 7946 0000", printed: "tel:+44 20 7946 0000"),
        URLCase(value: "/search?q=a:b", printed: "/search?q=a:b"),
        URLCase(value: "page#a:b", printed: "page#a:b"),
        URLCase(value: "garden.html", printed: "garden.html"),
        URLCase(value: "x\" onclick=\"alert(1)", printed: "x&quot; onclick=&quot;alert(1)"),
        URLCase(value: "", printed: ""),
    ]

    @Test(arguments: urlCases)
    func checksURLAttributes(_ testCase: URLCase) throws {
        #expect(try render("<a href=\"{{ u }}\">", ["u": .string(testCase.value)]) == "<a href=\"\(testCase.printed)\">")
        // A safe value is checked the same way, but not escaped again.
        let safePrinted = testCase.printed == "#" ? "#" : testCase.value
        #expect(try render("<img src='{{ u | safe }}'>", ["u": .string(testCase.value)]) == "<img src='\(safePrinted)'>")
    }

    @Test func checksSafeValuesToo() throws {
        #expect(try render("<a href=\"{{ u }}\">", ["u": .safe("javascript:alert(1)")]) == "<a href=\"#\">")
        #expect(try render("<a href=\"{{ u }}\">", ["u": .safe("a.html?x=1&amp;y=2")]) == "<a href=\"a.html?x=1&amp;y=2\">")
    }

    @Test func checksTheValueOnlyAtTheStartOfTheAttribute() throws {
        let context: [String: Value] = ["u": "javascript:alert(1)", "q": "a:b"]
        #expect(try render("<a href=\"/go?to={{ q }}\">{{ u }}</a>", context) == "<a href=\"/go?to=a:b\">javascript:alert(1)</a>")
        #expect(try render("<a title=\"{{ u }}\" href={{ u }}>", context) == "<a title=\"javascript:alert(1)\" href=#>")
        #expect(try render("<a href=\"{{ q }}{{ u }}\">", context) == "<a href=\"##\">")
    }

    @Test func relativeURLsPassTheCheck() throws {
        let environment = RenderEnvironment(currentPath: "assets/garden/")
        #expect(try render("<a href=\"{{ 'stories/x/' | relative }}\">", environment: environment) == "<a href=\"../../stories/x/index.html\">")
    }
}
