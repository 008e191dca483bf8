import Diagnostics

/// A template after parsing: its body, what it extends and includes, and its blocks.
struct ParsedTemplate: Sendable {
    var body: [Node]
    var extends: Extends?
    var blocks: [String: Block]
    var includes: [Include]
    var errors: [TemplateError]
}

/// Turns tokens into a tree (`Node`s holding `Expression`s).
///
/// A syntax error inside a tag is recorded and the parser skips to the end of
/// that tag, so one template reports all of its problems. A tag whose header
/// is broken still opens its body, so its end tag does not become a second error.
struct Parser {
    /// Tag names, for "did you mean" and for the help of an unknown tag.
    static let tagNames = ["block", "elif", "else", "endblock", "endfor", "endif", "extends", "for", "if", "include", "set"]
    /// Tags that end or divide a body; each must belong to an open tag.
    static let dividingTags: Set<String> = ["elif", "else", "endblock", "endfor", "endif"]
    /// Words with a meaning of their own, which cannot name a variable.
    static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]
    /// How deeply expressions and tags may nest, together.
    static let nestingLimit = 150

    /// Thrown after the nesting limit error is recorded: the rest of the file is not parsed.
    private struct NestingAbort: Error {}
    /// Thrown on an `.error` token: the lexer has reported it already.
    private struct AlreadyReported: Error {}

    private let tokens: [Token]
    private let file: SourceFile
    private let bytes: [UInt8]
    private var index = 0
    private var errors: [TemplateError]
    private var depth = 0
    private var blockDepth = 0
    /// The tags that may end each body being parsed, innermost last.
    private var openBodies: [Set<String>] = []
    private var attributes = AttributeTracker()
    /// Whether anything but white space and comments came before: `extends` must come first.
    private var seenContent = false
    private var extends: Extends?
    private var blocks: [String: Block] = [:]
    private var includes: [Include] = []

    private init(tokens: [Token], file: SourceFile, errors: [TemplateError]) {
        self.tokens = tokens
        self.file = file
        self.bytes = Array(file.text.utf8)
        self.errors = errors
    }

    /// Lexes and parses a template file.
    static func parse(_ file: SourceFile) -> ParsedTemplate {
        let (tokens, lexErrors) = Lexer.tokenize(file.text)
        var parser = Parser(tokens: tokens, file: file, errors: lexErrors)
        var body: [Node] = []
        do {
            body = try parser.parseTemplate()
        } catch {
            // Only NestingAbort gets here; its error is recorded.
        }
        parser.errors.sort { $0.range.start < $1.range.start }
        return ParsedTemplate(
            body: body, extends: parser.extends, blocks: parser.blocks, includes: parser.includes, errors: parser.errors)
    }

    // MARK: - Template structure

    /// Template: body EOF
    private mutating func parseTemplate() throws -> [Node] {
        let (body, _) = try parseBody(until: [])
        if let extends { checkOutsideBlocks(body, parent: extends.name) }
        return body
    }

    private enum Stop {
        case end
        /// A dividing tag (`else`, `endif` …) at `index`, not consumed.
        case tag(String)
    }

    /// Body: (TEXT | output | statement)*
    ///
    /// Stops before a tag in `terminators`, before a dividing tag that an
    /// enclosing body is waiting for, or at the end of the template.
    private mutating func parseBody(until terminators: Set<String>) throws -> ([Node], Stop) {
        openBodies.append(terminators)
        defer { openBodies.removeLast() }
        var nodes: [Node] = []
        while true {
            let token = tokens[index]
            switch token.kind {
            case .text:
                let text = Array(bytes[token.range.start..<token.range.end])
                attributes.consume(text)
                if !seenContent, text.contains(where: { !Lexer.isSpace($0) }) { seenContent = true }
                nodes.append(.text(text, token.range))
                index += 1
            case .outputOpen:
                seenContent = true
                if let output = try parseOutput() { nodes.append(.output(output)) }
            case .tagOpen:
                if case .name(let keyword) = tokens[index + 1].kind, Self.dividingTags.contains(keyword) {
                    if terminators.contains(keyword) || openBodies.dropLast().contains(where: { $0.contains(keyword) }) {
                        return (nodes, .tag(keyword))
                    }
                    let range = tagRange()
                    errors.append(TemplateError(.unexpectedEndTag(keyword), range))
                    skipTag()
                    continue
                }
                if let node = try parseStatement() { nodes.append(node) }
            case .end:
                return (nodes, .end)
            default:
                // An error token outside any tag (an unclosed `{{`), already reported.
                index += 1
            }
        }
    }

    /// In a template that extends another, only blocks, `set` and white space
    /// may stand outside blocks: anything else would never be printed.
    private mutating func checkOutsideBlocks(_ body: [Node], parent: String) {
        for node in body {
            var range: SourceRange?
            switch node {
            case .text(let text, let textRange):
                if let offset = text.firstIndex(where: { !Lexer.isSpace($0) }) {
                    range = SourceRange(textRange.start + offset, textRange.start + offset + 1)
                }
            case .output(let output): range = output.range
            case .conditional(let conditional): range = conditional.range
            case .loop(let loop): range = loop.range
            case .include(let include): range = include.range
            case .assignment, .block: break
            }
            if let range { errors.append(TemplateError(.contentOutsideBlocks(parent: parent), range)) }
        }
    }

    // MARK: - Tags

    /// Output: '{{' expression '}}'
    private mutating func parseOutput() throws -> Output? {
        let start = tokens[index].range.start
        let checksURL = attributes.enterOutput()
        let unquoted = attributes.inUnquotedValue
        index += 1
        do {
            let expression = try parseExpression()
            guard case .outputClose = tokens[index].kind else {
                throw unexpected("`}}`")
            }
            index += 1
            return Output(expression: expression, checksURL: checksURL, unquoted: unquoted, range: SourceRange(start, tokens[index - 1].range.end))
        } catch {
            try recover(from: error)
            return nil
        }
    }

    /// Statement: '{%' NAME … '%}'
    private mutating func parseStatement() throws -> Node? {
        guard case .name(let keyword) = tokens[index + 1].kind else {
            let token = tokens[index + 1]
            if token.kind != .error {
                errors.append(TemplateError(.expected("a tag name such as `if` or `for`", found: describe(token)), token.range))
            }
            skipTag()
            return nil
        }
        if keyword != "extends" { seenContent = true }
        switch keyword {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "include": return try parseInclude()
        case "extends": try parseExtends(); return nil
        case "block": return try parseBlock()
        default:
            let range = tokens[index + 1].range
            let suggestion = Suggestions.closest(to: keyword, in: Self.tagNames)
            errors.append(TemplateError(.unknownTag(keyword, suggestion: suggestion), range))
            skipTag()
            return nil
        }
    }

    /// If: '{% if' expression '%}' body ('{% elif' expression '%}' body)* ('{% else %}' body)? '{% endif %}'
    private mutating func parseIf() throws -> Node {
        let openRange = tagRange()
        var branches: [Conditional.Branch] = []
        var otherwise: [Node]?
        var condition = try parseTagExpression()
        var conditionRange = openRange
        try descend()
        defer { ascend() }
        while true {
            let terminators: Set<String> = otherwise == nil ? ["elif", "else", "endif"] : ["endif"]
            let (body, stop) = try parseBody(until: terminators)
            if otherwise == nil {
                branches.append(Conditional.Branch(condition: condition, body: body, range: conditionRange))
            } else {
                otherwise = body
            }
            guard case .tag(let keyword) = stop, terminators.contains(keyword) else {
                reportUnclosed("if", end: "endif", at: openRange)
                break
            }
            switch keyword {
            case "endif":
                try parseEndTag()
                return .conditional(Conditional(branches: branches, otherwise: otherwise, range: openRange))
            case "elif":
                conditionRange = tagRange()
                condition = try parseTagExpression()
            default:
                try parseEndTag()
                otherwise = []
            }
        }
        return .conditional(Conditional(branches: branches, otherwise: otherwise, range: openRange))
    }

    /// For: '{% for' NAME (',' NAME)? 'in' expression '%}' body ('{% else %}' body)? '{% endfor %}'
    private mutating func parseFor() throws -> Node {
        let openRange = tagRange()
        index += 2
        var keyName: String?
        var valueName = ""
        var sequence = Expression.literal(.null, openRange)
        do {
            valueName = try expectVariableName(after: "`for`")
            if case .symbol(.comma) = tokens[index].kind {
                index += 1
                keyName = valueName
                valueName = try expectVariableName(after: "`,`")
            }
            guard case .name("in") = tokens[index].kind else {
                throw unexpected("`in`")
            }
            index += 1
            sequence = try parseExpression()
            try expectTagClose()
        } catch {
            try recover(from: error)
        }
        try descend()
        defer { ascend() }
        var (body, stop) = try parseBody(until: ["else", "endfor"])
        var otherwise: [Node]?
        if case .tag("else") = stop {
            try parseEndTag()
            let (elseBody, elseStop) = try parseBody(until: ["endfor"])
            otherwise = elseBody
            stop = elseStop
        }
        if case .tag("endfor") = stop {
            try parseEndTag()
        } else {
            reportUnclosed("for", end: "endfor", at: openRange)
        }
        return .loop(Loop(keyName: keyName, valueName: valueName, sequence: sequence, body: body, otherwise: otherwise, range: openRange))
    }

    /// Set: '{% set' NAME '=' expression '%}'
    private mutating func parseSet() throws -> Node? {
        let range = tagRange()
        index += 2
        do {
            let name = try expectVariableName(after: "`set`")
            guard case .symbol(.assign) = tokens[index].kind else {
                throw unexpected("`=`")
            }
            index += 1
            let value = try parseExpression()
            try expectTagClose()
            return .assignment(Assignment(name: name, value: value, range: range))
        } catch {
            try recover(from: error)
            return nil
        }
    }

    /// Include: '{% include' STRING '%}'
    private mutating func parseInclude() throws -> Node? {
        let range = tagRange()
        index += 2
        do {
            let (name, nameRange) = try expectTemplateName()
            try expectTagClose()
            let include = Include(name: name, range: range, nameRange: nameRange)
            includes.append(include)
            return .include(include)
        } catch {
            try recover(from: error)
            return nil
        }
    }

    /// Extends: '{% extends' STRING '%}', first in the template
    private mutating func parseExtends() throws {
        let range = tagRange()
        index += 2
        do {
            let (name, nameRange) = try expectTemplateName()
            try expectTagClose()
            if extends != nil {
                errors.append(TemplateError(.misplacedExtends("a template can extend only one other template"), range))
            } else if openBodies.count > 1 {
                errors.append(TemplateError(.misplacedExtends("`extends` cannot be inside another tag"), range))
            } else if seenContent {
                errors.append(TemplateError(.misplacedExtends("`extends` must come first in the template"), range))
            } else {
                extends = Extends(name: name, range: range, nameRange: nameRange)
            }
        } catch {
            try recover(from: error)
        }
    }

    /// Block: '{% block' NAME '%}' body '{% endblock' NAME? '%}'
    private mutating func parseBlock() throws -> Node? {
        let openRange = tagRange()
        index += 2
        var name = ""
        var nameRange = openRange
        do {
            nameRange = tokens[index].range
            name = try expectVariableName(after: "`block`")
            try expectTagClose()
        } catch {
            try recover(from: error)
        }
        try descend()
        blockDepth += 1
        let (body, stop) = try parseBody(until: ["endblock"])
        blockDepth -= 1
        ascend()
        if case .tag("endblock") = stop {
            index += 2
            if case .name(let closing) = tokens[index].kind {
                if !name.isEmpty, closing != name {
                    errors.append(TemplateError(.expected("`endblock` or `endblock \(name)`", found: "`endblock \(closing)`"), tokens[index].range))
                }
                index += 1
            }
            do { try expectTagClose() } catch { try recover(from: error) }
        } else {
            reportUnclosed("block", end: "endblock", at: openRange)
        }
        let block = Block(name: name, body: body, range: openRange)
        guard !name.isEmpty else { return nil }
        if let first = blocks[name] {
            let line = file.location(of: first.range.start).line
            errors.append(TemplateError(.duplicateBlock(name, firstLine: line), nameRange))
        } else {
            blocks[name] = block
        }
        return .block(block)
    }

    /// EndTag: '{%' ('else' | 'endif' | 'endfor' | 'endblock') '%}'
    private mutating func parseEndTag() throws {
        index += 2
        do { try expectTagClose() } catch { try recover(from: error) }
    }

    /// The condition of `if` or `elif`: '{%' NAME expression '%}'. A broken
    /// condition is reported and replaced by `null`.
    private mutating func parseTagExpression() throws -> Expression {
        let range = tagRange()
        index += 2
        do {
            let expression = try parseExpression()
            try expectTagClose()
            return expression
        } catch {
            try recover(from: error)
            return .literal(.null, range)
        }
    }

    private mutating func reportUnclosed(_ tag: String, end: String, at range: SourceRange) {
        errors.append(TemplateError(.unclosedTag(tag, end: end), range))
    }

    // MARK: - Expressions

    /// Expression, by precedence climbing over these rules (loosest first):
    ///
    ///     or         := and ('or' and)*
    ///     and        := not ('and' not)*
    ///     not        := 'not' not | comparison
    ///     comparison := concat (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') concat)*
    ///     concat     := additive ('~' additive)*
    ///     additive   := term (('+' | '-') term)*
    ///     term       := unary (('*' | '/' | '%') unary)*
    ///
    /// All binary operators are left-associative.
    private mutating func parseExpression(_ minimum: Int = 1) throws -> Expression {
        var left: Expression
        if minimum <= 3, case .name("not") = tokens[index].kind {
            let start = tokens[index].range.start
            index += 1
            try descend()
            let operand = try parseExpression(3)
            ascend()
            left = .not(operand, SourceRange(start, operand.range.end))
        } else {
            left = try parseUnary()
        }
        while let (op, width) = binaryOperator(), op.precedence >= minimum {
            index += width
            let right = try parseExpression(op.precedence + 1)
            left = .binary(op, left, right, left.range.joined(right.range))
        }
        return left
    }

    /// The binary operator at the current token, and how many tokens it takes.
    private func binaryOperator() -> (BinaryOperator, Int)? {
        switch tokens[index].kind {
        case .name("or"): return (.or, 1)
        case .name("and"): return (.and, 1)
        case .name("in"): return (.in, 1)
        case .name("not"):
            if case .name("in") = tokens[index + 1].kind { return (.notIn, 2) }
            return nil
        case .symbol(let symbol):
            switch symbol {
            case .equal: return (.equal, 1)
            case .notEqual: return (.notEqual, 1)
            case .less: return (.less, 1)
            case .lessOrEqual: return (.lessOrEqual, 1)
            case .greater: return (.greater, 1)
            case .greaterOrEqual: return (.greaterOrEqual, 1)
            case .tilde: return (.concatenate, 1)
            case .plus: return (.add, 1)
            case .minus: return (.subtract, 1)
            case .star: return (.multiply, 1)
            case .slash: return (.divide, 1)
            case .percent: return (.remainder, 1)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Unary: '-' unary | postfix
    private mutating func parseUnary() throws -> Expression {
        guard case .symbol(.minus) = tokens[index].kind else { return try parsePostfix() }
        let start = tokens[index].range.start
        index += 1
        try descend()
        defer { ascend() }
        let operand = try parseUnary()
        let range = SourceRange(start, operand.range.end)
        switch operand {
        case .literal(.int(let number), _): return .literal(.int(-number), range)
        case .literal(.double(let number), _): return .literal(.double(-number), range)
        default: return .negate(operand, range)
        }
    }

    /// Postfix: primary ('.' NAME | '[' expression ']' | '|' filter)*
    private mutating func parsePostfix() throws -> Expression {
        var expression = try parsePrimary()
        while true {
            switch tokens[index].kind {
            case .symbol(.dot):
                index += 1
                guard case .name(let name) = tokens[index].kind else {
                    throw unexpected("a field name after `.`")
                }
                expression = .attribute(expression, name, expression.range.joined(tokens[index].range))
                index += 1
            case .symbol(.leftBracket):
                index += 1
                try descend()
                let key = try parseExpression()
                ascend()
                guard case .symbol(.rightBracket) = tokens[index].kind else {
                    throw unexpected("`]`")
                }
                expression = .index(expression, key, expression.range.joined(tokens[index].range))
                index += 1
            case .symbol(.pipe):
                index += 1
                expression = .filter(expression, try parseFilter())
            default:
                return expression
            }
        }
    }

    /// Filter: NAME ('(' (expression (',' expression)*)? ')')?
    private mutating func parseFilter() throws -> FilterCall {
        let token = tokens[index]
        guard case .name(let name) = token.kind else {
            throw unexpected("a filter name after `|`")
        }
        guard let filter = Filter(rawValue: name) else {
            let suggestion = Suggestions.closest(to: name, in: Filter.allCases.map(\.rawValue))
            throw TemplateError(.unknownFilter(name, suggestion: suggestion), token.range)
        }
        index += 1
        var arguments: [Expression] = []
        var end = token.range.end
        if case .symbol(.leftParen) = tokens[index].kind {
            index += 1
            try descend()
            arguments = try parseList(closing: .rightParen, allowTrailingComma: false)
            ascend()
            end = tokens[index - 1].range.end
        }
        return FilterCall(filter: filter, arguments: arguments, range: SourceRange(token.range.start, end), nameRange: token.range)
    }

    /// Primary: STRING | INTEGER | DECIMAL | 'true' | 'false' | 'null' | NAME
    ///        | 'super' '(' ')' | '(' expression ')' | '[' (expression (',' expression)* ','?)? ']'
    private mutating func parsePrimary() throws -> Expression {
        let token = tokens[index]
        switch token.kind {
        case .string(let text):
            index += 1
            return .literal(.string(text), token.range)
        case .integer(let number):
            index += 1
            return .literal(.int(number), token.range)
        case .decimal(let number):
            index += 1
            return .literal(.double(number), token.range)
        case .name(let name):
            switch name {
            case "true": index += 1; return .literal(.bool(true), token.range)
            case "false": index += 1; return .literal(.bool(false), token.range)
            case "null": index += 1; return .literal(.null, token.range)
            default: break
            }
            guard !Self.keywords.contains(name) else {
                throw TemplateError(.expected("a value", found: describe(token)), token.range)
            }
            index += 1
            if case .symbol(.leftParen) = tokens[index].kind {
                return try parseCall(name, nameRange: token.range)
            }
            return .variable(name, token.range)
        case .symbol(.leftParen):
            index += 1
            try descend()
            let inner = try parseExpression()
            ascend()
            guard case .symbol(.rightParen) = tokens[index].kind else {
                throw unexpected("`)`")
            }
            index += 1
            return inner
        case .symbol(.leftBracket):
            index += 1
            try descend()
            let items = try parseList(closing: .rightBracket, allowTrailingComma: true)
            ascend()
            return .list(items, SourceRange(token.range.start, tokens[index - 1].range.end))
        default:
            throw unexpected("a value")
        }
    }

    /// Call: 'super' '(' ')' — the only function there is.
    private mutating func parseCall(_ name: String, nameRange: SourceRange) throws -> Expression {
        guard name == "super" else { throw TemplateError(.unknownFunction(name), nameRange) }
        index += 1
        guard case .symbol(.rightParen) = tokens[index].kind else {
            throw unexpected("`)`: `super()` takes no arguments")
        }
        let range = SourceRange(nameRange.start, tokens[index].range.end)
        index += 1
        guard blockDepth > 0 else { throw TemplateError(.superOutsideBlock, range) }
        return .superBlock(range)
    }

    /// List: (expression (',' expression)* ','?)? closing — the opening bracket is already read.
    private mutating func parseList(closing: Token.Symbol, allowTrailingComma: Bool) throws -> [Expression] {
        var items: [Expression] = []
        while true {
            if case .symbol(closing) = tokens[index].kind, items.isEmpty || allowTrailingComma {
                index += 1
                return items
            }
            items.append(try parseExpression())
            switch tokens[index].kind {
            case .symbol(.comma):
                index += 1
            case .symbol(closing):
                index += 1
                return items
            default:
                throw unexpected("`,` or `\(closing.rawValue)`")
            }
        }
    }

    // MARK: - Helpers

    /// A variable name (not a keyword) for `for`, `set` or `block`.
    private mutating func expectVariableName(after what: String) throws -> String {
        let token = tokens[index]
        if case .name(let name) = token.kind, !Self.keywords.contains(name) {
            index += 1
            return name
        }
        throw unexpected("a name after \(what)")
    }

    /// A template name in quotes, for `include` and `extends`.
    private mutating func expectTemplateName() throws -> (String, SourceRange) {
        let token = tokens[index]
        if case .string(let name) = token.kind {
            index += 1
            return (name, token.range)
        }
        throw unexpected("a template name in quotes, such as \"partials/card.html\"")
    }

    private mutating func expectTagClose() throws {
        let token = tokens[index]
        guard case .tagClose = token.kind else { throw unexpected("`%}`") }
        index += 1
    }

    /// Records a syntax error and skips the rest of the tag; a nesting abort goes on up.
    private mutating func recover(from error: Error) throws {
        if let error = error as? TemplateError {
            errors.append(error)
        } else if !(error is AlreadyReported) {
            throw error
        }
        while !tokens[index].isClose, tokens[index].kind != .end { index += 1 }
        if tokens[index].isClose { index += 1 }
    }

    /// Skips a whole tag from its opening `{%`.
    private mutating func skipTag() {
        index += 1
        while !tokens[index].isClose, tokens[index].kind != .end { index += 1 }
        if tokens[index].isClose { index += 1 }
    }

    /// The range of the tag starting at `index` (an opening `{%`), up to its `%}`.
    private func tagRange() -> SourceRange {
        var close = index + 1
        while !tokens[close].isClose, tokens[close].kind != .end { close += 1 }
        return SourceRange(tokens[index].range.start, tokens[close].range.end)
    }

    private mutating func descend() throws {
        depth += 1
        if depth > Self.nestingLimit {
            errors.append(TemplateError(.nestingTooDeep(limit: Self.nestingLimit), tokens[index].range))
            throw NestingAbort()
        }
    }

    private mutating func ascend() {
        depth -= 1
    }

    /// "Expected `what`" at the current token, unless the lexer has already
    /// reported a problem there.
    private func unexpected(_ what: String) -> Error {
        let token = tokens[index]
        if token.kind == .error { return AlreadyReported() }
        return TemplateError(.expected(what, found: describe(token)), token.range)
    }

    /// How a token reads in "expected …, found …".
    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return "the end of the template"
        case .text: return "text"
        default: return "`\(token.kind.display)`"
        }
    }
}
