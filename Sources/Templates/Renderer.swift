import Diagnostics

/// The state of one `TemplateSet.render` call: the output being written, the
/// variables in scope, and the chain of includes that led here.
///
/// Variables live in a stack of small scopes: the caller's context at the
/// bottom (never copied), then one scope per template being rendered and per
/// running loop. A lookup walks the stack from the top.
struct Renderer {
    static let includeLimit = 64
    /// How deeply tag bodies, blocks and includes may nest in one render, all
    /// together: deep enough for any real theme, shallow enough that the
    /// stack of a worker thread never runs out.
    static let nestingLimit = 256

    /// Variables set in one scope, and the loop that owns it, if any.
    private struct Scope {
        var values: [String: Value]
        var loop: LoopState?
    }

    /// What `loop.index` and the other loop fields report.
    private struct LoopState {
        var index0: Int
        var length: Int
    }

    /// A template being rendered with its extends chain: the page itself, or an include.
    private struct Unit {
        let chain: [Template]
        /// Which template of the chain is running now: 0 is the one named, the
        /// last one is the layout that extends nothing.
        var position: Int
        /// The `{% include %}` that started this unit, in the unit below it.
        let includedAt: SourceRange?
    }

    private let chains: [String: [Template]]
    private let environment: RenderEnvironment
    private var output: [UInt8] = []
    private var scopes: [Scope]
    private var units: [Unit] = []
    /// The blocks being rendered, innermost last, for `super()`: the block's
    /// name and the chain position of the definition being rendered.
    private var blocks: [(name: String, position: Int)] = []
    private var depth = 0

    init(chains: [String: [Template]], environment: RenderEnvironment, context: [String: Value], estimatedSize: Int) {
        self.chains = chains
        self.environment = environment
        self.scopes = [Scope(values: context, loop: nil)]
        output.reserveCapacity(max(4096, estimatedSize * 2))
    }

    var result: String { String(decoding: output, as: UTF8.self) }

    /// Renders a template with its extends chain.
    mutating func render(_ chain: [Template]) throws {
        units.append(Unit(chain: chain, position: 0, includedAt: nil))
        defer { units.removeLast() }
        try renderUnit()
    }

    /// Renders the unit on top of the stack in a scope of its own, so its
    /// `set`s stay inside it. A template that extends another prints nothing
    /// itself: its top-level `set`s run first (child before parent), then the
    /// layout at the end of the chain is rendered.
    private mutating func renderUnit() throws {
        let top = units.count - 1
        let chain = units[top].chain
        scopes.append(Scope(values: [:], loop: nil))
        defer { scopes.removeLast() }
        for position in 0..<(chain.count - 1) {
            units[top].position = position
            for case .assignment(let assignment) in chain[position].body {
                try assign(assignment)
            }
        }
        units[top].position = chain.count - 1
        try render(chain[chain.count - 1].body)
    }

    // MARK: - Nodes

    private mutating func render(_ nodes: [Node]) throws {
        for node in nodes {
            switch node {
            case .text(let bytes, _): output.append(contentsOf: bytes)
            case .output(let node): try render(node)
            case .conditional(let node): try render(node)
            case .loop(let node): try render(node)
            case .assignment(let node): try assign(node)
            case .include(let node): try render(node)
            case .block(let node): try renderBlock(node.name)
            }
        }
    }

    private mutating func render(_ node: Output) throws {
        let value = try evaluate(node.expression)
        if node.unquoted {
            // Even safe HTML is escaped here: the value must stay one attribute value.
            var text = value.plainText
            if case .null = value { text = "" }
            if node.checksURL, !URLCheck.isAllowed(text) { text = "#" }
            HTML.escapeUnquoted(text, into: &output)
        } else if node.checksURL {
            writeURL(value)
        } else {
            write(value)
        }
    }

    private mutating func render(_ node: Conditional) throws {
        try descend(at: node.range)
        defer { depth -= 1 }
        for branch in node.branches where try evaluate(branch.condition).isTruthy {
            try render(branch.body)
            return
        }
        if let otherwise = node.otherwise { try render(otherwise) }
    }

    /// Counts one more level of nesting, failing past `nestingLimit`.
    private mutating func descend(at range: SourceRange) throws {
        depth += 1
        if depth > Self.nestingLimit {
            depth -= 1
            throw failure(.renderNestingTooDeep(limit: Self.nestingLimit), range)
        }
    }

    private mutating func render(_ node: Loop) throws {
        try descend(at: node.range)
        defer { depth -= 1 }
        let sequence = try evaluate(node.sequence)
        var items: [Value] = []
        var keys: [String]?
        switch sequence {
        case .null:
            break
        case .array(let list):
            if node.keyName != nil {
                throw failure(.notIterable(kind: "a list with two variables (`for key, value` needs an object)"), node.sequence.range)
            }
            items = list
        case .object(let fields):
            let sortedKeys = fields.keys.sorted()
            keys = sortedKeys
            items = node.keyName == nil ? sortedKeys.map { .string($0) } : sortedKeys.map { fields[$0]! }
        default:
            throw failure(.notIterable(kind: sequence.kindName), node.sequence.range)
        }
        guard !items.isEmpty else {
            if let otherwise = node.otherwise { try render(otherwise) }
            return
        }
        let variableCount = node.keyName == nil ? 1 : 2
        scopes.append(Scope(values: Dictionary(minimumCapacity: variableCount + 2), loop: LoopState(index0: 0, length: items.count)))
        defer { scopes.removeLast() }
        let top = scopes.count - 1
        for (index0, item) in items.enumerated() {
            // Each pass starts afresh: a `set` inside the body lasts one pass.
            if scopes[top].values.count > variableCount { scopes[top].values.removeAll(keepingCapacity: true) }
            scopes[top].loop!.index0 = index0
            if let keyName = node.keyName, let keys { scopes[top].values[keyName] = .string(keys[index0]) }
            scopes[top].values[node.valueName] = item
            try render(node.body)
        }
    }

    private mutating func assign(_ node: Assignment) throws {
        let value = try evaluate(node.value)
        scopes[scopes.count - 1].values[node.name] = value
    }

    /// Renders an included template with the current variables.
    private mutating func render(_ node: Include) throws {
        guard let chain = chains[node.name] else {
            throw failure(.templateNotFound(node.name, suggestion: nil), node.nameRange)
        }
        if let cycle = includeCycle(entering: node.name) {
            throw failure(.includeCycle(cycle), node.range)
        }
        if units.count > Self.includeLimit {
            throw failure(.includesTooDeep(limit: Self.includeLimit), node.range)
        }
        try descend(at: node.range)
        units.append(Unit(chain: chain, position: 0, includedAt: node.range))
        defer {
            units.removeLast()
            depth -= 1
        }
        try renderUnit()
    }

    /// The templates entered so far, from the first time `name` was entered, if it was.
    private func includeCycle(entering name: String) -> [String]? {
        var entered: [String] = []
        var found = false
        for unit in units {
            for template in unit.chain[...unit.position] {
                if template.name == name { found = true }
                if found { entered.append(template.name) }
            }
        }
        return found ? entered + [name] : nil
    }

    /// Renders the most derived definition of a block: the first template of
    /// the chain that defines it.
    private mutating func renderBlock(_ name: String) throws {
        let chain = units[units.count - 1].chain
        guard let position = chain.firstIndex(where: { $0.blocks[name] != nil }) else { return }
        try renderDefinition(of: name, at: position)
    }

    private mutating func renderDefinition(of name: String, at position: Int) throws {
        let top = units.count - 1
        let block = units[top].chain[position].blocks[name]!
        try descend(at: block.range)
        defer { depth -= 1 }
        let saved = units[top].position
        units[top].position = position
        blocks.append((name, position))
        defer {
            units[top].position = saved
            blocks.removeLast()
        }
        try render(block.body)
    }

    /// `super()`: the next definition of the current block up the chain, as safe HTML.
    private mutating func renderSuper(at range: SourceRange) throws -> Value {
        guard let current = blocks.last else { throw failure(.superOutsideBlock, range) }
        let chain = units[units.count - 1].chain
        guard let parent = chain.indices.first(where: { $0 > current.position && chain[$0].blocks[current.name] != nil }) else {
            throw failure(.noParentBlock(current.name), range)
        }
        var rendered: [UInt8] = []
        swap(&rendered, &output)
        defer { swap(&rendered, &output) }
        try renderDefinition(of: current.name, at: parent)
        return .safe(String(decoding: output, as: UTF8.self))
    }

    // MARK: - Printing

    /// Prints a value: text escaped, safe HTML as it is, null as nothing.
    private mutating func write(_ value: Value) {
        switch value {
        case .null: break
        case .string(let text): HTML.escape(text, into: &output)
        case .safe(let html): output.append(contentsOf: html.utf8)
        case .bool, .int, .double: output.append(contentsOf: value.plainText.utf8)
        case .array, .object: HTML.escape(value.plainText, into: &output)
        }
    }

    /// Prints a value at the start of a URL attribute: anything but a relative
    /// URL or an http, https, mailto or tel one becomes `#`.
    private mutating func writeURL(_ value: Value) {
        if case .null = value { return }
        let text = value.plainText
        guard URLCheck.isAllowed(text) else {
            output.append(UInt8(ascii: "#"))
            return
        }
        write(value)
    }

    // MARK: - Expressions

    private func lookup(_ name: String) -> Value {
        var level = scopes.count - 1
        while level >= 0 {
            if !scopes[level].values.isEmpty, let value = scopes[level].values[name] { return value }
            if name == "loop", let loop = scopes[level].loop { return Self.loopValue(loop) }
            level -= 1
        }
        return .null
    }

    /// `loop.field` without building the loop object, unless a variable named `loop` hides the loop.
    private func loopField(_ field: String) -> Value? {
        var level = scopes.count - 1
        while level >= 0 {
            if !scopes[level].values.isEmpty, scopes[level].values["loop"] != nil { return nil }
            if let loop = scopes[level].loop { return Self.field(field, of: loop) }
            level -= 1
        }
        return nil
    }

    private static func field(_ field: String, of loop: LoopState) -> Value {
        switch field {
        case "index": return .int(loop.index0 + 1)
        case "index0": return .int(loop.index0)
        case "first": return .bool(loop.index0 == 0)
        case "last": return .bool(loop.index0 == loop.length - 1)
        case "length": return .int(loop.length)
        default: return .null
        }
    }

    private static func loopValue(_ loop: LoopState) -> Value {
        .object([
            "index": field("index", of: loop), "index0": field("index0", of: loop), "first": field("first", of: loop),
            "last": field("last", of: loop), "length": field("length", of: loop),
        ])
    }

    private mutating func evaluate(_ expression: Expression) throws -> Value {
        switch expression {
        case .literal(let value, _):
            return value
        case .list(let items, _):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .variable(let name, _):
            return lookup(name)
        case .attribute(let base, let name, _):
            if case .variable("loop", _) = base, let value = loopField(name) { return value }
            if case .object(let fields) = try evaluate(base) { return fields[name] ?? .null }
            return .null
        case .index(let base, let key, _):
            return Self.element(of: try evaluate(base), at: try evaluate(key))
        case .not(let operand, _):
            return .bool(!(try evaluate(operand).isTruthy))
        case .negate(let operand, let range):
            return try negate(try evaluate(operand), range)
        case .binary(let op, let left, let right, let range):
            return try binary(op, left, right, range)
        case .filter(let input, let call):
            let value = try evaluate(input)
            var arguments: [Value] = []
            arguments.reserveCapacity(call.arguments.count)
            for argument in call.arguments { arguments.append(try evaluate(argument)) }
            do {
                return try call.filter.apply(to: value, arguments, environment: environment, at: call.nameRange)
            } catch let error as TemplateError {
                throw failure(error.reason, error.range)
            }
        case .superBlock(let range):
            return try renderSuper(at: range)
        }
    }

    /// `base[key]`: list items by position (negative counts from the end),
    /// object fields by name, characters of text; null when there is none.
    private static func element(of base: Value, at key: Value) -> Value {
        switch (base, key) {
        case (.array(let items), _):
            guard var position = wholeNumber(key) else { return .null }
            if position < 0 { position += items.count }
            return items.indices.contains(position) ? items[position] : .null
        case (.object(let fields), .string(let name)), (.object(let fields), .safe(let name)):
            return fields[name] ?? .null
        case (.string(let text), _), (.safe(let text), _):
            guard var position = wholeNumber(key) else { return .null }
            let characters = Array(text)
            if position < 0 { position += characters.count }
            return characters.indices.contains(position) ? .string(String(characters[position])) : .null
        default:
            return .null
        }
    }

    private static func wholeNumber(_ value: Value) -> Int? {
        switch value {
        case .int(let number): return number
        case .double(let number) where number == number.rounded() && abs(number) < 1e15: return Int(number)
        default: return nil
        }
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression, _ range: SourceRange) throws -> Value {
        let left = try evaluate(leftExpression)
        switch op {
        case .and: return left.isTruthy ? try evaluate(rightExpression) : left
        case .or: return left.isTruthy ? left : try evaluate(rightExpression)
        default: break
        }
        let right = try evaluate(rightExpression)
        switch op {
        case .and, .or:
            fatalError("handled above")
        case .equal:
            return .bool(left.looselyEquals(right))
        case .notEqual:
            return .bool(!left.looselyEquals(right))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .bool(try compare(op, left, right, range))
        case .in, .notIn:
            let found = try contains(right, left, op, range)
            return .bool(op == .in ? found : !found)
        case .concatenate:
            if left.isSafe || right.isSafe {
                let leftHTML = left.isSafe ? left.plainText : HTML.escaped(left.plainText)
                let rightHTML = right.isSafe ? right.plainText : HTML.escaped(right.plainText)
                return .safe(leftHTML + rightHTML)
            }
            return .string(left.plainText + right.plainText)
        case .add, .subtract, .multiply, .divide, .remainder:
            return try arithmetic(op, left, right, range)
        }
    }

    /// `<`, `<=`, `>`, `>=`: numbers by value, text by text. A missing value
    /// (null) on either side makes the comparison false.
    private func compare(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange) throws -> Bool {
        if case .null = left { return false }
        if case .null = right { return false }
        let ordering: Int
        if case .int(let a) = left, case .int(let b) = right {
            ordering = a < b ? -1 : (a == b ? 0 : 1)
        } else if let a = Self.number(left), let b = Self.number(right) {
            ordering = a < b ? -1 : (a == b ? 0 : 1)
        } else if let a = left.textValue, let b = right.textValue {
            ordering = a < b ? -1 : (a == b ? 0 : 1)
        } else {
            throw failure(.operatorType(
                operator: op.rawValue, problem: "cannot compare \(left.kindName) with \(right.kindName) using `\(op.rawValue)`",
                help: "`<`, `<=`, `>` and `>=` compare two numbers or two texts"), range)
        }
        switch op {
        case .less: return ordering < 0
        case .lessOrEqual: return ordering <= 0
        case .greater: return ordering > 0
        default: return ordering >= 0
        }
    }

    /// `needle in haystack`: an item of a list, a part of a text, a key of an object.
    private func contains(_ haystack: Value, _ needle: Value, _ op: BinaryOperator, _ range: SourceRange) throws -> Bool {
        switch haystack {
        case .null:
            return false
        case .array(let items):
            return items.contains { $0.looselyEquals(needle) }
        case .string(let text), .safe(let text):
            guard let part = needle.textValue else {
                if case .null = needle { return false }
                throw failure(.operatorType(
                    operator: op.rawValue, problem: "`\(op.rawValue)` on text looks for text, not \(needle.kindName)", help: nil), range)
            }
            return part.isEmpty || text.contains(part)
        case .object(let fields):
            guard let key = needle.textValue else { return false }
            return fields[key] != nil
        default:
            throw failure(.operatorType(
                operator: op.rawValue, problem: "`\(op.rawValue)` needs a list, text or object on its right, not \(haystack.kindName)",
                help: nil), range)
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange) throws -> Value {
        if op == .add, case .array(let a) = left, case .array(let b) = right { return .array(a + b) }
        if case .int(let a) = left, case .int(let b) = right {
            let result: (partialValue: Int, overflow: Bool)
            switch op {
            case .add: result = a.addingReportingOverflow(b)
            case .subtract: result = a.subtractingReportingOverflow(b)
            case .multiply: result = a.multipliedReportingOverflow(by: b)
            case .divide:
                guard b != 0 else { throw failure(.divisionByZero(operator: op.rawValue), range) }
                if a % b != 0 { return .double(Double(a) / Double(b)) }
                result = a.dividedReportingOverflow(by: b)
            default:
                guard b != 0 else { throw failure(.divisionByZero(operator: op.rawValue), range) }
                result = a.remainderReportingOverflow(dividingBy: b)
            }
            if result.overflow { throw failure(.overflow(operator: op.rawValue), range) }
            return .int(result.partialValue)
        }
        guard let a = Self.number(left), let b = Self.number(right) else {
            var help: String?
            if op == .add, left.textValue != nil || right.textValue != nil { help = "to join text, use `~`: {{ a ~ b }}" }
            if case .null = left { help = "the value on the left is missing (null)" }
            if case .null = right { help = "the value on the right is missing (null)" }
            throw failure(.operatorType(
                operator: op.rawValue, problem: "cannot use `\(op.rawValue)` on \(left.kindName) and \(right.kindName)", help: help), range)
        }
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw failure(.divisionByZero(operator: op.rawValue), range) }
            return .double(a / b)
        default:
            guard b != 0 else { throw failure(.divisionByZero(operator: op.rawValue), range) }
            return .double(a.truncatingRemainder(dividingBy: b))
        }
    }

    private func negate(_ value: Value, _ range: SourceRange) throws -> Value {
        switch value {
        case .int(let number):
            let (result, overflow) = Int(0).subtractingReportingOverflow(number)
            if overflow { throw failure(.overflow(operator: "-"), range) }
            return .int(result)
        case .double(let number):
            return .double(-number)
        default:
            throw failure(.operatorType(operator: "-", problem: "cannot use `-` on \(value.kindName)", help: nil), range)
        }
    }

    // MARK: - Errors

    /// A render error at `range` of the template running now, with notes
    /// saying how it was reached, innermost first.
    private func failure(_ reason: TemplateError.Reason, _ range: SourceRange) -> Diagnostic {
        let unit = units[units.count - 1]
        let template = unit.chain[unit.position]
        return TemplateError(reason, range).diagnostic(in: template.file, notes: notes())
    }

    private func notes() -> [String] {
        var notes: [String] = []
        for level in units.indices.reversed() {
            let unit = units[level]
            for position in stride(from: unit.position - 1, through: 0, by: -1) {
                let child = unit.chain[position]
                notes.append("extended by \(child.position(of: child.extends!.range.start))")
            }
            if let includedAt = unit.includedAt {
                let includer = units[level - 1]
                notes.append("included from \(includer.chain[includer.position].position(of: includedAt.start))")
            }
        }
        return notes
    }
}
