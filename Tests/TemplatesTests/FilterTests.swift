import Diagnostics
import Testing
@testable import Templates

@Suite struct FilterTests {
    static let cases: [RenderCase] = [
        // default
        RenderCase(template: "{{ x | default('d') }}", expected: "d"),
        RenderCase(template: "{{ x | default('d') }}", context: ["x": ""], expected: "d"),
        RenderCase(template: "{{ x | default('d') }}", context: ["x": []], expected: "d"),
        RenderCase(template: "{{ x | default('d') }}", context: ["x": [:]], expected: "d"),
        RenderCase(template: "{{ x | default('d') }}", context: ["x": "v"], expected: "v"),
        RenderCase(template: "{{ x | default('d') }} {{ y | default('d') }}", context: ["x": 0, "y": false], expected: "0 false"),
        RenderCase(template: "{{ x | default(s) }}", context: ["s": .safe("<b>")], expected: "<b>"),
        // date
        RenderCase(template: "{{ '2026-05-01' | date }}", expected: "1 May 2026"),
        RenderCase(template: "{{ d | date('%A %-d %B %Y') }}", context: ["d": "2026-05-01"], expected: "Friday 1 May 2026"),
        RenderCase(template: "{{ d | date('%Y-%m-%d %b %a') }}", context: ["d": "2024-02-29T10:00:00Z"], expected: "2024-02-29 Feb Thu"),
        RenderCase(template: "{{ '1999-12-31 23:59' | date('%-m/%-d %% %A') }}", expected: "12/31 % Friday"),
        RenderCase(template: "{{ '2000-01-01' | date('%a, %d %b') }} {{ '1900-03-01' | date('%A') }}", expected: "Sat, 01 Jan Thursday"),
        RenderCase(template: "{{ '0999-09-09' | date('%Y') }}", expected: "0999"),
        RenderCase(template: "[{{ missing | date }}]", expected: "[]"),
        // case and white space
        RenderCase(template: "{{ 'ÉCOLE' | lower }} {{ 'straße' | upper }} {{ 'hELLO wORLD' | capitalize }} {{ 'élan' | capitalize }}",
                   expected: "école STRASSE Hello world Élan"),
        RenderCase(template: "[{{ '  a b \n\t' | trim }}]", expected: "[a b]"),
        RenderCase(template: "{{ 42 | upper }} [{{ missing | lower }}]", expected: "42 []"),
        // join
        RenderCase(template: "{{ xs | join }}|{{ xs | join(' / ') }}|{{ [] | join }}|{{ [1, 2.5, true] | join('') }}", context: ["xs": ["a", "b"]],
                   expected: "a, b|a / b||12.5true"),
        RenderCase(template: "{{ [s, '<i>'] | join(' & ') }}", context: ["s": .safe("<b>x</b>")], expected: "<b>x</b> &amp; &lt;i&gt;"),
        RenderCase(template: "{{ ['<i>', 'x'] | join('<br>') }}", expected: "&lt;i&gt;&lt;br&gt;x"),
        // length
        RenderCase(template: "{{ xs | length }} {{ 'héllo' | length }} {{ s | length }} {{ o | length }} {{ missing | length }}",
                   context: ["xs": [1, 2, 3], "s": "e\u{301}e", "o": ["a": 1, "b": 2]], expected: "3 5 2 2 0"),
        // truncate
        RenderCase(template: "{{ 'The quick brown fox' | truncate(10) }}", expected: "The quick…"),
        RenderCase(template: "{{ 'The quick brown fox' | truncate(12) }}", expected: "The quick…"),
        RenderCase(template: "{{ 'The quick, brown fox' | truncate(12) }}", expected: "The quick…"),
        RenderCase(template: "{{ 'Supercalifragilistic' | truncate(8) }}", expected: "Superca…"),
        RenderCase(template: "{{ 'short' | truncate(10) }} {{ 'exactly ten' | truncate(11) }}", expected: "short exactly ten"),
        RenderCase(template: "{{ s | truncate(2) }}", context: ["s": "e\u{301}e\u{301}e\u{301}"], expected: "e\u{301}…"),
        RenderCase(template: "{{ 'abc' | truncate(1) }}|{{ 'abc' | truncate(0) }}", expected: "…|"),
        // slugify
        RenderCase(template: "{{ 'Café & Bistro – Öst' | slugify }}", expected: "cafe-bistro-ost"),
        RenderCase(template: "{{ 'Straße 5' | slugify }} {{ '  --Hello, World!--  ' | slugify }} {{ 'Søren Ærø' | slugify }}",
                   expected: "strasse-5 hello-world soren-aero"),
        RenderCase(template: "{{ s | slugify }}", context: ["s": "Cafe\u{301} Nin\u{303}o"], expected: "cafe-nino"),
        // json
        RenderCase(template: "{{ v | json | safe }}", context: ["v": ["b": [1, 2.5, true, .null], "a": "</script>&\u{2028}\u{2029}'"]],
                   expected: #"{"a":"\u003c/script\u003e\u0026\u2028\u2029'","b":[1,2.5,true,null]}"#),
        RenderCase(template: "{{ s | json | safe }}", context: ["s": "quote\"back\\slash\nline\ttab\u{1}"],
                   expected: #""quote\"back\\slash\nline\ttab\u0001""#),
        RenderCase(template: "{{ v | json }}", context: ["v": ["a": "x"]], expected: "{&quot;a&quot;:&quot;x&quot;}"),
        RenderCase(template: "{{ null | json }} {{ 3 | json }} {{ 2.0 | json }} {{ s | json | safe }}", context: ["s": .safe("<b>")],
                   expected: #"null 3 2 "\u003cb\u003e""#),
        // safe and escape
        RenderCase(template: "{{ '<b>' | safe }} {{ 1 | safe }} [{{ missing | safe }}]", expected: "<b> 1 []"),
        RenderCase(template: "{{ '<b>' | safe | escape }} {{ '<b>' | escape }} {{ '&amp;' | escape | escape }}", expected: "&lt;b&gt; &lt;b&gt; &amp;amp;amp;"),
        // list helpers
        RenderCase(template: "{{ xs | first }} {{ xs | last }} {{ xs | reverse | join('') }} {{ 'abc' | first }} {{ 'abc' | last }} {{ 'abc' | reverse }}",
                   context: ["xs": ["a", "b", "c"]], expected: "a c cba a c cba"),
        RenderCase(template: "[{{ [] | first }}{{ [] | last }}{{ missing | first }}{{ '' | first }}]", expected: "[]"),
        RenderCase(template: "{{ xs | take(2) | join }}|{{ xs | take(10) | join }}|{{ xs | take(0) | join }}", context: ["xs": [1, 2, 3]],
                   expected: "1, 2|1, 2, 3|"),
        RenderCase(template: "{{ [3, 1, 2.5] | sort | join }} {{ ['b', 'a', 'C'] | sort | join('') }} {{ [2, 'a', null, true] | sort | join('') }}",
                   expected: "1, 2.5, 3 Cab true2a"),
        RenderCase(template: "{% for p in people | sort('age') %}{{ p.name }}{% endfor %}",
                   context: ["people": [["name": "a", "age": 30], ["name": "b", "age": 20], ["name": "c", "age": 30], ["name": "d"]]],
                   expected: "dbac"),
        RenderCase(template: "{% for p in people | sort('name') | reverse %}{{ p.name }}{% endfor %}",
                   context: ["people": [["name": "Bo"], ["name": "Al"], ["name": "Cy"]]], expected: "CyBoAl"),
        // replace
        RenderCase(template: "{{ 'a-b-c' | replace('-', '+') }} {{ 'aaa' | replace('a', 'aa') }} {{ 'abc' | replace('', 'x') }} {{ 'ñandú' | replace('ú', 'u') }}",
                   expected: "a+b+c aaaaaa abc ñandu"),
        RenderCase(template: "{{ '07700 900 123' | replace(' ', '') }}", expected: "07700900123"),
    ]

    @Test(arguments: cases)
    func filters(_ testCase: RenderCase) throws {
        #expect(try render(testCase.template, testCase.context) == testCase.expected)
    }

    @Test func markdownUsesTheEnvironment() throws {
        let environment = RenderEnvironment(markdown: { "<p>" + $0 + "</p>" })
        #expect(try render("{{ text | markdown }}", ["text": "a & b"], environment: environment) == "<p>a & b</p>")
        #expect(try render("[{{ missing | markdown }}]", environment: environment) == "[]")
    }

    @Test func markdownWithoutARendererIsAnError() throws {
        let diagnostic = try #require(try renderError("<div>\n  {{ text | markdown }}\n</div>", ["text": "x"]))
        #expect(summary(diagnostic) == "T028 2:13 8")
        #expect(diagnostic.message.contains("not available"))
    }

    struct RelativeCase: Sendable, CustomTestStringConvertible {
        var from: String
        var indexFile: String? = "index.html"
        var target: String
        var expected: String
        var testDescription: String { "\(target.debugDescription) from \(from.debugDescription)" }
    }

    static let relativeCases: [RelativeCase] = [
        RelativeCase(from: "assets/garden/", target: "stories/x/", expected: "../../stories/x/index.html"),
        RelativeCase(from: "", target: "static/style.css", expected: "static/style.css"),
        RelativeCase(from: "assets/garden/", target: "", expected: "../../index.html"),
        RelativeCase(from: "", target: "", expected: "index.html"),
        RelativeCase(from: "404.html", target: "assets/garden/", expected: "assets/garden/index.html"),
        RelativeCase(from: "404.html", target: "index.html", expected: "index.html"),
        RelativeCase(from: "assets/garden/", target: "assets/garden/", expected: "index.html"),
        RelativeCase(from: "assets/garden/", target: "assets/", expected: "../index.html"),
        RelativeCase(from: "assets/garden/", target: "assets/pond/", expected: "../pond/index.html"),
        RelativeCase(from: "assets/garden/", target: "media/garden.jpg", expected: "../../media/garden.jpg"),
        RelativeCase(from: "assets/garden/", target: "assets/garden/#map", expected: "index.html#map"),
        RelativeCase(from: "stories/x/", target: "search/?q=a#r", expected: "../../search/index.html?q=a#r"),
        RelativeCase(from: "a/b.html", target: "a/c.html", expected: "c.html"),
        RelativeCase(from: "a/b/c.html", target: "a/d/", expected: "../d/index.html"),
        RelativeCase(from: "", target: "/static/x.css", expected: "static/x.css"),
        RelativeCase(from: "a/", target: "https://x.org/a", expected: "https://x.org/a"),
        RelativeCase(from: "a/", target: "mailto:a@b.c", expected: "mailto:a@b.c"),
        RelativeCase(from: "a/", target: "#top", expected: "#top"),
        RelativeCase(from: "a/", target: "//cdn.example.org/x.js", expected: "//cdn.example.org/x.js"),
        RelativeCase(from: "/assets/garden/", target: "assets/pond/", expected: "../pond/index.html"),
        RelativeCase(from: "a/b/c/", target: "a/b/d/e.css", expected: "../d/e.css"),
        RelativeCase(from: "a/b/c/", target: "a/b/c/d/", expected: "d/index.html"),
        RelativeCase(from: "a/", indexFile: nil, target: "b/", expected: "../b/"),
        RelativeCase(from: "a/", indexFile: nil, target: "a/", expected: "./"),
        RelativeCase(from: "a/b/", indexFile: nil, target: "", expected: "../../"),
        RelativeCase(from: "", indexFile: nil, target: "", expected: "./"),
        RelativeCase(from: "a//b/", target: "a/b/x", expected: "x"),
        RelativeCase(from: "a//b/", target: "a//b/", expected: "..//b/index.html"),
        RelativeCase(from: "/a", target: "a/", expected: "a/index.html"),
        RelativeCase(from: "a/b", target: "c", expected: "../c"),
        RelativeCase(from: "a/", indexFile: "x y.html", target: "a/", expected: "x y.html"),
    ]

    @Test(arguments: relativeCases)
    func relative(_ testCase: RelativeCase) throws {
        let environment = RenderEnvironment(currentPath: testCase.from, indexFile: testCase.indexFile)
        #expect(try render("{{ t | relative }}", ["t": .string(testCase.target)], environment: environment) == testCase.expected)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var template: String
        var context: [String: Value] = [:]
        var summary: String
        var message: String
        var testDescription: String { template.debugDescription }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(template: "{{ name | truncate }}", summary: "T022 1:11 8", message: "`truncate` takes one argument, but was given 0"),
        ErrorCase(template: "{{ name | upper(1) }}", summary: "T022 1:11 5", message: "`upper` takes no arguments, but was given 1"),
        ErrorCase(template: "{{ name | replace('a') }}", summary: "T022 1:11 7", message: "`replace` takes two arguments, but was given 1"),
        ErrorCase(template: "{{ name | date('%d', 'x') }}", summary: "T022 1:11 4", message: "`date` takes at most one argument, but was given 2"),
        ErrorCase(template: "{{ name | truncate('ten') }}", summary: "T023 1:11 8", message: "`truncate` needs a whole number, zero or more, not text"),
        ErrorCase(template: "{{ name | take(-1) }}", summary: "T023 1:11 4", message: "`take` needs a whole number, zero or more, not -1"),
        ErrorCase(template: "{{ name | join(1) }}", summary: "T023 1:11 4", message: "`join` needs text as its separator, not a whole number"),
        ErrorCase(template: "{{ [1] | upper }}", summary: "T023 1:10 5", message: "`upper` works on text, not a list"),
        ErrorCase(template: "{{ 1 | take(1) }}", summary: "T023 1:8 4", message: "`take` needs a list, not a whole number"),
        ErrorCase(template: "{{ 1 | sort }}", summary: "T023 1:8 4", message: "`sort` needs a list, not a whole number"),
        ErrorCase(template: "{{ true | length }}", summary: "T023 1:11 6", message: "`length` counts a list, text or object, not a boolean"),
        ErrorCase(template: "{{ 'bad' | date }}", summary: "T027 1:12 4", message: "`bad` is not a date in the form YYYY-MM-DD"),
        ErrorCase(template: "{{ '2026-02-30' | date }}", summary: "T027 1:19 4", message: "`2026-02-30` is not a date in the form YYYY-MM-DD"),
        ErrorCase(template: "{{ '2026-05-01x' | date }}", summary: "T027 1:20 4", message: "`2026-05-01x` is not a date in the form YYYY-MM-DD"),
        ErrorCase(template: "{{ '2026-05-01' | date('%Q') }}", summary: "T027 1:19 4", message: "unknown date format code `%Q`"),
        ErrorCase(template: "{{ '2026-05-01' | date('%-B') }}", summary: "T027 1:19 4", message: "unknown date format code `%-B`"),
        ErrorCase(template: "{{ '2026-05-01' | date('100%') }}", summary: "T027 1:19 4", message: "unknown date format code `%`"),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: ErrorCase) throws {
        let diagnostic = try #require(try renderError(testCase.template, testCase.context))
        #expect(summary(diagnostic) == testCase.summary)
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.path == "templates/page.html")
    }
}
