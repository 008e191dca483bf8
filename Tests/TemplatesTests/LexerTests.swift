import Diagnostics
import Testing
@testable import Templates

/// Tokens of a template, as text: `text("…")` for literal text, the token itself otherwise.
private func lex(_ source: String) -> (tokens: String, errors: [String]) {
    let (tokens, errors) = Lexer.tokenize(source)
    let bytes = Array(source.utf8)
    let shown = tokens.filter { $0.kind != .end }.map { token -> String in
        if token.kind == .text {
            return "text(\(String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self).debugDescription))"
        }
        return token.kind.display
    }
    let file = SourceFile(path: "t.html", text: source)
    return (shown.joined(separator: " "), errors.map { summary($0.diagnostic(in: file)) })
}

struct LexerCase: Sendable, CustomTestStringConvertible {
    var source: String
    var tokens: String
    var errors: [String] = []
    var testDescription: String { source.debugDescription }
}

@Suite struct LexerTests {
    static let cases: [LexerCase] = [
        LexerCase(source: "Hello", tokens: #"text("Hello")"#),
        LexerCase(source: "", tokens: ""),
        LexerCase(source: "a {{ b }} c", tokens: #"text("a ") {{ b }} text(" c")"#),
        LexerCase(source: "{{x}}", tokens: "{{ x }}"),
        LexerCase(source: "{% if a == 1 %}", tokens: "{% if a == 1 %}"),
        LexerCase(source: "{{ a<=b!=c>=d<e>f }}", tokens: "{{ a <= b != c >= d < e > f }}"),
        LexerCase(source: "{{ a + b - c * d / e % f ~ g }}", tokens: "{{ a + b - c * d / e % f ~ g }}"),
        LexerCase(source: "{{ x | f(1, 'a') }}", tokens: #"{{ x | f ( 1 , "a" ) }}"#),
        LexerCase(source: "{{ a.b[0] }}", tokens: "{{ a . b [ 0 ] }}"),
        LexerCase(source: "{{ 1.5 + 20 }}", tokens: "{{ 1.5 + 20 }}"),
        LexerCase(source: "{{ 1.x }}", tokens: "{{ 1 . x }}"),
        LexerCase(source: #"{{ 'it\'s' ~ "say \"hi\"\n" }}"#, tokens: #"{{ "it's" ~ "say \"hi\"\n" }}"#),
        LexerCase(source: #"{{ "}}" }}"#, tokens: #"{{ "}}" }}"#),
        LexerCase(source: #"{% set x = "%}" %}"#, tokens: #"{% set x = "%}" %}"#),
        LexerCase(source: "{% set under_score9 = _x %}", tokens: "{% set under_score9 = _x %}"),
        LexerCase(source: "{# note #}x", tokens: #"text("x")"#),
        LexerCase(source: "a{# {{ not lexed }} #}b", tokens: #"text("a") text("b")"#),
        LexerCase(source: "a  {{- x -}}  b", tokens: #"text("a") {{- x -}} text("b")"#),
        LexerCase(source: "a \n {%- if x -%} \n b", tokens: #"text("a") {%- if x -%} text("b")"#),
        LexerCase(source: "a \n{#- note -#}\n b", tokens: #"text("a") text("b")"#),
        LexerCase(source: "a {{ x -}} \n", tokens: #"text("a ") {{ x -}}"#),
        LexerCase(source: "{{ x - 1 }}", tokens: "{{ x - 1 }}"),
        LexerCase(source: "{ x } %} }}", tokens: #"text("{ x } %} }}")"#),
        LexerCase(source: "{{ a @ b }}", tokens: "{{ a error b }}", errors: ["T003 1:6 1"]),
        LexerCase(source: "{{ a ☃ b }}", tokens: "{{ a error b }}", errors: ["T003 1:6 1"]),
        LexerCase(source: "{{ !a }}", tokens: "{{ error a }}", errors: ["T003 1:4 1"]),
        LexerCase(source: #"{{ "abc }}"#, tokens: "{{ error }}", errors: ["T002 1:4 1"]),
        LexerCase(source: "{{ 99999999999999999999 }}", tokens: "{{ error }}", errors: ["T014 1:4 20"]),
        LexerCase(source: "<p>{{ a </p>", tokens: #"text("<p>") error"#, errors: ["T001 1:4 2"]),
        LexerCase(source: "<p>{{ a </p>\n{% if x %}", tokens: #"text("<p>") error {% if x %}"#, errors: ["T001 1:4 2"]),
        LexerCase(source: "{% if x }}", tokens: "error", errors: ["T001 1:1 2"]),
        LexerCase(source: "a {# never closed {{ x }}", tokens: #"text("a ")"#, errors: ["T001 1:3 2"]),
    ]

    @Test(arguments: cases)
    func tokens(_ testCase: LexerCase) {
        let (tokens, errors) = lex(testCase.source)
        #expect(tokens == testCase.tokens)
        #expect(errors == testCase.errors)
    }

    @Test func tokensCarryTheirByteRanges() {
        let source = "é {{ name }}"
        let (tokens, _) = Lexer.tokenize(source)
        // "é" is two bytes, so the text is bytes 0..<3 and `{{` starts at byte 3.
        #expect(tokens.map(\.range) == [
            SourceRange(0, 3), SourceRange(3, 5), SourceRange(6, 10), SourceRange(11, 13), SourceRange(13, 13),
        ])
    }
}
