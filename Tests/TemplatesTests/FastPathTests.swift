import Foundation
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

    /// A loop variable's URL made only of plain bytes goes straight into the
    /// output; it must read as the filter's result printed, quoted or not, and
    /// in a checked URL attribute or not, whatever the page and the index file.
    @Test func plainRelativeURLsMatchTheFilter() throws {
        let targets: [Value] = [
            "", "a/", "a/b/c.css", "/a/", "a b/", "a=b/", "é/", "a`b/", "a'b/", "a&b/", "x:y/", "a?b", "-/_~.%+,;@!$()*[]{}|^/",
        ]
        let template = """
        {% for t in ts %}<a href="{{ t | relative }}" title="{{ t | relative }}" data-x={{ t | relative }}>{{ t | relative }}</a>{% endfor %}
        """
        let filtered = """
        {% for t in ts %}<a href="{{ t | relative | default('') }}" title="{{ t | relative | default('') }}" \
        data-x={{ t | relative | default('') }}>{{ t | relative | default('') }}</a>{% endfor %}
        """
        for path in ["", "a/", "a/b/", "a//b/", "404.html", "a/b/c.html", "é/"] {
            for indexFile in ["index.html", "i n=dex.html", nil] {
                let environment = RenderEnvironment(currentPath: path, indexFile: indexFile)
                let direct = try render(template, ["ts": .array(targets)], environment: environment)
                #expect(direct == (try render(filtered, ["ts": .array(targets)], environment: environment)), "from \(path)")
                // The same URLs read from the context and given as literals.
                for target in targets {
                    guard case .string(let text) = target, !text.contains("'") else { continue }
                    let kept = try render("{{ site.t | relative }}|{{ site.t | relative }}", ["site": ["t": target]], environment: environment)
                    let literal = try render("{{ '\(text)' | relative }}|{{ '\(text)' | relative }}", environment: environment)
                    let expected = try render("{{ t | relative | default('') }}|{{ t | relative | default('') }}", ["t": target], environment: environment)
                    #expect(kept == expected && literal == expected, "\(text) from \(path)")
                }
            }
        }
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

    /// `==` and `!=` against a text literal are worked out without making
    /// values; they must agree with the general comparison for every kind.
    @Test func comparisonWithTextAgreesWithTheGeneralRoute() throws {
        let values: [Value] = [
            "x", .safe("x"), "y", "", .null, 1, 1.0, true, ["x"], ["k": "x"],
        ]
        for value in values {
            for template in ["{{ v == 'x' }}", "{{ v != 'x' }}", "{{ o.v == 'x' }}", "{% if o.v != 'x' %}T{% else %}F{% endif %}"] {
                let general = template.replacingOccurrences(of: "'x'", with: "t")
                let context: [String: Value] = ["v": value, "o": ["v": value], "t": "x"]
                #expect(try render(template, context) == render(general, context), "\(template) with \(value)")
            }
        }
        // Text on the left of `==` still goes the general way.
        #expect(try render("{{ 'x' == v }}|{{ v == 'x' }}", ["v": .safe("x")]) == "true|true")
        #expect(try render("{{ 1 == '1' }}|{{ 1 != '1' }}") == "false|true")
    }

    /// Conditions read kept values in place and give `and`, `or` and `not`
    /// the truth of what they would return.
    @Test func conditionsAgreeWithTheValuesTheyTest() throws {
        let cases: [(String, [String: Value], String)] = [
            ("{% if a.x and a.y %}T{% else %}F{% endif %}", ["a": ["x": 1, "y": ""]], "F"),
            ("{% if a.x or a.y %}T{% else %}F{% endif %}", ["a": ["x": 0, "y": [1]]], "T"),
            ("{% if not a.x or a.y.z == 'q' %}T{% else %}F{% endif %}", ["a": ["x": "s", "y": ["z": "q"]]], "T"),
            ("{% if a.x and (a.y or a.z) %}T{% else %}F{% endif %}", ["a": ["x": true, "z": ["k": 1]]], "T"),
            ("{% if a.missing or a.empty %}T{% else %}F{% endif %}", ["a": ["empty": [:]]], "F"),
            ("{% for i in xs %}{% if i.on and not i.off %}{{ i.n }}{% endif %}{% endfor %}",
             ["xs": [["on": 1, "n": "a"], ["on": 1, "off": 1, "n": "b"], ["n": "c"], ["on": "y", "n": "d"]]], "ad"),
        ]
        for (template, context, expected) in cases {
            #expect(try render(template, context) == expected, "\(template)")
        }
        // An error on the right of `and` is still reached when the left is true, and only then.
        #expect(try renderError("{% if a and (1 + 'x') %}{% endif %}", ["a": 1]) != nil)
        #expect(try renderError("{% if a and (1 + 'x') %}{% endif %}", ["a": 0]) == nil)
    }

    /// Fields of small objects are found by searching their names in turn,
    /// of large ones through a table of positions.
    @Test func fieldsOfSmallAndLargeObjectsAreFound() throws {
        var large: Object = [:]
        for number in 0..<100 { large["key\(number)"] = .int(number) }
        let small: Object = ["a": 1, "connection_groups": "long key", "café": "accent"]
        let context: [String: Value] = ["s": .object(small), "l": .object(large), "xs": [.object(small), .object(large)]]
        #expect(try render("{{ s.a }}|{{ s.connection_groups }}|{{ s['café'] }}|{{ s.b }}|{{ l.key7 }}|{{ l.key20 }}", context)
            == "1|long key|accent||7|20")
        #expect(try render("{% for x in xs %}[{{ x.a }}{{ x.key99 }}]{% endfor %}", context) == "[1][99]")
    }

    /// A name that no template binds is read from the context without
    /// looking for a binding; one that any template of the set binds, even
    /// another template than the one reading it, is looked up as before.
    @Test func aNameBoundInAnotherTemplateOfTheSetIsReadFromItsBinding() throws {
        let sources = [
            "base.html": "{{ who }}/{{ p.title }}/{{ site.title }}|{% block content %}{% endblock %}",
            "page.html": """
                {% extends "base.html" %}{% set who = "child" %}{% set p = site %}\
                {% block content %}{% for x in xs %}{% include "item.html" %}{% endfor %}{% endblock %}
                """,
            "item.html": "[{{ x.name }} {{ x.url | relative }} {{ x }}]",
        ]
        let context: [String: Value] = [
            "who": "context", "p": ["title": "context p"], "site": ["title": "Site"],
            "x": ["name": "context x", "url": "context/"], "xs": [["name": "A", "url": "a/"], ["name": "B", "url": "b/"]],
        ]
        let output = try render(sources, "page.html", context)
        #expect(output == "child/Site/Site|[A a/index.html {&quot;name&quot;:&quot;A&quot;,&quot;url&quot;:&quot;a/&quot;}]"
            + "[B b/index.html {&quot;name&quot;:&quot;B&quot;,&quot;url&quot;:&quot;b/&quot;}]")
        #expect(try render(sources, "item.html", context) == "[context x context/index.html "
            + "{&quot;name&quot;:&quot;context x&quot;,&quot;url&quot;:&quot;context/&quot;}]")
    }

    /// Text around comments and tags that print nothing is written as one piece, unchanged.
    @Test func neighbouringTextIsJoined() throws {
        #expect(try render("a{# one #}b{# two #}c{% if t %}d{% endif %}e{# three #}", ["t": true]) == "abcde")
        #expect(try render("{# only #}", [:]) == "")
    }

    /// JSON strings: every character that is escaped, at every offset, and
    /// the bytes around it copied as they are, against the rules written
    /// out one character at a time.
    @Test func jsonStringsEscapeEveryCharacterAtEveryPosition() {
        func reference(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<", ">", "&", "\u{7F}", "\u{2028}", "\u{2029}":
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default:
                    if scalar.value < 0x20 {
                        out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let specials = ["\"", "\\", "\n", "\r", "\t", "<", ">", "&", "\u{7F}", "\u{1}", "\u{1F}", "\u{2028}", "\u{2029}",
                        "\u{2027}", "\u{202A}", "\u{20AC}", "é", "☃", "'", "/", " "]
        for special in specials {
            for position in 0..<20 {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: 19 - position)
                var bytes: [UInt8] = []
                JSON.writeString(text, into: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == reference(text), "\(special.unicodeScalars.first!.value) at \(position)")
            }
        }
        var empty: [UInt8] = [1]
        JSON.writeString("", into: &empty)
        #expect(empty == [1, 0x22, 0x22])
    }
}
