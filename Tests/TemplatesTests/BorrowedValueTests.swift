import Testing
@testable import Templates

/// The renderer reads attribute paths and loop items where their values are
/// held, without copies of its own, and writes into a buffer of its own.
/// These cases check that what it prints does not depend on those values
/// staying around longer than the rules of the language say they do.
@Suite struct BorrowedValueTests {
    @Test func aLoopOverAComputedListReadsItsItemsUntilTheEnd() throws {
        let context: [String: Value] = ["xs": [["name": "b", "tags": ["x", "y"]], ["name": "a", "tags": ["z"]]]]
        let text = try render("{% for x in xs | sort('name') %}{{ x.name }}:{% for t in x.tags %}{{ t }}{% endfor %};{% endfor %}", context)
        #expect(text == "a:z;b:xy;")
    }

    @Test func aPathReadInOneLoopIsReadAgainInTheNext() throws {
        let context: [String: Value] = [
            "first": [["title": "one"], ["title": "two"]],
            "second": [["title": "three"]],
        ]
        let text = try render(
            "{% for x in first | reverse %}{{ x.title }},{% endfor %}{% for x in second %}{{ x.title }}{% endfor %}|{{ x.title }}", context)
        #expect(text == "two,one,three|")
    }

    @Test func aSetInsideALoopHidesTheItemForOnePass() throws {
        let context: [String: Value] = ["xs": [["name": "a"], ["name": "b"]], "other": ["name": "o"]]
        let text = try render("{% for x in xs %}{{ x.name }}{% set x = other %}{{ x.name }}{% endfor %}", context)
        #expect(text == "aobo")
    }

    @Test func aSetReplacedInTheSameScopeIsReadAfresh() throws {
        let context: [String: Value] = ["one": ["b": ["c": "first"]], "two": ["b": ["c": "second"]]]
        let text = try render("{% set a = one %}{{ a.b.c }}{% set a = two %}{{ a.b.c }}{% if a.b.c == 'second' %}!{% endif %}", context)
        #expect(text == "firstsecond!")
    }

    @Test func loopFieldsAndKeyValueLoopsSeeTheirItems() throws {
        let context: [String: Value] = ["o": ["b": ["n": 2], "a": ["n": 1]]]
        let text = try render("{% for k, v in o %}{{ loop.index }}{{ k }}={{ v.n }}{% if not loop.last %},{% endif %}{% endfor %}", context)
        #expect(text == "1a=1,2b=2")
    }

    @Test func anIncludeInALoopCopiesTheItemItBinds() throws {
        let sources = [
            "page.html": "{% for x in xs | reverse %}{% include \"card.html\" %}{% endfor %}",
            "card.html": "{% set y = x %}{% set n = x.name %}{{ y.name }}{{ n }}{{ x.tags | join('+') }};",
        ]
        let context: [String: Value] = ["xs": [["name": "a", "tags": ["p", "q"]], ["name": "b", "tags": []]]]
        #expect(try render(sources, "page.html", context) == "bb;aap+q;")
    }

    @Test func outputLongerThanTheFirstRoomGrowsIntact() throws {
        let item = String(repeating: "é<", count: 300)
        let context: [String: Value] = ["xs": .array(Array(repeating: .string(item), count: 50))]
        let text = try render("{% for x in xs %}{{ x }}|{% endfor %}", context)
        let one = String(repeating: "é&lt;", count: 300) + "|"
        #expect(text == String(repeating: one, count: 50))
    }

    @Test func superCapturesIntoAFreshBufferAndCarriesOn() throws {
        let sources = [
            "base.html": "[{% block a %}{% for i in xs %}{{ i }}{% endfor %}{% endblock %}]",
            "page.html": "{% extends \"base.html\" %}{% block a %}<{{ super() }}{{ super() | length }}>{% endblock %}",
        ]
        let context: [String: Value] = ["xs": .array((0..<400).map { .int($0 % 10) })]
        let digits = (0..<400).map { String($0 % 10) }.joined()
        #expect(try render(sources, "page.html", context) == "[<" + digits + "400>]")
    }

    /// Long texts (16 bytes or more) are read where they are kept; short
    /// ones through a copy. Both print what the `relative` filter's value prints.
    @Test func longAndShortTextPrintsTheSameByEitherRoute() throws {
        let urls: [Value] = [
            "a/", "assets/a-long-garden-name/", "stories/x/?q=1&b=<2>", "https://example.org/a-long-path/",
            "assets/a long name with spaces/", "javascript:alert(1)//a-long-one", .safe("assets/safe-&-long-enough/"), "#a-long-fragment-here",
        ]
        let items: [Value] = urls.map { ["url": $0, "name": $0] }
        let context: [String: Value] = ["xs": .array(items), "site": ["home": "assets/a-long-garden-name/", "short": "a/"]]
        let environment = RenderEnvironment(currentPath: "assets/b/")
        let fast = try render(
            "{% for x in xs %}<a href=\"{{ x.url | relative }}\">{{ x.name }}</a>{% endfor %}{{ site.home | relative }}{{ site.short | relative }}",
            context, environment: environment)
        let plain = try render(
            "{% for x in xs %}{% set u = x.url | relative %}{% set n = x.name %}<a href=\"{{ u }}\">{{ n }}</a>{% endfor %}"
                + "{% set h = site.home | relative %}{% set s = site.short | relative %}{{ h }}{{ s }}",
            context, environment: environment)
        #expect(fast == plain)
        #expect(fast.contains("<a href=\"../a-long-garden-name/index.html\">assets/a-long-garden-name/</a>"))
        #expect(fast.contains("stories/x/?q=1&amp;b=&lt;2&gt;"))
        #expect(fast.contains(">assets/safe-&-long-enough/</a>"))
    }

    @Test func aByteBufferKeepsEveryByteAcrossGrowth() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<300 {
            let piece = [UInt8](repeating: UInt8(round % 251), count: round % 37)
            piece.withUnsafeBufferPointer { buffer.put($0) }
            buffer.put(UInt8(round % 7))
            expected += piece
            expected.append(UInt8(round % 7))
        }
        let count = buffer.count
        let bytes = buffer.bytes
        #expect(count == expected.count)
        #expect(bytes == expected)
        buffer.removeAll()
        let empty = buffer.isEmpty
        #expect(empty)
        buffer.put(9)
        let after = buffer.bytes
        #expect(after == [9])
    }
}
