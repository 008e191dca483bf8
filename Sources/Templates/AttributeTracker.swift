/// Follows a template's literal HTML, in order, to decide at parse time
/// whether each `{{ }}` starts the value of a URL attribute (`href`, `src`,
/// `action`, `formaction`, `poster`, `cite`). Such a value must pass the URL
/// check when it is printed, so a `javascript:` address cannot get in.
///
/// It is a small HTML tokenizer over the text between tags: it knows tags,
/// attribute names, quoted and unquoted values, `<!…>` markup, and the raw
/// text of `<script>` and `<style>`. `{% %}` tags are transparent to it, and
/// a `{{ }}` counts as part of an attribute value.
struct AttributeTracker: Sendable {
    private enum State: Sendable, Equatable {
        case data
        /// Just after `<`.
        case tagOpen
        case tagName
        /// Inside `</name …>`: attributes do not matter.
        case endTag
        case beforeAttributeName
        case attributeName
        case afterAttributeName
        case beforeAttributeValue
        /// Inside a value; `quote` is `"`, `'`, or 0 for an unquoted value.
        case attributeValue(quote: UInt8)
        /// `<!…>` or `<?…>`, up to `>`.
        case markup
        /// Inside `<script>` or `<style>`, up to the matching end tag.
        case rawText
    }

    static let urlAttributes: Set<[UInt8]> = Set(["href", "src", "action", "formaction", "poster", "cite"].map { Array($0.utf8) })
    private static let rawTextElements: Set<[UInt8]> = Set(["script", "style"].map { Array($0.utf8) })

    private var state = State.data
    private var tagName: [UInt8] = []
    private var attributeName: [UInt8] = []
    /// Whether the current value already has literal text other than white space.
    private var valueHasText = false
    /// `</script` or `</style` while in raw text, and how much of it has been seen.
    private var rawTextEnd: [UInt8] = []
    private var rawTextMatched = 0

    /// Reads literal template text.
    mutating func consume(_ bytes: [UInt8]) {
        for byte in bytes { step(byte) }
    }

    /// Whether the text so far ends inside an attribute value with no quotes
    /// (`<p title={{ x }}>`), where white space would end the value.
    var inUnquotedValue: Bool {
        if case .attributeValue(quote: 0) = state { return true }
        return false
    }

    /// Called for each `{{ }}`: whether its value starts a URL attribute's value.
    mutating func enterOutput() -> Bool {
        switch state {
        case .tagOpen:
            // `<{{ name }} …`: a tag whose name is only known when rendering.
            tagName = []
            state = .tagName
            return false
        case .beforeAttributeValue:
            state = .attributeValue(quote: 0)
            valueHasText = false
            return Self.urlAttributes.contains(attributeName)
        case .attributeValue:
            return !valueHasText && Self.urlAttributes.contains(attributeName)
        default:
            return false
        }
    }

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .data:
            if byte == UInt8(ascii: "<") { state = .tagOpen }
        case .tagOpen:
            if Self.isLetter(byte) {
                tagName = [Self.lowercased(byte)]
                state = .tagName
            } else if byte == UInt8(ascii: "/") {
                state = .endTag
            } else if byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") {
                state = .markup
            } else {
                state = byte == UInt8(ascii: "<") ? .tagOpen : .data
            }
        case .tagName:
            if Lexer.isSpace(byte) || byte == UInt8(ascii: "/") {
                state = .beforeAttributeName
            } else if byte == UInt8(ascii: ">") {
                endStartTag()
            } else {
                tagName.append(Self.lowercased(byte))
            }
        case .endTag, .markup:
            if byte == UInt8(ascii: ">") { state = .data }
        case .beforeAttributeName:
            if byte == UInt8(ascii: ">") {
                endStartTag()
            } else if !Lexer.isSpace(byte), byte != UInt8(ascii: "/") {
                attributeName = [Self.lowercased(byte)]
                state = .attributeName
            }
        case .attributeName:
            if byte == UInt8(ascii: "=") {
                state = .beforeAttributeValue
            } else if byte == UInt8(ascii: ">") {
                endStartTag()
            } else if Lexer.isSpace(byte) {
                state = .afterAttributeName
            } else if byte == UInt8(ascii: "/") {
                state = .beforeAttributeName
            } else {
                attributeName.append(Self.lowercased(byte))
            }
        case .afterAttributeName:
            if byte == UInt8(ascii: "=") {
                state = .beforeAttributeValue
            } else if byte == UInt8(ascii: ">") {
                endStartTag()
            } else if !Lexer.isSpace(byte), byte != UInt8(ascii: "/") {
                attributeName = [Self.lowercased(byte)]
                state = .attributeName
            }
        case .beforeAttributeValue:
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                state = .attributeValue(quote: byte)
                valueHasText = false
            } else if byte == UInt8(ascii: ">") {
                endStartTag()
            } else if !Lexer.isSpace(byte) {
                state = .attributeValue(quote: 0)
                valueHasText = true
            }
        case .attributeValue(let quote):
            if quote == 0 {
                if Lexer.isSpace(byte) {
                    state = .beforeAttributeName
                } else if byte == UInt8(ascii: ">") {
                    endStartTag()
                } else {
                    valueHasText = true
                }
            } else if byte == quote {
                state = .beforeAttributeName
            } else if !Lexer.isSpace(byte) {
                valueHasText = true
            }
        case .rawText:
            if Self.lowercased(byte) == rawTextEnd[rawTextMatched] {
                rawTextMatched += 1
                if rawTextMatched == rawTextEnd.count { state = .endTag }
            } else {
                rawTextMatched = byte == UInt8(ascii: "<") ? 1 : 0
            }
        }
    }

    /// The `>` of a start tag: `<script>` and `<style>` switch to raw text.
    private mutating func endStartTag() {
        if Self.rawTextElements.contains(tagName) {
            rawTextEnd = Array("</".utf8) + tagName
            rawTextMatched = 0
            state = .rawText
        } else {
            state = .data
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
