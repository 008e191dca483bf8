import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A link or image found in a Markdown body, with its position in the body text.
public struct MarkdownReference: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case link, image }

    public var kind: Kind
    /// The destination as written (`garden.md`, `../stories/x.md#part`, `https://…`).
    public var destination: String
    /// For images, the alt text (the image description); for links, the link text.
    public var text: String
    /// 1-based line within the Markdown text given to the renderer.
    public var line: Int
    /// 1-based column of the start of the link or image within that line
    /// (the column of the block holding it when cmark gives no inline position).
    public var column: Int
}

/// What to do with a link or image destination while rendering.
public enum LinkRewrite: Sendable, Equatable {
    /// Leave the destination as written.
    case keep
    /// Write this destination instead.
    case replace(String)
}

/// Options for one rendering.
public struct MarkdownOptions: Sendable {
    /// Let raw HTML and every URL scheme through. Off by default: cmark then
    /// drops raw HTML and `javascript:`, `vbscript:`, `file:` and most `data:` URLs.
    public var unsafe: Bool
    /// Typographic quotes and dashes.
    public var smartPunctuation: Bool

    public init(unsafe: Bool = false, smartPunctuation: Bool = false) {
        self.unsafe = unsafe
        self.smartPunctuation = smartPunctuation
    }
}

/// CommonMark to HTML through the cmark C library. No cmark pointer escapes
/// this type: each call parses, walks, renders and frees its own document.
public enum MarkdownRenderer {
    /// Renders Markdown to HTML.
    ///
    /// - Parameters:
    ///   - text: the Markdown source.
    ///   - options: safety and typography.
    ///   - rewrite: called once per link and image, in document order, before
    ///     rendering; its answer decides the destination written to the HTML.
    /// - Returns: the HTML and every link and image found.
    /// - Complexity: linear in the size of the text (cmark's own guarantee,
    ///   including for pathological nesting).
    public static func render(
        _ text: some StringProtocol,
        options: MarkdownOptions = MarkdownOptions(),
        rewrite: (MarkdownReference) -> LinkRewrite = { _ in .keep }
    ) -> (html: String, references: [MarkdownReference]) {
        // No CMARK_OPT_VALIDATE_UTF8: Swift's strings always hold valid
        // UTF-8, so cmark's check would copy every line unchanged. (NUL
        // bytes, which it also turns into U+FFFD, cmark replaces while
        // splitting lines, with or without the check.)
        var parseOptions = CMARK_OPT_SOURCEPOS
        var renderOptions = CMARK_OPT_DEFAULT
        if options.unsafe { renderOptions |= CMARK_OPT_UNSAFE }
        if options.smartPunctuation {
            parseOptions |= CMARK_OPT_SMART
            renderOptions |= CMARK_OPT_SMART
        }
        func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> OpaquePointer? {
            guard let start = buffer.baseAddress else { return cmark_parse_document("", 0, parseOptions) }
            return start.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parse_document($0, buffer.count, parseOptions)
            }
        }
        // The text is read where it lies when it is stored in one piece, as Swift's strings are.
        guard let document = text.utf8.withContiguousStorageIfAvailable(parse)
                ?? Array(text.utf8).withUnsafeBufferPointer(parse) else {
            return ("", [])
        }
        defer { cmark_node_free(document) }

        var references: [MarkdownReference] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE else { continue }
                let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let (line, column) = position(of: node)
                let reference = MarkdownReference(
                    kind: type == CMARK_NODE_IMAGE ? .image : .link,
                    destination: destination,
                    text: plainText(of: node),
                    line: line,
                    column: column)
                references.append(reference)
                if case .replace(let replacement) = rewrite(reference) {
                    _ = cmark_node_set_url(node, replacement)
                }
            }
        }
        guard let rendered = cmark_render_html(document, renderOptions) else { return ("", references) }
        defer { free(rendered) }
        return (String(cString: rendered), references)
    }

    /// Renders Markdown with no link handling: for short texts such as summaries.
    public static func html(_ text: some StringProtocol, options: MarkdownOptions = MarkdownOptions()) -> String {
        render(text, options: options).html
    }

    /// The start of an inline node, or of the nearest block that has a position.
    private static func position(of node: OpaquePointer) -> (Int, Int) {
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 { return (line, max(1, Int(cmark_node_get_start_column(candidate)))) }
            current = cmark_node_parent(candidate)
        }
        return (1, 1)
    }

    /// The text content of a node's children (an image's alt text, a link's label).
    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(child) {
                text += String(cString: literal)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return text
    }
}
