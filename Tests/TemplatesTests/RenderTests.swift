import Diagnostics
import Testing
@testable import Templates

struct RenderCase: Sendable, CustomTestStringConvertible {
    var template: String
    var context: [String: Value] = [:]
    var expected: String
    var testDescription: String { template.debugDescription }
}

@Suite struct RenderTests {
    static let tagCases: [RenderCase] = [
        RenderCase(template: "Hello {{ name }}!", context: ["name": "Ann"], expected: "Hello Ann!"),
        RenderCase(template: "[{{ missing }}|{{ missing.field.deeper }}|{{ a.b }}|{{ a.b.c }}]", context: ["a": 1], expected: "[|||]"),
        RenderCase(template: "{{ 1 }}|{{ 1.5 }}|{{ 2.0 }}|{{ true }}|{{ false }}|{{ null }}|{{ 's' }}|{{ -0.25 }}", expected: "1|1.5|2|true|false||s|-0.25"),
        RenderCase(template: "{{ big }} {{ small }}", context: ["big": 1e20, "small": 1e-7], expected: "1e+20 1e-07"),
        RenderCase(template: "{{ [1, 'a', null] }}", expected: "[1,&quot;a&quot;,null]"),
        RenderCase(template: "{{ o }}", context: ["o": ["b": 1, "a": "x"]], expected: "{&quot;a&quot;:&quot;x&quot;,&quot;b&quot;:1}"),
        RenderCase(template: #"{{ "{{" }} and {{ '}}' }}"#, expected: "{{ and }}"),
        RenderCase(template: "a{# hidden {{ x }} #}b", expected: "ab"),
        RenderCase(template: "{% if x %}yes{% else %}no{% endif %}", context: ["x": true], expected: "yes"),
        RenderCase(template: "{% if x %}yes{% endif %}", context: ["x": false], expected: ""),
        RenderCase(template: "{% if a %}A{% elif b %}B{% elif c %}C{% else %}D{% endif %}", context: ["b": 1, "c": 1], expected: "B"),
        RenderCase(template: "{% if a %}A{% elif b %}B{% else %}D{% endif %}", expected: "D"),
        RenderCase(template: "{% if a %}{% if b %}ab{% else %}a{% endif %}{% endif %}", context: ["a": 1], expected: "a"),
        RenderCase(template: "{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.length }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}:{{ x }} {% endfor %}",
                   context: ["xs": ["a", "b", "c"]], expected: "1/0/3F:a 2/1/3:b 3/2/3L:c "),
        RenderCase(template: "{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", context: ["xs": []], expected: "empty"),
        RenderCase(template: "{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", expected: "empty"),
        RenderCase(template: "{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", context: ["xs": [1, 2]], expected: "12"),
        RenderCase(template: "{% for k, v in o %}{{ k }}={{ v }};{% endfor %}", context: ["o": ["b": 2, "a": 1, "c": 3]], expected: "a=1;b=2;c=3;"),
        RenderCase(template: "{% for k in o %}{{ k }}{% endfor %}", context: ["o": ["b": 2, "a": 1]], expected: "ab"),
        RenderCase(template: "{% for k, v in o %}{{ k }}{% else %}none{% endfor %}", context: ["o": [:]], expected: "none"),
        RenderCase(template: "{% for a in xs %}{% set outer = loop.index %}{% for b in ys %}{{ outer }}.{{ loop.index }} {% endfor %}{% endfor %}",
                   context: ["xs": ["x", "y"], "ys": ["p", "q"]], expected: "1.1 1.2 2.1 2.2 "),
        RenderCase(template: "{% for x in [1, 2] %}{% endfor %}[{{ loop.index }}][{{ x }}]", expected: "[][]"),
        RenderCase(template: "{{ loop }}", expected: ""),
        RenderCase(template: "{% for x in [7] %}{{ loop.index }}{% set loop = 'mine' %}{{ loop }}{% endfor %}", expected: "1mine"),
        RenderCase(template: "{% set x = 1 %}{% for i in [1, 2] %}{% set x = i * 10 %}{{ x }} {% endfor %}{{ x }}", expected: "10 20 1"),
        RenderCase(template: "{% for i in [1, 2] %}[{{ z }}{% set z = i %}{{ z }}]{% endfor %}", expected: "[1][2]"),
        RenderCase(template: "{% if true %}{% set y = 2 %}{% endif %}{{ y }}", expected: "2"),
        RenderCase(template: "{% set name = 'B' %}{{ name }}", context: ["name": "A"], expected: "B"),
        RenderCase(template: "{% set xs = [1, 2] + [3] %}{% for x in xs %}{{ x }}{% endfor %}", expected: "123"),
        RenderCase(template: "a  {{- x -}}  b", context: ["x": "X"], expected: "aXb"),
        RenderCase(template: "<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>", context: ["xs": [1, 2]],
                   expected: "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>"),
        RenderCase(template: "a \n\t {%- if true -%} \n\n b {%- endif %}", expected: "ab"),
        RenderCase(template: "a\n{#- note -#}\nb", expected: "ab"),
        RenderCase(template: "a {# note #} b", expected: "a  b"),
    ]

    @Test(arguments: tagCases)
    func tags(_ testCase: RenderCase) throws {
        #expect(try render(testCase.template, testCase.context) == testCase.expected)
    }

    static let truthinessCases: [(Value, Bool)] = [
        (.null, false), (false, false), (0, false), (0.0, false), ("", false), (.safe(""), false), ([], false), ([:], false),
        (true, true), (1, true), (-1, true), (0.5, true), ("0", true), (" ", true), ("false", true), (.safe("x"), true), ([0], true), (["a": .null], true),
    ]

    @Test(arguments: truthinessCases)
    func truthiness(_ value: Value, _ truthy: Bool) throws {
        #expect(try render("{% if x %}T{% else %}F{% endif %}", ["x": value]) == (truthy ? "T" : "F"))
        #expect(try render("{{ not x }}", ["x": value]) == (truthy ? "false" : "true"))
    }

    static let operatorCases: [RenderCase] = [
        RenderCase(template: "{{ 2 * 3 + 1 }} {{ 2 * (3 + 1) }} {{ 10 - 2 - 3 }} {{ -x }} {{ - -2 }}", context: ["x": 5], expected: "7 8 5 -5 2"),
        RenderCase(template: "{{ 7 / 2 }} {{ 8 / 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7.5 % 2 }} {{ 1 / 4.0 }}", expected: "3.5 4 1 -1 1.5 0.25"),
        RenderCase(template: "{{ 1.5 * 2 }} {{ 0.5 + 1 }} {{ 3 - 0.5 }} {{ x - 0.5 }}", context: ["x": 1.25], expected: "3 1.5 2.5 0.75"),
        RenderCase(template: "{{ [1, 2] + [3] }}", expected: "[1,2,3]"),
        RenderCase(template: "{{ 'a' ~ 1 ~ null ~ true ~ 2.5 }}", expected: "a1true2.5"),
        RenderCase(template: "{{ s ~ '<b>' }}", context: ["s": .safe("<i>x</i>")], expected: "<i>x</i>&lt;b&gt;"),
        RenderCase(template: "{{ '<b>' ~ '&' }}", expected: "&lt;b&gt;&amp;"),
        RenderCase(template: "{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 2.5 }} {{ 2 >= 3 }} {{ 'a' < 'b' }} {{ 'b' > s }}", context: ["s": .safe("a")],
                   expected: "true true true false true true"),
        RenderCase(template: "{{ missing > 0 }} {{ missing < 0 }} {{ 0 <= missing }}", expected: "false false false"),
        RenderCase(template: "{{ 1 == 1.0 }} {{ 'a' == s }} {{ [1, 2] == [1, 2.0] }} {{ 1 != '1' }} {{ null == missing }} {{ o == p }} {{ o == q }}",
                   context: ["s": .safe("a"), "o": ["a": [1]], "p": ["a": [1.0]], "q": ["a": [2]]],
                   expected: "true true true true true true false"),
        RenderCase(template: "{{ true == 1 }} {{ [] == o }} {{ x == 'x' }} {{ null == false }}", context: ["x": "x", "o": [:]], expected: "false false true false"),
        RenderCase(template: "{{ 2 in [1, 2, 3] }} {{ 'ell' in 'hello' }} {{ 'a' in o }} {{ 'z' not in o }} {{ 4 not in [1] }} {{ 'x' in missing }} {{ '' in 'abc' }} {{ 2.0 in [2] }}",
                   context: ["o": ["a": 1]], expected: "true true true true true false true true"),
        RenderCase(template: "{{ '' or 'fallback' }} {{ 'a' and 'b' }} {{ 0 and 1 }} {{ not 0 }} {{ null or 0 or 'last' }}", expected: "fallback b 0 true last"),
        RenderCase(template: "{{ missing.x and missing.x.y }}|{{ true and missing }}", expected: "|"),
        RenderCase(template: "{{ items[0] }}|{{ items[-1] }}|{{ items[9] }}|{{ counts['space'] }}|{{ counts.space }}|{{ 'abc'[1] }}|{{ items[1.0] }}|{{ counts[0] }}",
                   context: ["items": ["a", "b", "c"], "counts": ["space": 3]], expected: "a|c||3|3|b|b|"),
        RenderCase(template: "{{ (xs | length) == 2 }} {{ xs | length == 2 }}", context: ["xs": [1, 2]], expected: "true true"),
        RenderCase(template: "{{ x.y[k] }}", context: ["x": ["y": ["a": "deep"]], "k": "a"], expected: "deep"),
    ]

    @Test(arguments: operatorCases)
    func operators(_ testCase: RenderCase) throws {
        #expect(try render(testCase.template, testCase.context) == testCase.expected)
    }

    @Test func includeRendersWithTheCurrentVariables() throws {
        let sources = [
            "list.html": "{% set prefix = '#' %}<ul>{% for item in items %}{% include \"partials/row.html\" %}{% endfor %}</ul>{{ leaked }}",
            "partials/row.html": "<li>{{ prefix }}{{ loop.index }} {{ item }}</li>{% set leaked = 'oops' %}",
        ]
        #expect(try render(sources, "list.html", ["items": ["a", "b"]]) == "<ul><li>#1 a</li><li>#2 b</li></ul>")
    }

    @Test func extendsOverSeveralLevelsWithSuper() throws {
        let sources = [
            "root.html": "<title>{% block title %}Site{% endblock %}</title><main>{% block content %}root{% endblock %}</main>{% block footer %}f{% endblock %}",
            "middle.html": "{% extends \"root.html\" %}{% block title %}Mid · {{ super() }}{% endblock %}{% block footer %}[{{ super() }}]{% endblock %}",
            "leaf.html": "{% extends \"middle.html\" %}\n{% block title %}Leaf · {{ super() }}{% endblock %}\n{% block content %}leaf {{ super() }} {{ super() }}{% endblock %}",
        ]
        #expect(try render(sources, "leaf.html") == "<title>Leaf · Mid · Site</title><main>leaf root root</main>[f]")
        #expect(try render(sources, "middle.html") == "<title>Mid · Site</title><main>root</main>[f]")
        #expect(try render(sources, "root.html") == "<title>Site</title><main>root</main>f")
    }

    @Test func nestedBlocksCanBeOverriddenSeparately() throws {
        let sources = [
            "base.html": "{% block page %}<{% block inner %}base{% endblock %}>{% endblock %}",
            "a.html": "{% extends \"base.html\" %}{% block inner %}a{% endblock %}",
            "b.html": "{% extends \"base.html\" %}{% block page %}({% block inner %}b{% endblock %}){% endblock %}",
            "c.html": "{% extends \"b.html\" %}{% block inner %}c:{{ super() }}{% endblock %}",
        ]
        #expect(try render(sources, "a.html") == "<a>")
        #expect(try render(sources, "b.html") == "(b)")
        #expect(try render(sources, "c.html") == "(c:b)")
    }

    @Test func childVariablesReachTheLayout() throws {
        let sources = [
            "base.html": "{% set site_name = 'Kith' %}<h1>{{ heading }}</h1>{% block content %}{% endblock %}",
            "page.html": "{% extends \"base.html\" %}\n{% set heading = title ~ '!' %}\n{% block content %}{{ heading }} {{ site_name }}{% endblock %}\n",
        ]
        #expect(try render(sources, "page.html", ["title": "Garden"]) == "<h1>Garden!</h1>Garden! Kith")
    }

    @Test func blocksSeeLoopVariablesOfTheLayout() throws {
        let sources = [
            "base.html": "{% for x in xs %}{% block item %}{{ x }}{% endblock %}{% endfor %}",
            "page.html": "{% extends \"base.html\" %}{% block item %}<{{ x }}:{{ loop.index }}>{% endblock %}",
        ]
        #expect(try render(sources, "page.html", ["xs": ["a", "b"]]) == "<a:1><b:2>")
    }

    @Test func includedTemplatesMayExtend() throws {
        let sources = [
            "card-base.html": "<div>{% block body %}{% endblock %}</div>",
            "card.html": "{% extends \"card-base.html\" %}{% block body %}{{ name }}{% endblock %}",
            "page.html": "{% for name in names %}{% include \"card.html\" %}{% endfor %}",
        ]
        #expect(try render(sources, "page.html", ["names": ["x", "y"]]) == "<div>x</div><div>y</div>")
    }

    @Test func includeNestingUpToTheLimitWorks() throws {
        var sources: [String: String] = [:]
        let depth = Renderer.includeLimit
        for level in 0..<depth { sources["t\(level).html"] = "\(level % 10){% include \"t\(level + 1).html\" %}" }
        sources["t\(depth).html"] = "end"
        let expected = (0..<depth).map { String($0 % 10) }.joined() + "end"
        #expect(try render(sources, "t0.html") == expected)
    }

    @Test func deepButAllowedNestingRenders() throws {
        let depth = Parser.nestingLimit - 1
        let parentheses = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try render("{{ \(parentheses) }}") == "1")
        let conditions = String(repeating: "{% if true %}", count: depth) + "x" + String(repeating: "{% endif %}", count: depth)
        #expect(try render(conditions) == "x")
        let negations = String(repeating: "- ", count: depth - 1) + "x"
        #expect(try render("{{ \(negations) }}", ["x": 1]) == (depth % 2 == 0 ? "-1" : "1"))
    }

    @Test func deepIncludesOfNestedTemplatesRender() throws {
        // 64 includes, each inside two loops: 192 levels, under the render limit.
        #expect(try render(nestedIncludes(levels: Renderer.includeLimit, loops: 2), "t0.html") == "end")
    }

    @Test func rendersAgainAndAgainTheSame() throws {
        let set = try TemplateSet(sources: ["p.html": "{% for x in xs %}{{ x }}{% set y = x %}{% endfor %}{{ y }}"])
        let first = try set.render("p.html", context: ["xs": [1, 2]], environment: RenderEnvironment())
        let second = try set.render("p.html", context: ["xs": [1, 2]], environment: RenderEnvironment())
        #expect(first == "12")
        #expect(first == second)
    }

    @Test func rendersOnManyThreadsAtOnce() async throws {
        let set = try TemplateSet(sources: [
            "base.html": "<p>{% block body %}{% endblock %}</p>",
            "page.html": "{% extends \"base.html\" %}{% block body %}{% for x in xs %}{{ x }}-{{ name }} {% endfor %}{{ '' | relative }}{% endblock %}",
        ])
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for task in 0..<16 {
                group.addTask {
                    var output = ""
                    for _ in 0..<50 {
                        output = try set.render(
                            "page.html", context: ["xs": [1, 2, 3], "name": .string("n\(task)")],
                            environment: RenderEnvironment(currentPath: "a\(task)/"))
                    }
                    return (task, output)
                }
            }
            var collected: [Int: String] = [:]
            for try await (task, output) in group { collected[task] = output }
            return collected
        }
        #expect(results.count == 16)
        for (task, output) in results {
            #expect(output == "<p>1-n\(task) 2-n\(task) 3-n\(task) ../index.html</p>")
        }
    }
}

/// Templates `t0.html` … `tN.html`, each including the next inside `loops` nested loops; the last prints "end".
func nestedIncludes(levels: Int, loops: Int) -> [String: String] {
    var sources: [String: String] = [:]
    for level in 0..<levels {
        sources["t\(level).html"] = String(repeating: "{% for x in [1] %}", count: loops)
            + "{% include \"t\(level + 1).html\" %}" + String(repeating: "{% endfor %}", count: loops)
    }
    sources["t\(levels).html"] = "end"
    return sources
}
