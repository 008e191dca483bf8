import Diagnostics
import Testing
@testable import Templates

private func parse(_ source: String) -> ParsedTemplate {
    Parser.parse(SourceFile(path: "templates/t.html", text: source))
}

struct PrintCase: Sendable, CustomTestStringConvertible {
    var source: String
    var printed: String
    var testDescription: String { source.debugDescription }
}

struct ParseErrorCase: Sendable, CustomTestStringConvertible {
    var source: String
    /// `CODE line:column width` of each error, in order.
    var errors: [String]
    var label: String? = nil
    var testDescription: String { source.debugDescription }
}

struct URLContextCase: Sendable, CustomTestStringConvertible {
    var source: String
    /// For each `{{ }}` in order: whether it gets the URL check.
    var checks: [Bool]
    var testDescription: String { source.debugDescription }
}

@Suite struct ParserTests {
    static let printCases: [PrintCase] = [
        PrintCase(source: "plain <b>text</b>", printed: "plain <b>text</b>"),
        PrintCase(source: "{{x}}", printed: "{{ x }}"),
        PrintCase(source: "{{ a + b * c }}", printed: "{{ (a + (b * c)) }}"),
        PrintCase(source: "{{ (a + b) * c }}", printed: "{{ ((a + b) * c) }}"),
        PrintCase(source: "{{ a - b - c }}", printed: "{{ ((a - b) - c) }}"),
        PrintCase(source: "{{ a / b % c * d }}", printed: "{{ (((a / b) % c) * d) }}"),
        PrintCase(source: "{{ a ~ b + c }}", printed: "{{ (a ~ (b + c)) }}"),
        PrintCase(source: "{{ a ~ b == c }}", printed: "{{ ((a ~ b) == c) }}"),
        PrintCase(source: "{{ a or b and c }}", printed: "{{ (a or (b and c)) }}"),
        PrintCase(source: "{{ a and b or c }}", printed: "{{ ((a and b) or c) }}"),
        PrintCase(source: "{{ not a and b }}", printed: "{{ ((not a) and b) }}"),
        PrintCase(source: "{{ not a == b }}", printed: "{{ (not (a == b)) }}"),
        PrintCase(source: "{{ not not a }}", printed: "{{ (not (not a)) }}"),
        PrintCase(source: "{{ a not in b }}", printed: "{{ (a not in b) }}"),
        PrintCase(source: "{{ a in b or c }}", printed: "{{ ((a in b) or c) }}"),
        PrintCase(source: "{{ a < b }}{{ a <= b }}{{ a > b }}{{ a >= b }}{{ a != b }}",
                  printed: "{{ (a < b) }}{{ (a <= b) }}{{ (a > b) }}{{ (a >= b) }}{{ (a != b) }}"),
        PrintCase(source: "{{ -3 }}{{ -1.5 }}{{ -x }}{{ - -x }}", printed: "{{ -3 }}{{ -1.5 }}{{ (-x) }}{{ (-(-x)) }}"),
        PrintCase(source: "{{ -x | length }}", printed: "{{ (-x | length) }}"),
        PrintCase(source: "{{ x | upper | truncate(10) }}", printed: "{{ x | upper | truncate(10) }}"),
        PrintCase(source: "{{ a ~ b | upper }}", printed: "{{ (a ~ b | upper) }}"),
        PrintCase(source: "{{ (a ~ b) | upper }}", printed: "{{ (a ~ b) | upper }}"),
        PrintCase(source: "{{ x | replace('a', \"b\") | default(1 + 2) }}", printed: #"{{ x | replace("a", "b") | default((1 + 2)) }}"#),
        PrintCase(source: "{{ items[0].name }}", printed: "{{ items[0].name }}"),
        PrintCase(source: "{{ counts['space'] }}", printed: #"{{ counts["space"] }}"#),
        PrintCase(source: "{{ a[b[c]] }}", printed: "{{ a[b[c]] }}"),
        PrintCase(source: "{{ [1, 'a', [true, null, false],] }}", printed: #"{{ [1, "a", [true, null, false]] }}"#),
        PrintCase(source: "{{ [] }}{{ 1.25 }}", printed: "{{ [] }}{{ 1.25 }}"),
        PrintCase(source: #"{{ "say \"hi\"" }}"#, printed: #"{{ "say \"hi\"" }}"#),
        PrintCase(source: "{% if a %}x{% elif b %}y{% elif c %}z{% else %}w{% endif %}",
                  printed: "{% if a %}x{% elif b %}y{% elif c %}z{% else %}w{% endif %}"),
        PrintCase(source: "{% if a %}{% if b %}x{% endif %}{% endif %}", printed: "{% if a %}{% if b %}x{% endif %}{% endif %}"),
        PrintCase(source: "{% for x in xs | sort %}{{ x }}{% endfor %}", printed: "{% for x in xs | sort %}{{ x }}{% endfor %}"),
        PrintCase(source: "{% for k, v in o %}{{ k }}{% else %}none{% endfor %}", printed: "{% for k, v in o %}{{ k }}{% else %}none{% endfor %}"),
        PrintCase(source: "{% set x = 1 + 2 %}", printed: "{% set x = (1 + 2) %}"),
        PrintCase(source: "{% include 'partials/card.html' %}", printed: #"{% include "partials/card.html" %}"#),
        PrintCase(source: "{% extends \"base.html\" %}\n{% block a %}{{ super() }}{% endblock a %}",
                  printed: "{% extends \"base.html\" %}\n{% block a %}{{ super() }}{% endblock %}"),
        PrintCase(source: "{% block outer %}<{% block inner %}i{% endblock %}>{% endblock %}",
                  printed: "{% block outer %}<{% block inner %}i{% endblock %}>{% endblock %}"),
        PrintCase(source: "<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>",
                  printed: "<ul>{% for x in xs %}\n  <li>{{ x }}</li>{% endfor %}\n</ul>"),
        PrintCase(source: "a{# comment #}b {#- trimmed -#} c", printed: "abc"),
    ]

    @Test(arguments: printCases)
    func printsTheTreeBack(_ testCase: PrintCase) {
        let parsed = parse(testCase.source)
        #expect(parsed.errors.isEmpty, "\(parsed.errors.map(\.reason))")
        let printed = Printer.print(parsed)
        #expect(printed == testCase.printed)
        // The printed form is itself a template with the same tree.
        #expect(Printer.print(parse(printed)) == printed)
    }

    static let errorCases: [ParseErrorCase] = [
        ParseErrorCase(source: "{% if x %}abc", errors: ["T007 1:1 10"], label: "needs a matching `{% endif %}`"),
        ParseErrorCase(source: "{% for x in xs %}abc", errors: ["T007 1:1 17"]),
        ParseErrorCase(source: "{% block a %}abc", errors: ["T007 1:1 13"]),
        ParseErrorCase(source: "{% if x %}a{% else %}b", errors: ["T007 1:1 10"]),
        ParseErrorCase(source: "{% for x in xs %}{% if x %}{% endfor %}", errors: ["T007 1:18 10"]),
        ParseErrorCase(source: "{% block b %}\n{% if x %}<h1>\n{% endblock %}", errors: ["T007 2:1 10"]),
        ParseErrorCase(source: "ok\n  {% endfor %}", errors: ["T008 2:3 12"]),
        ParseErrorCase(source: "{% if x %}{% else %}{% elif y %}{% endif %}", errors: ["T008 1:21 12"]),
        ParseErrorCase(source: "{% endif %}{% endblock %}", errors: ["T008 1:1 11", "T008 1:12 14"]),
        ParseErrorCase(source: "{{ x | uper }}", errors: ["T006 1:8 4"], label: "did you mean `upper`?"),
        ParseErrorCase(source: "{{ x | frobnicate }}", errors: ["T006 1:8 10"]),
        ParseErrorCase(source: "{% fi x %}{% endif %}", errors: ["T005 1:4 2", "T008 1:11 11"], label: "did you mean `if`?"),
        ParseErrorCase(source: "{% %}", errors: ["T004 1:4 2"]),
        ParseErrorCase(source: "{{ }}", errors: ["T004 1:4 2"]),
        ParseErrorCase(source: "{{ a b }}", errors: ["T004 1:6 1"]),
        ParseErrorCase(source: "{{ (a }}", errors: ["T004 1:7 2"]),
        ParseErrorCase(source: "{{ a[1 }}", errors: ["T004 1:8 2"]),
        ParseErrorCase(source: "{{ a. }}", errors: ["T004 1:7 2"]),
        ParseErrorCase(source: "{{ a | }}", errors: ["T004 1:8 2"]),
        ParseErrorCase(source: "{{ f(1,) }}", errors: ["T013 1:4 1"]),
        ParseErrorCase(source: "{{ x | join(',' ';') }}", errors: ["T004 1:17 3"]),
        ParseErrorCase(source: "{{ a and }}", errors: ["T004 1:10 2"]),
        ParseErrorCase(source: "{{ a == or }}", errors: ["T004 1:9 2"]),
        ParseErrorCase(source: "{% for in xs %}{% endfor %}", errors: ["T004 1:8 2"]),
        ParseErrorCase(source: "{% for x of xs %}{% endfor %}", errors: ["T004 1:10 2"]),
        ParseErrorCase(source: "{% for x, in o %}{% endfor %}", errors: ["T004 1:11 2"]),
        ParseErrorCase(source: "{% set = 1 %}", errors: ["T004 1:8 1"]),
        ParseErrorCase(source: "{% set x 1 %}", errors: ["T004 1:10 1"]),
        ParseErrorCase(source: "{% set true = 1 %}", errors: ["T004 1:8 4"]),
        ParseErrorCase(source: "{% include partial %}", errors: ["T004 1:12 7"]),
        ParseErrorCase(source: "{% block %}{% endblock %}", errors: ["T004 1:10 2"]),
        ParseErrorCase(source: "{% block a %}{% endblock b %}", errors: ["T004 1:26 1"]),
        ParseErrorCase(source: "{% endif extra %}", errors: ["T008 1:1 17"]),
        ParseErrorCase(source: "{% if x %}{% else junk %}{% endif %}", errors: ["T004 1:19 4"]),
        ParseErrorCase(source: "{% if a b %}x{% endif %}", errors: ["T004 1:9 1"]),
        ParseErrorCase(source: "{% if a b %}x{% elif %}y{% endif %}", errors: ["T004 1:9 1", "T004 1:22 2"]),
        ParseErrorCase(source: "{{ a @ b }}", errors: ["T003 1:6 1"]),
        ParseErrorCase(source: "{{ \"abc }}\n{{ ok }}", errors: ["T002 1:4 1"]),
        ParseErrorCase(source: "<p>{{ a </p>\n{% if x %}y{% endif %}", errors: ["T001 1:4 2"]),
        ParseErrorCase(source: "{{ 99999999999999999999 }}", errors: ["T014 1:4 20"]),
        ParseErrorCase(source: "{{ super() }}", errors: ["T013 1:4 7"]),
        ParseErrorCase(source: "{{ now() }}", errors: ["T013 1:4 3"]),
        ParseErrorCase(source: "{% block a %}{{ super(1) }}{% endblock %}", errors: ["T004 1:23 1"]),
        ParseErrorCase(source: "<p>x</p>{% extends \"b.html\" %}", errors: ["T010 1:9 22"]),
        ParseErrorCase(source: "{% extends \"b.html\" %}{% extends \"c.html\" %}", errors: ["T010 1:23 22"]),
        ParseErrorCase(source: "{% if x %}{% extends \"b.html\" %}{% endif %}", errors: ["T010 1:11 22"]),
        ParseErrorCase(source: "{# first #}\n  {% extends \"b.html\" %}", errors: []),
        ParseErrorCase(source: "{% extends \"b.html\" %}\n<p>lost</p>", errors: ["T011 2:1 1"]),
        ParseErrorCase(source: "{% extends \"b.html\" %}{{ x }}{% if y %}{% endif %}{% set z = 1 %}{% block q %}{% endblock %}",
                       errors: ["T011 1:23 7", "T011 1:30 10"]),
        ParseErrorCase(source: "{% block a %}{% endblock %}\n{% block a %}{% endblock %}", errors: ["T012 2:10 1"], label: "first defined on line 1"),
        ParseErrorCase(source: "{{ x | uper }}\n{% fi %}\n{% endfor %}\n{{ \"open }}",
                       errors: ["T006 1:8 4", "T005 2:4 2", "T008 3:1 12", "T002 4:4 1"]),
    ]

    @Test(arguments: errorCases)
    func reportsErrors(_ testCase: ParseErrorCase) {
        let file = SourceFile(path: "templates/t.html", text: testCase.source)
        let parsed = Parser.parse(file)
        let diagnostics = parsed.errors.map { $0.diagnostic(in: file) }
        #expect(diagnostics.map(summary) == testCase.errors)
        if let label = testCase.label {
            #expect(diagnostics.first?.label == label)
        }
        #expect(diagnostics.allSatisfy { $0.path == "templates/t.html" && $0.severity == .error })
    }

    @Test(arguments: ["{{ " + String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400) + " }}",
                      "{{ " + String(repeating: "[", count: 400) + String(repeating: "]", count: 400) + " }}",
                      "{{ " + String(repeating: "not ", count: 400) + "x }}",
                      "{{ " + String(repeating: "- ", count: 400) + "x }}",
                      "{{ x" + String(repeating: "[x", count: 400) + String(repeating: "]", count: 400) + " }}",
                      String(repeating: "{% if x %}", count: 400) + String(repeating: "{% endif %}", count: 400),
                      String(repeating: "{% for x in y %}{% block b %}", count: 200)])
    func deepNestingIsAnErrorNotACrash(_ source: String) {
        let parsed = parse(source)
        #expect(parsed.errors.map(\.reason.code) == ["T009"])
    }

    @Test func nestingBelowTheLimitIsFine() {
        let depth = Parser.nestingLimit - 1
        let expression = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(parse("{{ \(expression) }}").errors.isEmpty)
        let tags = String(repeating: "{% if x %}", count: depth) + String(repeating: "{% endif %}", count: depth)
        #expect(parse(tags).errors.isEmpty)
    }

    static let urlCases: [URLContextCase] = [
        URLContextCase(source: #"<a href="{{ u }}">"#, checks: [true]),
        URLContextCase(source: "<a href='{{ u }}'>", checks: [true]),
        URLContextCase(source: "<a href={{ u }}>", checks: [true]),
        URLContextCase(source: #"<a HREF = " {{ u }}">"#, checks: [true]),
        URLContextCase(source: #"<img alt="{{ a }}" src="{{ u }}">{{ x }}"#, checks: [false, true, false]),
        URLContextCase(source: #"<form action="{{ u }}"><button formaction="{{ v }}">"#, checks: [true, true]),
        URLContextCase(source: #"<video poster="{{ u }}"></video><blockquote cite="{{ c }}">"#, checks: [true, true]),
        URLContextCase(source: #"<a href="{{ a }}{{ b }}">"#, checks: [true, true]),
        URLContextCase(source: #"<a href="/search?q={{ q }}">"#, checks: [false]),
        URLContextCase(source: #"<a href="mailto:{{ e }}">"#, checks: [false]),
        URLContextCase(source: #"<a href="{% if x %}{{ u }}{% endif %}#main">"#, checks: [true]),
        URLContextCase(source: #"<a href="{{ u }}" title="{{ t }}">{{ x }}</a>"#, checks: [true, false, false]),
        URLContextCase(source: #"<a data-href="{{ u }}" hreflang="{{ l }}">"#, checks: [false, false]),
        URLContextCase(source: #"<p>href="{{ u }}"</p>"#, checks: [false]),
        URLContextCase(source: #"<a href="x" {{ attributes }}>"#, checks: [false]),
        URLContextCase(source: #"<a href>{{ u }}</a>"#, checks: [false]),
        URLContextCase(source: #"<!-- <a href="{{ u }}"> -->"#, checks: [false]),
        URLContextCase(source: #"<script>var s = "<a href='{{ u }}'>";</script><a href="{{ v }}">"#, checks: [false, true]),
        URLContextCase(source: #"<style>a<b{}</style><img src="{{ u }}">"#, checks: [true]),
        URLContextCase(source: "<a\nclass=\"x\"\nhref=\"{{ u }}\">", checks: [true]),
        URLContextCase(source: "1 < 2 href=\"{{ u }}\"", checks: [false]),
        URLContextCase(source: #"<{{ tag }} href="{{ u }}">"#, checks: [false, true]),
    ]

    @Test(arguments: urlCases)
    func decidesURLContexts(_ testCase: URLContextCase) {
        var checks: [Bool] = []
        func collect(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .output(let output): checks.append(output.checksURL)
                case .conditional(let conditional):
                    conditional.branches.forEach { collect($0.body) }
                    collect(conditional.otherwise ?? [])
                case .loop(let loop): collect(loop.body); collect(loop.otherwise ?? [])
                case .block(let block): collect(block.body)
                default: break
                }
            }
        }
        collect(parse(testCase.source).body)
        #expect(checks == testCase.checks)
    }

    @Test func nodesCarryTheirRanges() throws {
        let source = "ab{% if x %}{{ y | upper }}{% endif %}"
        let parsed = parse(source)
        guard case .conditional(let conditional) = parsed.body[1] else {
            Issue.record("expected a conditional")
            return
        }
        #expect(conditional.range == SourceRange(2, 12))
        guard case .output(let output) = conditional.branches[0].body[0] else {
            Issue.record("expected an output")
            return
        }
        #expect(output.range == SourceRange(12, 27))
        guard case .filter(let input, let call) = output.expression else {
            Issue.record("expected a filter")
            return
        }
        #expect(input.range == SourceRange(15, 16))
        #expect(call.nameRange == SourceRange(19, 24))
    }
}
