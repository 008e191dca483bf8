/// Text from other systems (HTML fragments, plain text with blank lines)
/// turned into Markdown for a profile body or one line for a front matter
/// field. No HTML reaches the output: tags become Markdown or disappear,
/// entities are decoded, and characters Markdown would read as markup or raw
/// HTML are escaped.
///
/// The structure in between is a list of blocks (paragraphs, list items,
/// headings) of inline runs (text, strong, emphasis, links).
struct RichText: Sendable, Equatable {
    enum Inline: Sendable, Equatable {
        case text(String)
        case strong([Inline])
        case emphasis([Inline])
        /// `url` is a checked web or mail address.
        case link(url: String, [Inline])
        case lineBreak
    }

    enum Block: Sendable, Equatable {
        case paragraph([Inline])
        case heading([Inline])
        case list(ordered: Bool, items: [[Inline]])
    }

    var blocks: [Block]

    /// Reads HTML when the text holds a tag, else plain text where blank lines
    /// separate paragraphs and lines starting `- `, `* ` or `• ` are list items.
    init(_ text: String) {
        blocks = HTMLFragment.looksLikeHTML(text) ? HTMLFragment.parse(text) : Self.parsePlain(text)
    }

    var isEmpty: Bool { blocks.isEmpty }

    // MARK: Output

    /// Markdown: paragraphs and lists separated by blank lines.
    var markdown: String {
        blocks.map { block -> String in
            switch block {
            case .paragraph(let inlines):
                return Self.lines(Self.markdown(inlines), indent: "")
            case .heading(let inlines):
                return "**" + Self.markdown(inlines).trimmedSpaces + "**"
            case .list(let ordered, let items):
                return items.enumerated().map { index, item in
                    let marker = ordered ? "\(index + 1). " : "- "
                    return marker + Self.lines(Self.markdown(item), indent: String(repeating: " ", count: marker.count))
                }.joined(separator: "\n")
            }
        }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// One line of plain text: blocks joined by spaces, list items by commas.
    var plain: String {
        var parts: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let inlines), .heading(let inlines):
                parts.append(Self.plain(inlines))
            case .list(_, let items):
                let texts = items.map { Self.plain($0) }.filter { !$0.isEmpty }
                var joined = texts.joined(separator: ", ")
                if !joined.isEmpty, let last = joined.last, !".!?".contains(last) { joined += "." }
                parts.append(joined)
            }
        }
        return TextTools.collapseWhitespace(parts.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// Escapes the start of every line of a block and indents the lines after the first.
    private static func lines(_ markdown: String, indent: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: true)
            .map { MarkdownText.blockStart(String($0)) }
            .enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }
            .joined(separator: "\n")
    }

    private static func markdown(_ inlines: [Inline]) -> String {
        var out = ""
        for inline in inlines {
            switch inline {
            case .text(let text):
                out += MarkdownText.escape(text)
            case .strong(let inner):
                let text = markdown(inner).trimmedSpaces
                if !text.isEmpty { out += "**\(text)**" }
            case .emphasis(let inner):
                let text = markdown(inner).trimmedSpaces
                if !text.isEmpty { out += "*\(text)*" }
            case .link(let url, let inner):
                var text = markdown(inner).trimmedSpaces
                if text.isEmpty { text = MarkdownText.escape(url) }
                out += "[\(text)](\(MarkdownText.destination(url)))"
            case .lineBreak:
                out += "\\\n"
            }
        }
        return TextTools.collapseSpaces(out)
    }

    private static func plain(_ inlines: [Inline]) -> String {
        var out = ""
        for inline in inlines {
            switch inline {
            case .text(let text): out += text
            case .strong(let inner), .emphasis(let inner), .link(_, let inner): out += plain(inner)
            case .lineBreak: out += " "
            }
        }
        return TextTools.collapseWhitespace(out)
    }

    // MARK: Plain text input

    private static func parsePlain(_ text: String) -> [Block] {
        let decoded = HTMLFragment.decodeEntities(text)
        var blocks: [Block] = []
        var paragraph: [String] = []
        var items: [String] = []
        func flush() {
            let joined = TextTools.collapseWhitespace(paragraph.joined(separator: " "))
            if !joined.isEmpty { blocks.append(.paragraph([.text(joined)])) }
            paragraph = []
            if !items.isEmpty { blocks.append(.list(ordered: false, items: items.map { [.text($0)] })) }
            items = []
        }
        for rawLine in decoded.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmedSpaces
            if line.isEmpty {
                flush()
                continue
            }
            if let item = listItem(line) {
                if !paragraph.isEmpty {
                    let joined = TextTools.collapseWhitespace(paragraph.joined(separator: " "))
                    blocks.append(.paragraph([.text(joined)]))
                    paragraph = []
                }
                items.append(item)
            } else if !items.isEmpty {
                // A line after list items continues the last one.
                items[items.count - 1] = TextTools.collapseWhitespace(items[items.count - 1] + " " + line)
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return blocks
    }

    private static func listItem(_ line: String) -> String? {
        for marker in ["- ", "* ", "• ", "\u{2013} "] where line.hasPrefix(marker) {
            let rest = TextTools.collapseWhitespace(String(line.dropFirst(marker.count)))
            return rest.isEmpty ? nil : rest
        }
        return nil
    }
}

/// A small, forgiving HTML reader for the fragments found in directory data:
/// `<p>`, `<br>`, lists, headings, `<b>`/`<strong>`, `<i>`/`<em>` and `<a>`.
/// Other tags are dropped, keeping their text; `<script>`, `<style>` and
/// comments are dropped with their content. Links keep their target only
/// when it is a web or mail address.
enum HTMLFragment {
    static func looksLikeHTML(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices.dropLast() where scalars[index] == "<" {
            let next = scalars[index + 1]
            if next == "/" || next == "!" || next.properties.isAlphabetic { return true }
        }
        return false
    }

    private struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String]
    }

    private enum Token {
        case text(String)
        case tag(Tag)
    }

    static func parse(_ html: String) -> [RichText.Block] {
        var builder = Builder()
        var skipping: String?
        for token in tokenize(html) {
            switch token {
            case .text(let text):
                if skipping == nil { builder.text(decodeEntities(text)) }
            case .tag(let tag):
                if let name = skipping {
                    if tag.closing && tag.name == name { skipping = nil }
                    continue
                }
                if !tag.closing, ["script", "style", "template", "iframe", "object", "noscript", "svg", "math",
                                   "textarea", "select", "title", "head"].contains(tag.name) {
                    skipping = tag.name
                    continue
                }
                builder.tag(tag)
            }
        }
        return builder.finish()
    }

    /// Splits HTML into text and tags; comments, doctypes and processing
    /// instructions are dropped. A `<` that does not start a tag is text.
    private static func tokenize(_ html: String) -> [Token] {
        let s = Array(html.unicodeScalars)
        var tokens: [Token] = []
        var text = String.UnicodeScalarView()
        var i = 0
        func flushText() {
            if !text.isEmpty { tokens.append(.text(String(text))) }
            text = String.UnicodeScalarView()
        }
        while i < s.count {
            let c = s[i]
            guard c == "<", i + 1 < s.count else {
                text.append(c)
                i += 1
                continue
            }
            let next = s[i + 1]
            if next == "!" || next == "?" {
                flushText()
                // Comment `<!-- … -->` or `<!…>` / `<?…>`.
                if i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = min(s.count, j + 3)
                } else {
                    var j = i + 2
                    while j < s.count, s[j] != ">" { j += 1 }
                    i = min(s.count, j + 1)
                }
                continue
            }
            let closing = next == "/"
            let nameStart = closing ? i + 2 : i + 1
            guard nameStart < s.count, s[nameStart].properties.isAlphabetic else {
                text.append(c)
                i += 1
                continue
            }
            flushText()
            var j = nameStart
            var name = String.UnicodeScalarView()
            while j < s.count, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) {
                name.append(s[j])
                j += 1
            }
            // Attributes until `>`, honouring quoted values.
            var attributes: [String: String] = [:]
            while j < s.count, s[j] != ">" {
                if s[j] == " " || s[j] == "\t" || s[j] == "\n" || s[j] == "\r" || s[j] == "/" {
                    j += 1
                    continue
                }
                var key = String.UnicodeScalarView()
                while j < s.count, !" \t\n\r=>/".unicodeScalars.contains(s[j]) {
                    key.append(s[j])
                    j += 1
                }
                while j < s.count, " \t\n\r".unicodeScalars.contains(s[j]) { j += 1 }
                var value = String.UnicodeScalarView()
                if j < s.count, s[j] == "=" {
                    j += 1
                    while j < s.count, " \t\n\r".unicodeScalars.contains(s[j]) { j += 1 }
                    if j < s.count, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        while j < s.count, s[j] != quote {
                            value.append(s[j])
                            j += 1
                        }
                        j += 1
                    } else {
                        while j < s.count, !" \t\n\r>".unicodeScalars.contains(s[j]) {
                            value.append(s[j])
                            j += 1
                        }
                    }
                }
                if key.isEmpty { j += 1 } else { attributes[String(key).lowercased()] = decodeEntities(String(value)) }
            }
            tokens.append(.tag(Tag(name: String(name).lowercased(), closing: closing, attributes: attributes)))
            i = min(s.count, j + 1)
        }
        flushText()
        return tokens
    }

    /// Collects inlines into blocks as tags open and close.
    private struct Builder {
        var blocks: [RichText.Block] = []
        /// Inline containers being filled: the outermost is the current block's content.
        var stack: [(kind: String, url: String?, inlines: [RichText.Inline])] = [("block", nil, [])]
        var blockKind = "paragraph"
        var lists: [(ordered: Bool, items: [[RichText.Inline]])] = []

        mutating func text(_ text: String) {
            // HTML white space: runs of spaces and line breaks are one space.
            var spaced = String.UnicodeScalarView()
            for c in text.unicodeScalars { spaced.append(c == "\r" || c == "\n" || c == "\t" ? " " : c) }
            let collapsed = TextTools.collapseSpaces(String(spaced))
            guard !collapsed.isEmpty else { return }
            stack[stack.count - 1].inlines.append(.text(collapsed))
        }

        mutating func tag(_ tag: Tag) {
            switch tag.name {
            case "br":
                if !tag.closing { stack[stack.count - 1].inlines.append(.lineBreak) }
            case "p", "div", "section", "article", "blockquote", "tr", "table", "center", "address", "dd", "dt",
                 "hr", "pre", "figure", "figcaption", "header", "footer", "main", "aside", "nav":
                endBlock()
            case "h1", "h2", "h3", "h4", "h5", "h6":
                endBlock()
                blockKind = tag.closing ? "paragraph" : "heading"
            case "ul", "ol":
                endBlock()
                if tag.closing {
                    if let list = lists.popLast(), !list.items.isEmpty {
                        if lists.isEmpty {
                            blocks.append(.list(ordered: list.ordered, items: list.items))
                        } else {
                            lists[lists.count - 1].items.append(contentsOf: list.items)
                        }
                    }
                } else {
                    // A nested list is flattened into its parent.
                    if lists.isEmpty { lists.append((tag.name == "ol", [])) } else { lists.append((lists.last!.ordered, [])) }
                }
            case "li":
                endBlock()
                if !tag.closing, lists.isEmpty { lists.append((false, [])) }
            case "b", "strong", "i", "em", "a":
                if tag.closing {
                    closeInline(tag.name)
                } else {
                    var url: String?
                    if tag.name == "a" { url = tag.attributes["href"].flatMap(AddressRepair.linkTarget) }
                    stack.append((tag.name, url, []))
                }
            case "td", "th":
                if tag.closing { stack[stack.count - 1].inlines.append(.text(" ")) }
            default:
                break  // Unknown tags are dropped; their text stays.
            }
        }

        private mutating func closeInline(_ name: String) {
            let group = { (n: String) -> String in ["b": "strong", "strong": "strong", "i": "em", "em": "em", "a": "a"][n] ?? n }
            guard let position = stack.lastIndex(where: { group($0.kind) == group(name) }), position > 0 else { return }
            while stack.count > position { foldTop() }
        }

        /// Closes the innermost open inline into its parent.
        private mutating func foldTop() {
            let top = stack.removeLast()
            let inline: RichText.Inline?
            switch top.kind {
            case "b", "strong": inline = .strong(top.inlines)
            case "i", "em": inline = .emphasis(top.inlines)
            case "a": inline = top.url.map { .link(url: $0, top.inlines) }
            default: inline = nil
            }
            if let inline { stack[stack.count - 1].inlines.append(inline) } else {
                stack[stack.count - 1].inlines.append(contentsOf: top.inlines)
            }
        }

        mutating func endBlock() {
            while stack.count > 1 { foldTop() }
            let inlines = Self.trim(stack[0].inlines)
            stack[0].inlines = []
            guard !inlines.isEmpty else { return }
            if !lists.isEmpty {
                lists[lists.count - 1].items.append(inlines)
            } else if blockKind == "heading" {
                blocks.append(.heading(inlines))
            } else {
                blocks.append(.paragraph(inlines))
            }
        }

        mutating func finish() -> [RichText.Block] {
            endBlock()
            // Lists never closed: their items, outermost first, make one list.
            var items: [[RichText.Inline]] = []
            var ordered = false
            while let list = lists.popLast() {
                items = list.items + items
                ordered = list.ordered
            }
            if !items.isEmpty { blocks.append(.list(ordered: ordered, items: items)) }
            return blocks
        }

        /// Drops white space and line breaks at the ends of a block.
        static func trim(_ inlines: [RichText.Inline]) -> [RichText.Inline] {
            var list = inlines
            func blank(_ inline: RichText.Inline) -> Bool {
                if case .lineBreak = inline { return true }
                if case .text(let t) = inline { return t.trimmedSpaces.isEmpty }
                return false
            }
            while let first = list.first, blank(first) { list.removeFirst() }
            while let last = list.last, blank(last) { list.removeLast() }
            if case .text(let t)? = list.first { list[0] = .text(String(t.drop { $0 == " " })) }
            if case .text(let t)? = list.last { list[list.count - 1] = .text(String(t.reversed().drop { $0 == " " }.reversed())) }
            return list
        }
    }

    /// Decodes character references: the common named ones and numeric ones.
    /// Unknown names are left as they are.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "\u{2013}",
            "mdash": "\u{2014}", "hellip": "\u{2026}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
            "ldquo": "\u{201C}", "rdquo": "\u{201D}", "bull": "\u{2022}", "middot": "\u{00B7}", "copy": "\u{00A9}",
            "reg": "\u{00AE}", "trade": "\u{2122}", "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à",
            "oacute": "ó", "uacute": "ú", "iacute": "í", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö",
            "auml": "ä", "szlig": "ß", "pound": "£", "euro": "€", "deg": "°", "frac12": "½",
        ]
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&", let end = s[(i + 1)...].prefix(12).firstIndex(of: ";") else {
                out.append(s[i])
                i += 1
                continue
            }
            let name = String(String.UnicodeScalarView(s[(i + 1)..<end]))
            var replacement: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Self.character)
            } else if name.hasPrefix("#") {
                replacement = UInt32(name.dropFirst(1)).flatMap(Self.character)
            } else {
                replacement = named[name]
            }
            if let replacement {
                out.append(contentsOf: replacement.unicodeScalars)
                i = end + 1
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    /// A character from a numeric reference; control characters and NUL are refused.
    private static func character(_ value: UInt32) -> String? {
        guard value >= 0x20 || value == 0x09 || value == 0x0A, value != 0x7F,
              let scalar = Unicode.Scalar(value) else { return nil }
        return String(scalar)
    }
}

/// Escaping for Markdown text written by the importer.
enum MarkdownText {
    /// Escapes characters cmark would read as markup or HTML, leaving ordinary
    /// punctuation readable: `*`, `` ` ``, `\`, `[`, `]`, `<` always; `_` at
    /// the edge of a word; `&` when it could start a character reference.
    static func escape(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, c) in s.enumerated() {
            switch c {
            case "\\", "`", "*", "[", "]", "<", ">":
                out.append("\\")
            case "_":
                let before = i > 0 ? s[i - 1] : " "
                let after = i + 1 < s.count ? s[i + 1] : " "
                if !(isWordScalar(before) && isWordScalar(after)) { out.append("\\") }
            case "&":
                let rest = s[(i + 1)...].prefix(10)
                if let first = rest.first, first == "#" || first.properties.isAlphabetic, rest.contains(";") {
                    out.append("\\")
                }
            default:
                break
            }
            out.append(c)
        }
        return String(out)
    }

    /// Escapes what would make the start of a paragraph a heading, list, quote or rule.
    static func blockStart(_ markdown: String) -> String {
        let text = markdown.trimmedSpaces
        guard let first = text.unicodeScalars.first else { return text }
        if "#+-=|".unicodeScalars.contains(first) { return "\\" + text }
        // `1. ` or `1) ` would start an ordered list.
        let digits = text.unicodeScalars.prefix { ("0"..."9").contains($0) }
        if !digits.isEmpty, digits.count <= 9 {
            let rest = text.unicodeScalars.dropFirst(digits.count)
            if let mark = rest.first, mark == "." || mark == ")" {
                let index = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: digits.count)
                var scalars = text.unicodeScalars
                scalars.insert("\\", at: index)
                return String(scalars)
            }
        }
        return text
    }

    /// A link destination: spaces, parentheses and angle brackets percent-encoded.
    static func destination(_ url: String) -> String {
        var out = ""
        for c in url.unicodeScalars {
            switch c {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) }
        return c.properties.isAlphabetic
    }
}

/// Small text helpers.
enum TextTools {
    /// Trims and turns every run of white space (line breaks included) into
    /// one space; other control characters are dropped.
    static func collapseWhitespace(_ text: String) -> String {
        var out = ""
        var pending = false
        for c in text.unicodeScalars {
            if isSpace(c) {
                pending = !out.isEmpty
                continue
            }
            if isControl(c) { continue }
            if pending { out += " " }
            pending = false
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// Turns runs of spaces into one space, keeping a leading or trailing one;
    /// control characters other than line breaks are dropped.
    static func collapseSpaces(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousSpace = false
        for c in text.unicodeScalars {
            if c != "\n", isControl(c) { continue }
            let space = c == " " || c == "\u{00A0}"
            if space && previousSpace { continue }
            out.append(space ? " " : c)
            previousSpace = space
        }
        return String(out)
    }

    /// White space, including line breaks and the no-break space (ASCII answered without a table lookup).
    @inline(__always)
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == " " || c == "\t" || c == "\n" || c == "\r" || c.value == 0x0B || c.value == 0x0C }
        return c.properties.isWhitespace || c == "\u{00A0}"
    }

    /// A control character (or the byte order mark) that has no place in text.
    @inline(__always)
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c.value < 0x20 || c.value == 0x7F }
        return c.properties.generalCategory == .control || c == "\u{FEFF}"
    }

    /// One line of plain text from any source text (HTML or not).
    static func line(_ text: String) -> String {
        // Most values hold no markup, references or list markers: skip the parsing.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            return collapseWhitespace(text)
        }
        return RichText(text).plain
    }

    /// A summary of at most `limit` characters: the text itself when short
    /// enough, else the longest run of whole sentences that fits, else the
    /// words that fit followed by `…`.
    static func summary(_ text: String, limit: Int = 200) -> String {
        let line = collapseWhitespace(text)
        guard line.count > limit else { return line }
        let characters = Array(line)
        var cut: Int?
        for index in stride(from: limit - 1, through: limit / 3, by: -1)
        where ".!?".contains(characters[index]) && (index + 1 == characters.count || characters[index + 1] == " ") {
            cut = index + 1
            break
        }
        if let cut { return String(characters[..<cut]) }
        var end = limit - 1
        while end > 0, characters[end] != " " { end -= 1 }
        if end < limit / 3 { end = limit - 1 }
        var head = String(characters[..<end])
        while let last = head.last, ",;:-\u{2013} ".contains(last) { head.removeLast() }
        return head + "\u{2026}"
    }
}

extension StringProtocol {
    /// The text without white space (line breaks included) at either end.
    var trimmed: String { trimming(TextTools.isSpace) }

    /// The text without spaces and tabs at either end; line breaks are kept.
    var trimmedSpaces: String { trimming { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" } }

    private func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else {
            return ""
        }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
