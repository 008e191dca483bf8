/// The render-ready form of a template set, built once from the parsed
/// templates by `ProgramBuilder`.
///
/// It says the same as the syntax tree, arranged for rendering: every
/// variable name is a number into the set's name table, so a variable is
/// found by comparing integers instead of hashing its name; block names and
/// include targets are numbers too; and every node with more than a trivial
/// payload is a class instance that `Op` and `Expr` refer to without
/// counting references (see `Program.nodes`), so walking a body copies
/// plain words and touches no reference count.
final class Program: Sendable {
    /// Every template of the set, by number.
    let templates: [CompiledTemplate]
    /// For each template number, the template followed by the templates it
    /// extends; nil for a template in an extends cycle.
    let chains: [[CompiledTemplate]?]
    /// The variable names, by number.
    let names: [String]
    /// The number of `loop`, which means the running loop when no variable hides it.
    let loopName: Int
    /// Template numbers by name.
    let templateNumbers: [String: Int]
    /// How many distinct attribute paths (`site.title`, `asset.type.label`)
    /// start at a variable; see `AttributeExpr.path`.
    let pathCount: Int
    /// How many distinct texts are given to `relative` as literals; see `OutputOp.constantURL`.
    let constantURLCount: Int
    /// Every node the templates' `Op`s and `Expr`s refer to. Those refer to
    /// their nodes unretained, so this list is what keeps the nodes alive:
    /// as long as the program, which every render holds.
    private let nodes: [any AnyObject & Sendable]
    /// Where the bodies and conditions live.
    private let memory: ProgramMemory

    init(
        templates: [CompiledTemplate], chains: [[CompiledTemplate]?], names: [String], loopName: Int,
        templateNumbers: [String: Int], pathCount: Int, constantURLCount: Int, nodes: [any AnyObject & Sendable],
        memory: ProgramMemory
    ) {
        self.nodes = nodes
        self.memory = memory
        self.templates = templates
        self.chains = chains
        self.names = names
        self.loopName = loopName
        self.templateNumbers = templateNumbers
        self.pathCount = pathCount
        self.constantURLCount = constantURLCount
    }
}

/// A list of `Op`s or `Expr`s in memory that the `Program` owns and frees
/// with itself. Entering a body or reading a condition then copies two
/// words instead of counting a reference to a list that every rendering
/// thread shares.
struct ProgramList<Element>: Sequence, @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>

    var count: Int { buffer.count }

    subscript(index: Int) -> Element { buffer[index] }

    func makeIterator() -> UnsafeBufferPointer<Element>.Iterator { buffer.makeIterator() }
}

/// The memory of a program's lists, written while the program is built and
/// only read after, freed when the program goes.
final class ProgramMemory: @unchecked Sendable {
    private var allocations: [UnsafeMutableRawPointer] = []

    /// A list holding `elements`, which must need no reference counting.
    func list<Element>(_ elements: [Element]) -> ProgramList<Element> {
        precondition(_isPOD(Element.self), "a program list holds plain values")
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, elements.count))
        _ = buffer.initialize(from: elements)
        allocations.append(UnsafeMutableRawPointer(buffer.baseAddress!))
        return ProgramList(buffer: UnsafeBufferPointer(rebasing: buffer[..<elements.count]))
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }
}

/// One template of a `Program`.
final class CompiledTemplate: Sendable {
    let number: Int
    let template: Template
    let body: ProgramList<Op>
    /// The template's block definitions, by block number (shared by the set).
    let blocks: [CompiledBlock?]

    init(number: Int, template: Template, body: ProgramList<Op>, blocks: [CompiledBlock?]) {
        self.number = number
        self.template = template
        self.body = body
        self.blocks = blocks
    }

    var name: String { template.name }

    func block(_ number: Int) -> CompiledBlock? {
        number < blocks.count ? blocks[number] : nil
    }
}

final class CompiledBlock: Sendable {
    let name: String
    let body: ProgramList<Op>
    /// The opening `{% block … %}`.
    let range: SourceRange

    init(name: String, body: ProgramList<Op>, range: SourceRange) {
        self.name = name
        self.body = body
        self.range = range
    }
}

/// A piece of a template body. Its nodes are held by the `Program`, so an
/// `Op` is a plain value that copies without touching a reference count.
enum Op: Sendable {
    case text(Unmanaged<TextOp>)
    case output(Unmanaged<OutputOp>)
    case conditional(Unmanaged<ConditionalOp>)
    case loop(Unmanaged<LoopOp>)
    case assignment(Unmanaged<AssignmentOp>)
    case include(Unmanaged<IncludeOp>)
    /// A block, by its number.
    case block(Int)
}

extension Unmanaged {
    /// Calls `body` with the node, which the `Program` keeps alive, without
    /// retaining it for the call.
    @inline(__always)
    func borrow<Result>(_ body: (Instance) throws -> Result) rethrows -> Result {
        try _withUnsafeGuaranteedRef(body)
    }

    /// The node, for reading a field of it.
    @inline(__always)
    var node: Instance { takeUnretainedValue() }
}

final class TextOp: Sendable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

final class OutputOp: Sendable {
    let expression: Expr
    /// For `{{ value | relative }}`, the value: the URL is then computed
    /// straight into the output instead of as a new string.
    let relativeInput: Expr?
    /// Where the `relative` filter's name is, for its errors.
    let relativeRange: SourceRange
    /// When `relativeInput` is a literal text: its number among such texts.
    /// The URL depends only on the text and the page, so one render computes it once.
    let constantURL: Int
    let checksURL: Bool
    let unquoted: Bool

    init(expression: Expr, relativeInput: Expr?, relativeRange: SourceRange, constantURL: Int, checksURL: Bool, unquoted: Bool) {
        self.expression = expression
        self.relativeInput = relativeInput
        self.relativeRange = relativeRange
        self.constantURL = constantURL
        self.checksURL = checksURL
        self.unquoted = unquoted
    }
}

final class ConditionalOp: Sendable {
    let conditions: ProgramList<Expr>
    let bodies: ProgramList<ProgramList<Op>>
    let otherwise: ProgramList<Op>?
    let range: SourceRange

    init(conditions: ProgramList<Expr>, bodies: ProgramList<ProgramList<Op>>, otherwise: ProgramList<Op>?, range: SourceRange) {
        self.conditions = conditions
        self.bodies = bodies
        self.otherwise = otherwise
        self.range = range
    }
}

final class LoopOp: Sendable {
    let keyName: Int?
    let valueName: Int
    let sequence: Expr
    let sequenceRange: SourceRange
    let body: ProgramList<Op>
    let otherwise: ProgramList<Op>?
    let range: SourceRange

    init(
        keyName: Int?, valueName: Int, sequence: Expr, sequenceRange: SourceRange, body: ProgramList<Op>, otherwise: ProgramList<Op>?,
        range: SourceRange
    ) {
        self.keyName = keyName
        self.valueName = valueName
        self.sequence = sequence
        self.sequenceRange = sequenceRange
        self.body = body
        self.otherwise = otherwise
        self.range = range
    }
}

final class AssignmentOp: Sendable {
    let name: Int
    let value: Expr

    init(name: Int, value: Expr) {
        self.name = name
        self.value = value
    }
}

final class IncludeOp: Sendable {
    let name: String
    /// The included template's number; nil when there is no such template.
    let target: Int?
    let range: SourceRange
    let nameRange: SourceRange

    init(name: String, target: Int?, range: SourceRange, nameRange: SourceRange) {
        self.name = name
        self.target = target
        self.range = range
        self.nameRange = nameRange
    }
}

/// An expression, ready to evaluate. Like `Op`, a plain value whose nodes
/// the `Program` holds.
enum Expr: Sendable {
    case constant(Unmanaged<ConstantExpr>)
    case list(Unmanaged<ListExpr>)
    /// A variable, by its number.
    case variable(Int)
    /// A variable no template of the set binds (with `for` or `set`), by
    /// its number: always the caller's context.
    case global(Int)
    case attribute(Unmanaged<AttributeExpr>)
    /// `loop.field`: read from the running loop unless a variable named `loop` hides it.
    case loopField(Unmanaged<AttributeExpr>)
    case index(Unmanaged<PairExpr>)
    case not(Unmanaged<UnaryExpr>)
    case negate(Unmanaged<UnaryExpr>)
    case binary(Unmanaged<BinaryExpr>)
    /// `value == "text"` or `value != "text"`: true when the value is plain
    /// or safe text equal to the literal, which is what `==` says of a text
    /// literal, worked out without making either side a `Value`.
    case textEquals(Unmanaged<TextComparison>)
    case filter(Unmanaged<FilterExpr>)
    case superBlock(SourceRange)
}

final class ConstantExpr: Sendable {
    let value: Value

    init(value: Value) {
        self.value = value
    }
}

final class ListExpr: Sendable {
    let items: [Expr]

    init(items: [Expr]) {
        self.items = items
    }
}

final class TextComparison: Sendable {
    let operand: Expr
    let text: String
    /// For `!=`.
    let negated: Bool

    init(operand: Expr, text: String, negated: Bool) {
        self.operand = operand
        self.text = text
        self.negated = negated
    }
}

final class AttributeExpr: Sendable {
    let base: Expr
    let name: String
    /// The variable the path starts at (`site` in `site.search.url`), or -1
    /// when the base is something else.
    let root: Int
    /// Whether some template of the set binds the root variable. When none
    /// does, the root is always the context's, and no binding is looked for.
    let rootMayBeBound: Bool
    /// The path's number, the same for every occurrence of the same path in
    /// the set, or -1. While the root variable comes from the context, the
    /// value of the path cannot change during a render, so it is looked up once.
    let path: Int
    /// `ObjectKeys.hash(name)`, worked out once.
    let nameHash: UInt32

    init(base: Expr, name: String, root: Int, rootMayBeBound: Bool, path: Int) {
        self.base = base
        self.name = name
        nameHash = ObjectKeys.hash(name)
        self.root = root
        self.rootMayBeBound = rootMayBeBound
        self.path = path
    }
}

final class PairExpr: Sendable {
    let left: Expr
    let right: Expr

    init(left: Expr, right: Expr) {
        self.left = left
        self.right = right
    }
}

final class UnaryExpr: Sendable {
    let operand: Expr
    let range: SourceRange

    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
}

final class BinaryExpr: Sendable {
    let op: BinaryOperator
    let left: Expr
    let right: Expr
    let range: SourceRange

    init(op: BinaryOperator, left: Expr, right: Expr, range: SourceRange) {
        self.op = op
        self.left = left
        self.right = right
        self.range = range
    }
}

final class FilterExpr: Sendable {
    let input: Expr
    let filter: Filter
    let arguments: [Expr]
    /// The arguments' values when every one is a literal, so no list is built for each call.
    let constantArguments: [Value]?
    let nameRange: SourceRange

    init(input: Expr, filter: Filter, arguments: [Expr], nameRange: SourceRange) {
        self.input = input
        self.filter = filter
        self.arguments = arguments
        var constants: [Value] = []
        for argument in arguments {
            guard case .constant(let constant) = argument else { break }
            constants.append(constant.node.value)
        }
        self.constantArguments = constants.count == arguments.count ? constants : nil
        self.nameRange = nameRange
    }
}

/// Turns the parsed templates of a set into a `Program`.
struct ProgramBuilder {
    private var nameNumbers: [String: Int] = [:]
    private var names: [String] = []
    private var blockNumbers: [String: Int] = [:]
    private let templateNumbers: [String: Int]
    /// The names some template binds with `for` or `set`.
    private let boundNames: Set<String>
    private var pathNumbers: [String: Int] = [:]
    private var constantURLNumbers: [String: Int] = [:]
    /// Every node made so far, for `Program.nodes`.
    private var kept: [any AnyObject & Sendable] = []
    private let memory = ProgramMemory()

    private init(templateNumbers: [String: Int], boundNames: Set<String>) {
        self.templateNumbers = templateNumbers
        self.boundNames = boundNames
    }

    /// - Parameters:
    ///   - templates: the templates, sorted by name.
    ///   - chains: each template's extends chain, by name.
    static func build(templates: [Template], chains: [String: [Template]]) -> Program {
        var numbers: [String: Int] = [:]
        for (number, template) in templates.enumerated() { numbers[template.name] = number }
        var bound: Set<String> = []
        for template in templates {
            Self.collectBoundNames(template.body, into: &bound)
            for block in template.blocks.values { Self.collectBoundNames(block.body, into: &bound) }
        }
        var builder = ProgramBuilder(templateNumbers: numbers, boundNames: bound)
        let loopName = builder.name("loop")
        // Block numbers first, so every template's block table has its final size.
        for template in templates {
            for name in template.blocks.keys.sorted() where builder.blockNumbers[name] == nil {
                builder.blockNumbers[name] = builder.blockNumbers.count
            }
        }
        var compiled: [CompiledTemplate] = []
        for (number, template) in templates.enumerated() {
            let body = builder.body(template.body)
            var blocks = [CompiledBlock?](repeating: nil, count: builder.blockNumbers.count)
            for (name, block) in template.blocks {
                blocks[builder.blockNumbers[name]!] = CompiledBlock(name: name, body: builder.body(block.body), range: block.range)
            }
            compiled.append(CompiledTemplate(number: number, template: template, body: body, blocks: blocks))
        }
        let compiledChains: [[CompiledTemplate]?] = templates.map { template in
            chains[template.name].map { chain in chain.map { compiled[numbers[$0.name]!] } }
        }
        return Program(
            templates: compiled, chains: compiledChains, names: builder.names, loopName: loopName, templateNumbers: numbers,
            pathCount: builder.pathNumbers.count, constantURLCount: builder.constantURLNumbers.count, nodes: builder.kept,
            memory: builder.memory)
    }

    /// Adds the names `for` and `set` bind anywhere in `nodes` to `names`.
    private static func collectBoundNames(_ nodes: [Node], into names: inout Set<String>) {
        for node in nodes {
            switch node {
            case .conditional(let conditional):
                for branch in conditional.branches { collectBoundNames(branch.body, into: &names) }
                if let otherwise = conditional.otherwise { collectBoundNames(otherwise, into: &names) }
            case .loop(let loop):
                names.insert(loop.valueName)
                if let keyName = loop.keyName { names.insert(keyName) }
                collectBoundNames(loop.body, into: &names)
                if let otherwise = loop.otherwise { collectBoundNames(otherwise, into: &names) }
            case .assignment(let assignment):
                names.insert(assignment.name)
            case .block(let block):
                collectBoundNames(block.body, into: &names)
            case .text, .output, .include:
                break
            }
        }
    }

    /// A node for an `Op` or `Expr` to refer to, kept for the program.
    private mutating func keep<Node: AnyObject & Sendable>(_ node: Node) -> Unmanaged<Node> {
        kept.append(node)
        return Unmanaged.passUnretained(node)
    }

    private mutating func name(_ text: String) -> Int {
        if let number = nameNumbers[text] { return number }
        let number = names.count
        names.append(text)
        nameNumbers[text] = number
        return number
    }

    /// A body, in the program's memory.
    private mutating func body(_ list: [Node]) -> ProgramList<Op> {
        memory.list(nodes(list))
    }

    private mutating func nodes(_ list: [Node]) -> [Op] {
        var ops: [Op] = []
        ops.reserveCapacity(list.count)
        // Neighbouring text (left by a comment or a dropped tag) is written at once.
        var text: [UInt8] = []
        func add(_ op: Op) {
            if !text.isEmpty {
                ops.append(.text(keep(TextOp(bytes: text))))
                text = []
            }
            ops.append(op)
        }
        for node in list {
            switch node {
            case .text(let bytes, _):
                text += bytes
            case .output(let output):
                var relativeInput: Expr?
                var relativeRange = output.range
                var constantURL = -1
                if case .filter(let input, let call) = output.expression, call.filter == .relative, call.arguments.isEmpty {
                    relativeInput = expression(input)
                    relativeRange = call.nameRange
                    if case .literal(.string(let text), _) = input {
                        if let number = constantURLNumbers[text] {
                            constantURL = number
                        } else {
                            constantURL = constantURLNumbers.count
                            constantURLNumbers[text] = constantURL
                        }
                    }
                }
                let op = OutputOp(
                    expression: expression(output.expression), relativeInput: relativeInput, relativeRange: relativeRange,
                    constantURL: constantURL, checksURL: output.checksURL, unquoted: output.unquoted)
                add(.output(keep(op)))
            case .conditional(let conditional):
                let op = ConditionalOp(
                    conditions: memory.list(conditional.branches.map { expression($0.condition) }),
                    bodies: memory.list(conditional.branches.map { body($0.body) }),
                    otherwise: conditional.otherwise.map { body($0) },
                    range: conditional.range)
                add(.conditional(keep(op)))
            case .loop(let loop):
                let op = LoopOp(
                    keyName: loop.keyName.map { name($0) }, valueName: name(loop.valueName),
                    sequence: expression(loop.sequence), sequenceRange: loop.sequence.range,
                    body: body(loop.body), otherwise: loop.otherwise.map { body($0) }, range: loop.range)
                add(.loop(keep(op)))
            case .assignment(let assignment):
                let op = AssignmentOp(name: name(assignment.name), value: expression(assignment.value))
                add(.assignment(keep(op)))
            case .include(let include):
                let op = IncludeOp(
                    name: include.name, target: templateNumbers[include.name], range: include.range, nameRange: include.nameRange)
                add(.include(keep(op)))
            case .block(let block):
                guard let number = blockNumbers[block.name] else { continue }
                add(.block(number))
            }
        }
        if !text.isEmpty { ops.append(.text(keep(TextOp(bytes: text)))) }
        return ops
    }

    private mutating func expression(_ expression: Expression) -> Expr {
        switch expression {
        case .literal(let value, _):
            return .constant(keep(ConstantExpr(value: value)))
        case .list(let items, _):
            let items = items.map { self.expression($0) }
            return .list(keep(ListExpr(items: items)))
        case .variable(let text, _):
            if text != "loop", !boundNames.contains(text) { return .global(name(text)) }
            return .variable(name(text))
        case .attribute(let base, let field, _):
            if case .variable("loop", _) = base {
                let node = AttributeExpr(base: self.expression(base), name: field, root: -1, rootMayBeBound: true, path: -1)
                return .loopField(keep(node))
            }
            var root = -1
            var rootMayBeBound = true
            var path = -1
            if let (rootName, key) = Self.pathKey(expression) {
                root = name(rootName)
                rootMayBeBound = boundNames.contains(rootName)
                if let number = pathNumbers[key] {
                    path = number
                } else {
                    path = pathNumbers.count
                    pathNumbers[key] = path
                }
            }
            let node = AttributeExpr(base: self.expression(base), name: field, root: root, rootMayBeBound: rootMayBeBound, path: path)
            return .attribute(keep(node))
        case .index(let base, let key, _):
            return .index(keep(PairExpr(left: self.expression(base), right: self.expression(key))))
        case .not(let operand, let range):
            return .not(keep(UnaryExpr(operand: self.expression(operand), range: range)))
        case .negate(let operand, let range):
            return .negate(keep(UnaryExpr(operand: self.expression(operand), range: range)))
        case .binary(let op, let left, .literal(.string(let text), _), _) where op == .equal || op == .notEqual:
            return .textEquals(keep(TextComparison(operand: self.expression(left), text: text, negated: op == .notEqual)))
        case .binary(let op, let left, let right, let range):
            return .binary(keep(BinaryExpr(op: op, left: self.expression(left), right: self.expression(right), range: range)))
        case .filter(let input, let call):
            let node = FilterExpr(
                input: self.expression(input), filter: call.filter, arguments: call.arguments.map { self.expression($0) },
                nameRange: call.nameRange)
            return .filter(keep(node))
        case .superBlock(let range):
            return .superBlock(range)
        }
    }

    /// For `name.field.field…` starting at a variable other than `loop`: the
    /// variable, and a key naming the whole path.
    private static func pathKey(_ expression: Expression) -> (String, String)? {
        switch expression {
        case .variable(let name, _):
            return name == "loop" ? nil : (name, name)
        case .attribute(let base, let field, _):
            guard let (root, key) = pathKey(base) else { return nil }
            return (root, key + "." + field)
        default:
            return nil
        }
    }
}
