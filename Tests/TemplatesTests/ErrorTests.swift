import Diagnostics
import Testing
@testable import Templates

@Suite struct ErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var template: String
        var context: [String: Value] = [:]
        var summary: String
        var help: String? = nil
        var testDescription: String { template.debugDescription }
    }

    static let cases: [Case] = [
        Case(template: "{{ 1 / 0 }}", summary: "T025 1:4 5"),
        Case(template: "{{ 5 % zero }}", context: ["zero": 0], summary: "T025 1:4 8"),
        Case(template: "{{ 5.0 / 0 }}", summary: "T025 1:4 7"),
        Case(template: "{{ 'a' + 1 }}", summary: "T024 1:4 7", help: "to join text, use `~`: {{ a ~ b }}"),
        Case(template: "{{ missing * 2 }}", summary: "T024 1:4 11", help: "the value on the left is missing (null)"),
        Case(template: "{{ [1] < 2 }}", summary: "T024 1:4 7", help: "`<`, `<=`, `>` and `>=` compare two numbers or two texts"),
        Case(template: "{{ 'a' < 1 }}", summary: "T024 1:4 7"),
        Case(template: "{{ 1 in 5 }}", summary: "T024 1:4 6"),
        Case(template: "{{ 1 in 'abc' }}", summary: "T024 1:4 10"),
        Case(template: "{{ -x }}", context: ["x": "a"], summary: "T024 1:4 2"),
        Case(template: "{{ [1] - [1] }}", summary: "T024 1:4 9"),
        Case(template: "{{ 9223372036854775807 + 1 }}", summary: "T029 1:4 23"),
        Case(template: "{{ big * big }}", context: ["big": .int(Int.max / 2)], summary: "T029 1:4 9"),
        Case(template: "{{ -x }}", context: ["x": .int(Int.min)], summary: "T029 1:4 2"),
        Case(template: "{% for c in 'abc' %}{% endfor %}", summary: "T026 1:13 5"),
        Case(template: "{% for c in 5 %}{% endfor %}", summary: "T026 1:13 1"),
        Case(template: "{% for k, v in [1] %}{% endfor %}", summary: "T026 1:16 3"),
        Case(template: "ok\n{% if a %}\n  {{ 'x' | date }}\n{% endif %}", context: ["a": true], summary: "T027 3:12 4"),
    ]

    @Test(arguments: cases)
    func renderErrors(_ testCase: Case) throws {
        let diagnostic = try #require(try renderError(testCase.template, testCase.context))
        #expect(summary(diagnostic) == testCase.summary)
        #expect(diagnostic.path == "templates/page.html")
        #expect(diagnostic.sourceLine != nil)
        if let help = testCase.help { #expect(diagnostic.help == help) }
    }

    @Test func notesListTheIncludeAndExtendsChain() throws {
        let sources = [
            "base.html": "<body>\n  {% block content %}{% endblock %}\n  {% include \"partials/footer.html\" %}\n</body>",
            "page.html": "{% extends \"base.html\" %}\n{% block content %}\n  {% include \"partials/card.html\" %}\n{% endblock %}",
            "partials/card.html": "<div>{{ title | date }}</div>",
            "partials/footer.html": "<footer>\n{% include \"partials/card.html\" %}</footer>",
        ]
        // The first card, included from the page's block.
        let diagnostic = try #require(try renderError(sources, "page.html", ["title": "soon"]))
        #expect(diagnostic.path == "templates/partials/card.html")
        #expect(summary(diagnostic) == "T027 1:17 4")
        #expect(diagnostic.notes == ["included from templates/page.html:3:3"])

        // The second card, through the footer, included from the layout.
        let set = try TemplateSet(sources: sources.merging(["page.html": "{% extends \"base.html\" %}"]) { $1 })
        #expect(throws: Diagnostic.self) { try set.render("page.html", context: ["title": "soon"], environment: RenderEnvironment()) }
        do {
            _ = try set.render("page.html", context: ["title": "soon"], environment: RenderEnvironment())
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.notes == [
                "included from templates/partials/footer.html:2:1",
                "included from templates/base.html:3:3",
                "extended by templates/page.html:1:1",
            ])
        }
    }

    @Test func errorsInALayoutNameEveryTemplateThatExtendsIt() throws {
        let sources = [
            "root.html": "{{ 1 / 0 }}",
            "middle.html": "{% extends \"root.html\" %}",
            "leaf.html": "\n{% extends \"middle.html\" %}",
        ]
        let diagnostic = try #require(try renderError(sources, "leaf.html"))
        #expect(diagnostic.path == "templates/root.html")
        #expect(diagnostic.notes == ["extended by templates/middle.html:1:1", "extended by templates/leaf.html:2:1"])
    }

    @Test func includeCyclesNameTheWholeChain() throws {
        let sources = [
            "a.html": "A{% include \"b.html\" %}",
            "b.html": "B\n{% if true %}{% include \"a.html\" %}{% endif %}",
        ]
        let diagnostic = try #require(try renderError(sources, "a.html"))
        #expect(diagnostic.code == "T020")
        #expect(diagnostic.message == "templates include each other in a circle: a.html → b.html → a.html")
        #expect(diagnostic.path == "templates/b.html")
        #expect(summary(diagnostic) == "T020 2:14 22")
        #expect(diagnostic.notes == ["included from templates/a.html:1:2"])

        let selfInclude = try #require(try renderError(["s.html": "{% include \"s.html\" %}"], "s.html"))
        #expect(selfInclude.message.hasSuffix("s.html → s.html"))
    }

    @Test func aCycleThroughALayoutIsFound() throws {
        let sources = [
            "base.html": "{% block content %}{% endblock %}{% include \"page.html\" %}",
            "page.html": "{% extends \"base.html\" %}{% block content %}p{% endblock %}",
        ]
        let diagnostic = try #require(try renderError(sources, "page.html"))
        #expect(diagnostic.message == "templates include each other in a circle: page.html → base.html → page.html")
    }

    @Test func includesNestedTooDeeplyAreAnError() throws {
        var sources: [String: String] = [:]
        let count = Renderer.includeLimit + 5
        for level in 0..<count { sources["t\(level).html"] = "{% include \"t\(level + 1).html\" %}" }
        sources["t\(count).html"] = "end"
        let diagnostic = try #require(try renderError(sources, "t0.html"))
        #expect(diagnostic.code == "T021")
        #expect(diagnostic.path == "templates/t\(Renderer.includeLimit).html")
        #expect(diagnostic.notes.count == Renderer.includeLimit)
        #expect(diagnostic.notes.first == "included from templates/t\(Renderer.includeLimit - 1).html:1:1")
    }

    @Test func nestingTooDeepWhileRenderingIsAnErrorNotACrash() throws {
        // Each template is fine on its own; 64 includes inside 5 loops each are too many together.
        let diagnostic = try #require(try renderError(nestedIncludes(levels: Renderer.includeLimit, loops: 5), "t0.html"))
        #expect(diagnostic.code == "T031")
        #expect(diagnostic.message == "tags, blocks and includes are nested more than \(Renderer.nestingLimit) levels deep")
        #expect(diagnostic.notes.count > 10)
    }

    @Test func superWithoutAParentBlockIsAnError() throws {
        let sources = [
            "base.html": "{% block a %}{% endblock %}",
            "page.html": "{% extends \"base.html\" %}{% block a %}{% block b %}{{ super() }}{% endblock %}{% endblock %}",
        ]
        let diagnostic = try #require(try renderError(sources, "page.html"))
        #expect(summary(diagnostic) == "T030 1:55 7")
        #expect(diagnostic.path == "templates/page.html")
    }

    @Test func renderingAnUnknownTemplateIsAnError() throws {
        let set = try TemplateSet(sources: ["home.html": "x"])
        #expect {
            try set.render("hom.html", context: [:], environment: RenderEnvironment())
        } throws: { error in
            guard let diagnostic = error as? Diagnostic else { return false }
            return diagnostic.code == "T015" && diagnostic.help == "did you mean `home.html`?"
        }
    }

    @Test func theSameErrorOnManyPagesIsOneDiagnostic() throws {
        let set = try TemplateSet(sources: ["p.html": "{{ x | date }}"])
        var seen: Set<Diagnostic> = []
        for page in 0..<3 {
            do {
                _ = try set.render("p.html", context: ["x": "bad"], environment: RenderEnvironment(currentPath: "p\(page)/"))
            } catch let diagnostic as Diagnostic {
                seen.insert(diagnostic)
            }
        }
        #expect(seen.count == 1)
    }
}
