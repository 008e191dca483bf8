import Testing
@testable import Templates

/// The renderer keeps values it has looked up, computes `relative` URLs
/// straight into the output and escapes eight bytes at a time. These cases
/// check that each shortcut prints what the plain route prints.
@Suite struct FastPathTests {
    @Test func renderBytesGivesTheSameOutputAsRender() throws {
        let set = try TemplateSet(sources: [
            "base.html": "<title>{% block title %}{{ site.title }}{% endblock %}</title><main>{% block content %}{% endblock %}</main>",
            "page.html": "{% extends \"base.html\" %}{% block content %}{% for x in xs %}{% include \"item.html\" %}{% endfor %}{% endblock %}",
            "item.html": "<a href=\"{{ x.url | relative }}\">{{ x.name }} – café</a>",
        ])
        let context: [String: Value] = [
            "site": ["title": "Kith <&>"],
            "xs": [["url": "a/", "name": "A \"1\""], ["url": "b/", "name": "B's"]],
        ]
        let environment = RenderEnvironment(currentPath: "x/")
        let text = try set.render("page.html", context: context, environment: environment)
        let bytes = try set.renderBytes("page.html", context: context, environment: environment)
        #expect(Array(text.utf8) == bytes)
        #expect(text == "<title>Kith &lt;&amp;&gt;</title><main><a href=\"../a/index.html\">A &quot;1&quot; – café</a>"
            + "<a href=\"../b/index.html\">B&#39;s – café</a></main>")
    }

    @Test func renderBytesReportsAMissingTemplate() throws {
        let set = try TemplateSet(sources: ["page.html": "x"])
        #expect(throws: (any Error).self) { try set.renderBytes("nope.html", context: [:], environment: RenderEnvironment()) }
    }

    /// Every escaped character at every offset of a text longer than the eight-byte blocks.
    @Test func escapingFindsEveryCharacterAtEveryPosition() throws {
        let specials: [(String, String)] = [
            ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"), ("\u{7F}", ""), ("\u{1}", ""),
            ("\t", "\t"), ("\n", "\n"), ("=", "="), ("`", "`"), ("é", "é"), ("\u{2028}", "\u{2028}"),
        ]
        for (special, escaped) in specials {
            for position in 0..<20 {
                let padding = String(repeating: "a", count: position)
                let tail = String(repeating: "b", count: 19 - position)
                let output = try render("{{ t }}", ["t": .string(padding + special + tail)])
                #expect(output == padding + escaped + tail, "\(special.debugDescription) at \(position)")
            }
        }
    }

    @Test func unquotedValuesEscapeWhiteSpaceAndEquals() throws {
        let output = try render("<p title={{ t }}>", ["t": "a b\tc\nd\re=f`g<h&i\u{C}j"])
        #expect(output == "<p title=a&#32;b&#9;c&#10;d&#13;e&#61;f&#96;g&lt;h&amp;ij>")
        #expect(try render("<a href={{ u | relative }}>", ["u": "a b/"]) == "<a href=a&#32;b/index.html>")
        #expect(try render("<a href={{ u | relative }}>", ["u": "javascript:x"]) == "<a href=#>")
    }

    @Test func jsonEscapesEveryCharacterAtEveryPosition() throws {
        let specials: [(String, String)] = [
            ("\"", #"\""#), ("\\", #"\\"#), ("<", #"\u003c"#), (">", #"\u003e"#), ("&", #"\u0026"#), ("\n", #"\n"#),
            ("\u{1}", #"\u0001"#), ("\u{7F}", #"\u007f"#), ("\u{2028}", #"\u2028"#), ("\u{2029}", #"\u2029"#), ("\u{2026}", "\u{2026}"),
        ]
        for (special, escaped) in specials {
            for position in 0..<20 {
                let padding = String(repeating: "a", count: position)
                let tail = String(repeating: "b", count: 19 - position)
                let output = try render("{{ t | json | safe }}", ["t": .string(padding + special + tail)])
                #expect(output == "\"" + padding + escaped + tail + "\"", "\(special.debugDescription) at \(position)")
            }
        }
    }

    /// `relative` written straight into the output and `relative` as an ordinary filter agree.
    @Test func relativeInOutputMatchesTheFilter() throws {
        let targets: [Value] = ["", "a/", "/a/b/", "x.html?q=1#top", "#top", "//host/x", "https://x/", "mailto:a@b", 3, 2.5, true, .safe("a&b/"), nil]
        for path in ["", "a/", "a/b/", "404.html", "a/b/c.html"] {
            let environment = RenderEnvironment(currentPath: path)
            for target in targets {
                let direct = try render("<a href=\"{{ t | relative }}\">{{ t | relative }}", ["t": target], environment: environment)
                let filtered = try render("<a href=\"{{ t | relative | default('') }}\">{{ t | relative | default('') }}", ["t": target], environment: environment)
                #expect(direct == filtered, "\(target) from \(path)")
            }
        }
        let literal = "{{ 'a/' | relative }}|{{ 'a/' | relative }}|{{ site.u | relative }}|{{ site.u | relative }}"
        #expect(try render(literal, ["site": ["u": "b/"]], environment: RenderEnvironment(currentPath: "c/")) == "../a/index.html|../a/index.html|../b/index.html|../b/index.html")
    }

    @Test func relativeOfAListIsAnError() throws {
        let diagnostic = try #require(try renderError("{{ t | relative }}", ["t": [1]]))
        #expect(diagnostic.code == "T023")
        #expect(diagnostic.message == "`relative` works on text, not a list")
    }

    /// Kept paths are read again when the variable they start at is bound anew.
    @Test func keptPathsFollowTheirVariable() throws {
        let context: [String: Value] = ["a": ["b": ["c": "context"]], "xs": [["b": ["c": "one"]], ["b": ["c": "two"]]]]
        let template = """
        {{ a.b.c }}|{% for a in xs %}{{ a.b.c }},{{ a.b.c }};{% endfor %}|{{ a.b.c }}|\
        {% for x in xs %}{% set a = x %}{{ a.b.c }}{% endfor %}|{{ a.b.c }}|{% set a = xs[1] %}{{ a.b.c }}
        """
        #expect(try render(template, context) == "context|one,one;two,two;|context|onetwo|context|two")
    }

    @Test func includesSeeTheIncludersVariables() throws {
        let sources = [
            "page.html": "{% for item in xs %}{% include \"card.html\" %}{% endfor %}{% include \"card.html\" %}",
            "card.html": "[{{ item.name }}{% set item = 'local' %}{{ item }}]",
        ]
        #expect(try render(sources, "page.html", ["xs": [["name": "a"], ["name": "b"]], "item": ["name": "ctx"]]) == "[alocal][blocal][ctxlocal]")
    }

    @Test func setInsideALoopLastsOnePass() throws {
        let template = "{% for x in [1, 2, 3] %}[{{ y }}]{% set y = x %}{% set z = x %}{% endfor %}{{ y }}"
        #expect(try render(template) == "[][][]")
        let keyed = "{% for k, v in o %}[{{ w }}]{% set w = k %}{% endfor %}"
        #expect(try render(keyed, ["o": ["a": 1, "b": 2]]) == "[][]")
    }
}
