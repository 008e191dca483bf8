// libFuzzer entry for the template lexer and parser (Sources/Templates).
// scripts/fuzz.sh compiles it into the Templates module, so it reaches the
// internal Lexer and Parser. Any byte string must lex and parse without
// crashing, tokens must lie inside the text in order, and every error must
// become a diagnostic that can be printed. A theme of three templates is
// read too, so `extends`, `include` and `block` are resolved between files.

import Diagnostics

@_cdecl("LLVMFuzzerTestOneInput")
public func templateFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = text.utf8.count

    let (tokens, _) = Lexer.tokenize(text)
    guard let last = tokens.last, last.kind == .end else { fatalError("Lexer: no end token") }
    var previousStart = 0
    for token in tokens {
        let range = token.range
        if range.start < 0 || range.end > length || range.start > range.end {
            fatalError("Lexer: token \(token.kind.display) at \(range.start)..<\(range.end) outside 0..<\(length)")
        }
        if range.start < previousStart { fatalError("Lexer: tokens out of order at \(range.start)") }
        previousStart = range.start
    }

    let file = SourceFile(path: "templates/fuzz.html", text: text)
    let parsed = Parser.parse(file)
    let renderer = DiagnosticRenderer()
    for error in parsed.errors {
        if error.range.start < 0 || error.range.start > length || error.range.end > length {
            fatalError("Parser: error range \(error.range.start)..<\(error.range.end) outside 0..<\(length)")
        }
        _ = renderer.render(error.diagnostic(in: file))
    }

    let theme = [
        "page.html": text,
        "base.html": "<main>{% block content %}{% endblock %}</main>{% include \"partial.html\" %}",
        "partial.html": "<p>{{ site.title | default(\"x\") }}</p>",
    ]
    do {
        _ = try TemplateSet(sources: theme)
    } catch let list as DiagnosticList {
        for diagnostic in list.diagnostics { _ = renderer.render(diagnostic) }
    } catch {
        fatalError("TemplateSet threw \(error), not a DiagnosticList")
    }
    return 0
}
