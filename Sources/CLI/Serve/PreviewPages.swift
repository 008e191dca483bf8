import Diagnostics
import Templates

/// The pages and the script the preview server adds; none of it is ever
/// written to the built site.
enum PreviewPages {
    /// The reload script, served at `/_kith/reload.js`. It asks the server
    /// (long polling) whether a build newer than the page's has finished, and
    /// reloads the page when one has. When the server goes away it retries
    /// every second.
    static let reloadScript = """
        (function () {
          "use strict";
          var script = document.currentScript;
          var shown = script ? script.getAttribute("data-generation") : "0";
          var failures = 0;
          function wait() {
            fetch("/_kith/changes?since=" + encodeURIComponent(shown), { cache: "no-store" })
              .then(function (response) { return response.json(); })
              .then(function (answer) {
                failures = 0;
                if (String(answer.generation) !== String(shown)) { window.location.reload(); } else { wait(); }
              })
              .catch(function () { failures += 1; setTimeout(wait, Math.min(5000, 1000 * failures)); });
          }
          wait();
        })();

        """

    /// The tag that loads the reload script, naming the build the page comes from.
    static func scriptTag(generation: Int) -> String {
        "<script src=\"/_kith/reload.js\" data-generation=\"\(generation)\"></script>"
    }

    /// The page with the reload script before its last `</body>` (or at its end).
    static func inject(into html: [UInt8], generation: Int) -> [UInt8] {
        let tag = Array(scriptTag(generation: generation).utf8)
        let closing = Array("</body".utf8)
        if html.count >= closing.count {
            var index = html.count - closing.count
            while index >= 0 {
                var matches = true
                for offset in 0..<closing.count where lowercase(html[index + offset]) != closing[offset] {
                    matches = false
                    break
                }
                if matches { return Array(html[..<index]) + tag + Array(html[index...]) }
                index -= 1
            }
        }
        return html + tag
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// The page shown instead of every page while the latest build has errors:
    /// each problem with its file, line, message and fix, HTML-escaped.
    static func failure(_ diagnostics: [Diagnostic], generation: Int) -> String {
        let sorted = DiagnosticBag.sort(diagnostics)
        let errors = sorted.filter { $0.severity == .error }
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Build failed: \(errors.count) problem\(errors.count == 1 ? "" : "s") · Kith preview</title>
            <style>
            body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fdf6f6; color: #1d1d1d; }
            main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
            h1 { color: #9b1c1c; font-size: 1.5rem; }
            section { background: #fff; border-left: 4px solid #9b1c1c; padding: .75rem 1rem; margin: 1rem 0; }
            section.warning { border-color: #8a5a00; }
            h2 { font-size: 1rem; margin: 0 0 .5rem; }
            pre { overflow-x: auto; background: #f4f4f4; padding: .75rem; font-size: .875rem; }
            .fix { font-weight: 600; }
            </style>
            </head>
            <body>
            <main>
            <h1>The site could not be built</h1>
            <p>Kith found \(errors.count) problem\(errors.count == 1 ? "" : "s"). Fix \(errors.count == 1 ? "it" : "them") and save the file: this page reloads by itself.</p>

            """
        for diagnostic in sorted {
            html += "<section class=\"\(diagnostic.severity.rawValue)\">\n"
            html += "<h2><code>\(escape(diagnostic.position))</code> \(escape(diagnostic.severity.rawValue)): "
            html += "\(escape(diagnostic.message)) <small>[\(escape(diagnostic.code))]</small></h2>\n"
            html += "<pre>\(escape(DiagnosticRenderer().render(diagnostic)))</pre>\n"
            if let help = diagnostic.help { html += "<p class=\"fix\">How to fix it: \(escape(help))</p>\n" }
            html += "</section>\n"
        }
        html += "</main>\n\(scriptTag(generation: generation))\n</body>\n</html>\n"
        return html
    }

    /// A plain page for a request the server refuses or cannot answer.
    static func message(_ title: String, _ text: String, generation: Int) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title></head>
        <body><h1>\(escape(title))</h1><p>\(escape(text))</p>\(scriptTag(generation: generation))</body></html>

        """
    }

    /// HTML escaping, the same as the template engine's.
    static func escape(_ text: String) -> String {
        HTML.escaped(text)
    }
}
