import Diagnostics

/// The state of one `TemplateSet.render` call: the output being written, the
/// variables in scope, and the chain of includes that led here.
///
/// Variables set while rendering live in one flat list of bindings, divided
/// into scopes: one per template being rendered and one per running loop.
/// Within a scope each name has at most one binding, and later scopes sit
/// above earlier ones, so the last binding of a name is the one in force. A
/// name bound nowhere is read from the caller's context, once per render.
struct Renderer: ~Copyable {
    static let includeLimit = 64
    /// How deeply tag bodies, blocks and includes may nest in one render, all
    /// together: deep enough for any real theme, shallow enough that the
    /// stack of a worker thread never runs out.
    static let nestingLimit = 256

    private struct Binding {
        var name: Int
        /// The value, seen without counting a reference: a view of `owned`,
        /// or of the item of a running loop, which the loop's list holds.
        var view: ValueView
        /// The value when the binding holds it itself (`set`, a loop's key);
        /// null for a loop's item.
        var owned: Value
        /// Different for every value bound while rendering; 0 stands for the context.
        var stamp: Int
    }

    /// An attribute path's value kept for the rest of the render: where it is
    /// in `views`, and the stamp of the root variable's binding it was read from.
    private struct KeptPath {
        var stamp: Int
        var index: Int32
    }

    /// Where a scope's bindings start, and the loop that owns it, if any.
    private struct Scope {
        var start: Int
        var loop: LoopState?
    }

    /// What `loop.index` and the other loop fields report.
    private struct LoopState {
        var index0: Int
        var length: Int
    }

    /// A template being rendered with its extends chain: the page itself, or an include.
    private struct Unit {
        let chain: [CompiledTemplate]
        /// Which template of the chain is running now: 0 is the one named, the
        /// last one is the layout that extends nothing.
        var position: Int
        /// The `{% include %}` that started this unit, in the unit below it.
        let includedAt: SourceRange?
    }

    private let program: Program
    private let environment: RenderEnvironment
    private let context: [String: Value]
    private var output: ByteBuffer
    /// Where the output goes a piece at a time, if anywhere: whenever it
    /// holds `flushThreshold` bytes or more after a pass of a `for` loop (the
    /// only way a page grows large), it is handed on and emptied, keeping
    /// its capacity. Without a sink it all stays.
    private let sink: ((UnsafeBufferPointer<UInt8>) throws -> Void)?
    /// `Int.max` when there is no sink, and while `super()` is capturing a
    /// block's text in `output`, so that text is never handed on.
    private var flushThreshold: Int
    private var bindings: [Binding] = []
    private var scopes: [Scope] = []
    /// Context variables looked up once and kept for the rest of the render.
    private var kept: [Value] = []
    /// The values of attribute paths, each a copy of the bits of a value that
    /// something else holds, counting no reference: see `ValueView`.
    private var views: [ValueView] = []
    /// Where each context variable already looked up is in `kept`, by name number, or -1.
    private var globals: [Int32]
    /// Attribute paths already looked up, by path number (`AttributeExpr.path`).
    private var paths: [KeptPath]
    private var nextStamp = 1
    private var units: [Unit] = []
    /// The blocks being rendered, innermost last, for `super()`: the block's
    /// number and the chain position of the definition being rendered.
    private var blocks: [(number: Int, position: Int)] = []
    private var depth = 0
    /// The page `relative` makes URLs relative to.
    private let base: SitePath.Base
    /// Room for a value computed on the way to the output.
    private var scratch: [UInt8] = []
    /// `relative` URLs computed once per render, one after the other.
    private var urlBytes: [UInt8] = []
    /// Where the URL of each literal text given to `relative` is in
    /// `urlBytes`, by its number (`OutputOp.constantURL`), or nil.
    private var constantURLs: [KnownURL?]
    /// The same for attribute paths read from the context, by path number.
    private var contextURLs: [KnownURL?]

    /// A URL kept in `urlBytes`.
    private struct KnownURL {
        var range: Range<Int>
        /// Whether every byte is plain (`SitePath.Base.isPlain`): the URL is
        /// then printed as it is, wherever it is printed.
        var plain: Bool
    }

    /// - Parameters:
    ///   - capacity: how many bytes of output to make room for at first.
    ///   - sink: given, the output is handed to it whenever `flushThreshold`
    ///     bytes have gathered, and once more by `flush()` at the end.
    init(
        program: Program, environment: RenderEnvironment, context: [String: Value], capacity: Int,
        sink: ((UnsafeBufferPointer<UInt8>) throws -> Void)? = nil, flushThreshold: Int = .max
    ) {
        self.program = program
        self.environment = environment
        self.context = context
        self.output = ByteBuffer(capacity: capacity)
        self.sink = sink
        self.flushThreshold = sink == nil ? .max : max(1, flushThreshold)
        self.globals = [Int32](repeating: -1, count: program.names.count)
        self.paths = [KeptPath](repeating: KeptPath(stamp: 0, index: -1), count: program.pathCount)
        self.constantURLs = [KnownURL?](repeating: nil, count: program.constantURLCount)
        self.contextURLs = [KnownURL?](repeating: nil, count: program.pathCount)
        self.base = SitePath.Base(page: environment.currentPath, indexFile: environment.indexFile)
        bindings.reserveCapacity(16)
        scopes.reserveCapacity(8)
        kept.reserveCapacity(16)
        views.reserveCapacity(64)
        urlBytes.reserveCapacity(512)
    }

    /// The output not yet handed on, as an array.
    var bytes: [UInt8] { output.bytes }

    /// Renders a template with its extends chain.
    mutating func render(_ chain: [CompiledTemplate]) throws {
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
        openScope(loop: nil)
        defer { closeScope() }
        for position in 0..<(chain.count - 1) {
            units[top].position = position
            for case .assignment(let assignment) in chain[position].body {
                try assignment.borrow { try assign($0) }
            }
        }
        units[top].position = chain.count - 1
        try render(chain[chain.count - 1].body)
    }

    private mutating func openScope(loop: LoopState?) {
        scopes.append(Scope(start: bindings.count, loop: loop))
    }

    private mutating func closeScope() {
        let scope = scopes.removeLast()
        bindings.removeSubrange(scope.start...)
    }

    /// Binds `name` in the innermost scope to a value the binding holds,
    /// replacing its binding there if it has one.
    private mutating func bind(_ name: Int, _ value: Value) {
        let view = ValueView(bitsOf: value)
        bind(name, view: view, owned: value)
    }

    /// Binds `name` in the innermost scope to `view`, whose value something
    /// else holds for as long as the binding lasts, or to `owned`.
    private mutating func bind(_ name: Int, view: ValueView, owned: consuming Value = .null) {
        var index = bindings.count - 1
        let start = scopes[scopes.count - 1].start
        let stamp = nextStamp
        nextStamp += 1
        while index >= start {
            if bindings[index].name == name {
                bindings[index].owned = owned
                bindings[index].view = view
                bindings[index].stamp = stamp
                return
            }
            index -= 1
        }
        bindings.append(Binding(name: name, view: view, owned: owned, stamp: stamp))
    }

    // MARK: - Nodes

    /// Renders a body. Its ops copy without reference counting, and text is
    /// appended from where it is, so nothing the rendering threads share is
    /// retained on the way.
    private mutating func render(_ ops: ProgramList<Op>) throws {
        for op in ops.buffer {
            switch op {
            case .text(let node): node.borrow { $0.bytes.withUnsafeBufferPointer { output.put($0) } }
            case .output(let node): try node.borrow { try render($0) }
            case .conditional(let node): try node.borrow { try render($0) }
            case .loop(let node): try node.borrow { try render($0) }
            case .assignment(let node): try node.borrow { try assign($0) }
            case .include(let node): try node.borrow { try render($0) }
            case .block(let number): try renderBlock(number)
            }
        }
    }

    /// Hands the output gathered so far to the sink and empties it, keeping
    /// its capacity. Called between loop passes and once the render is
    /// done, never while `super()` captures a block.
    mutating func flush() throws {
        guard let sink, !output.isEmpty else { return }
        try output.withUnsafeBufferPointer { try sink($0) }
        output.removeAll()
    }

    private mutating func render(_ node: OutputOp) throws {
        if let input = node.relativeInput {
            try writeRelative(input, node)
            return
        }
        if !node.unquoted, !node.checksURL, case .attribute(let path) = node.expression, path.node.path >= 0 {
            // A kept value is printed where it is, not copied out first.
            let index = try path.borrow { try keptIndex(of: $0) }
            let view = views[index]
            if let text = view.longText {
                if text.safe { output.put(text.bytes) } else { HTML.escape(text.bytes, into: &output) }
            } else {
                view.borrow { Self.write($0, into: &output) }
            }
            return
        }
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

    /// `{{ value | relative }}`: the URL goes from the value's text into the
    /// output without becoming a string of its own, and is printed the way
    /// the `relative` filter's plain-text result would be. A URL made only of
    /// plain bytes goes straight into the output: it needs no escaping and
    /// passes the URL check.
    private mutating func writeRelative(_ input: Expr, _ node: OutputOp) throws {
        if node.constantURL >= 0 {
            if let known = constantURLs[node.constantURL] {
                writeKnownURL(known, node)
                return
            }
            guard case .constant(let constant) = input, case .string(let text) = constant.node.value else {
                preconditionFailure("a constant URL is literal text")
            }
            let known = keepURL(of: text)
            constantURLs[node.constantURL] = known
            writeKnownURL(known, node)
            return
        }
        guard case .attribute(let reference) = input, reference.node.path >= 0 else {
            try writeRelative(value: try evaluate(input), node)
            return
        }
        try reference.borrow { try writeRelative(path: $0, node) }
    }

    /// `writeRelative` of an attribute path with a number.
    private mutating func writeRelative(path: AttributeExpr, _ node: OutputOp) throws {
        // A path read from the context gives the same URL all through the render.
        let fromContext = !path.rootMayBeBound || stamp(of: path.root) == 0
        if fromContext, let known = contextURLs[path.path] {
            writeKnownURL(known, node)
            return
        }
        let index = try keptIndex(of: path)
        let view = views[index]
        if let text = view.longText {
            // Long text is read where it is kept, as `keepURL(of:)` and the
            // plain route below would read its bytes.
            if fromContext {
                let known = keepURL(of: text.bytes)
                contextURLs[path.path] = known
                writeKnownURL(known, node)
                return
            }
            if base.appendPlain(text.bytes, into: &output) { return }
        }
        let value = view.value
        switch value {
        case .string(let text), .safe(let text):
            if fromContext {
                let known = keepURL(of: text)
                contextURLs[path.path] = known
                writeKnownURL(known, node)
                return
            }
            let base = self.base
            let written = text.utf8.withContiguousStorageIfAvailable { base.appendPlain($0, into: &output) }
            if written == true { return }
        default:
            break
        }
        try writeRelative(value: value, node)
    }

    /// `relative` applied to any value, where `node` prints.
    private mutating func writeRelative(value: Value, _ node: OutputOp) throws {
        scratch.removeAll(keepingCapacity: true)
        switch value {
        case .null:
            return
        case .string(let text), .safe(let text):
            base.append(text, into: &scratch)
        case .bool, .int, .double:
            base.append(value.plainText, into: &scratch)
        case .array, .object:
            throw failure(.filterType(filter: Filter.relative.rawValue, problem: "works on text, not \(value.kindName)"), node.relativeRange)
        }
        scratch.withUnsafeBufferPointer { writeURL($0, node) }
    }

    /// Adds the URL of `text` to `urlBytes`. The URL of a plain path is plain.
    private mutating func keepURL(of text: String) -> KnownURL {
        if let known = text.utf8.withContiguousStorageIfAvailable({ keepURL(of: $0) }) { return known }
        let start = urlBytes.count
        base.append(text, into: &urlBytes)
        let range = start..<urlBytes.count
        let plain = urlBytes.withUnsafeBufferPointer { SitePath.Base.isPlain(UnsafeBufferPointer(rebasing: $0[range])) }
        return KnownURL(range: range, plain: plain)
    }

    /// `keepURL(of:)` for text given as its UTF-8 bytes.
    private mutating func keepURL(of bytes: UnsafeBufferPointer<UInt8>) -> KnownURL {
        let start = urlBytes.count
        let base = self.base
        if base.appendPlain(bytes, into: &urlBytes) {
            return KnownURL(range: start..<urlBytes.count, plain: true)
        }
        base.append(bytes, into: &urlBytes)
        let range = start..<urlBytes.count
        let plain = urlBytes.withUnsafeBufferPointer { SitePath.Base.isPlain(UnsafeBufferPointer(rebasing: $0[range])) }
        return KnownURL(range: range, plain: plain)
    }

    /// Prints a URL kept in `urlBytes`.
    private mutating func writeKnownURL(_ known: KnownURL, _ node: OutputOp) {
        urlBytes.withUnsafeBufferPointer { bytes in
            let url = UnsafeBufferPointer(rebasing: bytes[known.range])
            if known.plain {
                output.put(url)
            } else {
                writeURL(url, node)
            }
        }
    }

    /// Prints plain text that is a URL, where `node` prints.
    private mutating func writeURL(_ url: UnsafeBufferPointer<UInt8>, _ node: OutputOp) {
        let allowed = !node.checksURL || URLCheck.isAllowed(url)
        if !allowed {
            output.put(UInt8(ascii: "#"))
        } else if node.unquoted {
            HTML.escapeUnquoted(url, into: &output)
        } else {
            HTML.escape(url, into: &output)
        }
    }

    private mutating func render(_ node: ConditionalOp) throws {
        try descend(at: node.range)
        defer { depth -= 1 }
        let conditions = node.conditions
        for index in 0..<conditions.count where try condition(conditions[index]) {
            try render(node.bodies[index])
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

    private mutating func render(_ node: LoopOp) throws {
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
                throw failure(.notIterable(kind: "a list with two variables (`for key, value` needs an object)"), node.sequenceRange)
            }
            items = list
        case .object(let fields):
            let sortedFields = fields.sortedByName()
            keys = sortedFields.map(\.key)
            items = node.keyName == nil ? sortedFields.map { .string($0.key) } : sortedFields.map(\.value)
        default:
            throw failure(.notIterable(kind: sequence.kindName), node.sequenceRange)
        }
        guard !items.isEmpty else {
            if let otherwise = node.otherwise { try render(otherwise) }
            return
        }
        let variableCount = node.keyName == nil ? 1 : 2
        // The items' bindings see them where `items` holds them, so it is
        // kept until the loop's scope, with those bindings, is gone.
        defer { withExtendedLifetime(items) {} }
        openScope(loop: LoopState(index0: 0, length: items.count))
        defer { closeScope() }
        let top = scopes.count - 1
        let start = scopes[top].start
        for index0 in items.indices {
            // Each pass starts afresh: a `set` inside the body lasts one pass.
            if bindings.count - start > variableCount { bindings.removeSubrange(start...) }
            scopes[top].loop!.index0 = index0
            if let keyName = node.keyName, let keys { bind(keyName, .string(keys[index0])) }
            bind(node.valueName, view: items.withUnsafeBufferPointer { ValueView($0.baseAddress! + index0) })
            try render(node.body)
            if output.count >= flushThreshold { try flush() }
        }
    }

    private mutating func assign(_ node: AssignmentOp) throws {
        let value = try evaluate(node.value)
        bind(node.name, value)
    }

    /// Renders an included template with the current variables.
    private mutating func render(_ node: IncludeOp) throws {
        guard let target = node.target, let chain = program.chains[target] else {
            throw failure(.templateNotFound(node.name, suggestion: nil), node.nameRange)
        }
        if let cycle = includeCycle(entering: target) {
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

    /// The templates entered so far, from the first time template `number`
    /// was entered, if it was.
    private func includeCycle(entering number: Int) -> [String]? {
        var entered: [String] = []
        var found = false
        for unit in units {
            for template in unit.chain[...unit.position] {
                if template.number == number { found = true }
                if found { entered.append(template.name) }
            }
        }
        return found ? entered + [program.templates[number].name] : nil
    }

    /// Renders the most derived definition of a block: the first template of
    /// the chain that defines it.
    private mutating func renderBlock(_ number: Int) throws {
        let chain = units[units.count - 1].chain
        guard let position = chain.firstIndex(where: { $0.block(number) != nil }) else { return }
        try renderDefinition(of: number, at: position)
    }

    private mutating func renderDefinition(of number: Int, at position: Int) throws {
        let top = units.count - 1
        let block = units[top].chain[position].block(number)!
        try descend(at: block.range)
        defer { depth -= 1 }
        let saved = units[top].position
        units[top].position = position
        blocks.append((number, position))
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
        guard let parent = chain.indices.first(where: { $0 > current.position && chain[$0].block(current.number) != nil }) else {
            throw failure(.noParentBlock(chain[current.position].block(current.number)!.name), range)
        }
        // The block's text is captured in a fresh output, which is never
        // flushed: it becomes the value of `super()`.
        var rendered = ByteBuffer(capacity: 1024)
        swap(&rendered, &output)
        let threshold = flushThreshold
        flushThreshold = .max
        defer {
            swap(&rendered, &output)
            flushThreshold = threshold
        }
        try renderDefinition(of: current.number, at: parent)
        return .safe(output.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
    }

    // MARK: - Printing

    /// Prints a value: text escaped, safe HTML as it is, null as nothing.
    private mutating func write(_ value: Value) {
        Self.write(value, into: &output)
    }

    private static func write(_ value: borrowing Value, into output: inout ByteBuffer) {
        switch value {
        case .null: break
        case .string(let text): HTML.escape(text, into: &output)
        case .safe(let html): HTML.appendUTF8(html, into: &output)
        case .bool, .int, .double: HTML.appendUTF8(value.plainText, into: &output)
        case .array, .object: HTML.escape(value.plainText, into: &output)
        }
    }

    /// Prints a value at the start of a URL attribute: anything but a relative
    /// URL or an http, https, mailto or tel one becomes `#`.
    private mutating func writeURL(_ value: Value) {
        switch value {
        case .null:
            return
        case .string(let text), .safe(let text):
            guard URLCheck.isAllowed(text) else {
                output.put(UInt8(ascii: "#"))
                return
            }
        default:
            guard URLCheck.isAllowed(value.plainText) else {
                output.put(UInt8(ascii: "#"))
                return
            }
        }
        write(value)
    }

    // MARK: - Expressions

    /// The value of a variable: its innermost binding, or else the context's.
    private mutating func lookup(_ name: Int) -> Value {
        if name == program.loopName { return lookupLoop() }
        var index = bindings.count - 1
        while index >= 0 {
            if bindings[index].name == name { return bindings[index].view.value }
            index -= 1
        }
        return global(name)
    }

    /// The stamp of the binding `name` reads: 0 when it reads the context.
    private func stamp(of name: Int) -> Int {
        var index = bindings.count - 1
        while index >= 0 {
            if bindings[index].name == name { return bindings[index].stamp }
            index -= 1
        }
        return 0
    }

    /// Where the value of an attribute path is in `views`, looking it up
    /// unless it was read from the same binding before.
    ///
    /// A path's value is a part of its root variable's value, which its
    /// binding (or `kept`, for the context) holds for as long as the binding
    /// has the stamp the path was read with; a view read with another stamp
    /// is never read again, only replaced.
    private mutating func keptIndex(of node: AttributeExpr) throws -> Int {
        let stamp = node.rootMayBeBound ? stamp(of: node.root) : 0
        let known = paths[node.path]
        if known.index >= 0, known.stamp == stamp { return Int(known.index) }
        let view = try view(of: node)
        if known.index >= 0 {
            let index = Int(known.index)
            paths[node.path].stamp = stamp
            views[index] = view
            return index
        }
        paths[node.path] = KeptPath(stamp: stamp, index: Int32(views.count))
        views.append(view)
        return views.count - 1
    }

    /// A view of `base.name` for a path with a number, where the base's value is kept.
    private mutating func view(of node: AttributeExpr) throws -> ValueView {
        switch node.base {
        case .variable(let name) where name != program.loopName:
            var index = bindings.count - 1
            while index >= 0 {
                if bindings[index].name == name {
                    return bindings[index].view.borrow { Self.fieldView(node, in: $0) }
                }
                index -= 1
            }
            let kept = globalIndex(name)
            return self.kept.withUnsafeBufferPointer { Self.fieldView(node, in: $0[kept]) }
        case .global(let name):
            let kept = globalIndex(name)
            return self.kept.withUnsafeBufferPointer { Self.fieldView(node, in: $0[kept]) }
        case .attribute(let base) where base.node.path >= 0:
            let index = try base.borrow { try keptIndex(of: $0) }
            return views[index].borrow { Self.fieldView(node, in: $0) }
        default:
            preconditionFailure("a path with a number starts at a variable")
        }
    }

    /// A view of the field `node.name` of `value`, or of null.
    @inline(__always)
    private static func fieldView(_ node: AttributeExpr, in value: borrowing Value) -> ValueView {
        switch value {
        case .object(let fields):
            return fields.withValue(named: node.name, hash: node.nameHash) { ValueView($0) } ?? ValueView.null
        default:
            return ValueView.null
        }
    }

    /// `base.name`, as a value of its own. The base's value is read where it
    /// is kept when it is a variable or a kept path, rather than copied out first.
    private mutating func attribute(_ node: AttributeExpr) throws -> Value {
        switch node.base {
        case .variable(let name) where name != program.loopName:
            var index = bindings.count - 1
            while index >= 0 {
                if bindings[index].name == name {
                    return bindings[index].view.borrow { Self.field(node, in: $0) }
                }
                index -= 1
            }
            let kept = globalIndex(name)
            return self.kept.withUnsafeBufferPointer { Self.field(node, in: $0[kept]) }
        case .global(let name):
            let kept = globalIndex(name)
            return self.kept.withUnsafeBufferPointer { Self.field(node, in: $0[kept]) }
        case .attribute(let base) where base.node.path >= 0:
            let index = try base.borrow { try keptIndex(of: $0) }
            return views[index].borrow { Self.field(node, in: $0) }
        default:
            return Self.field(node, in: try evaluate(node.base))
        }
    }

    /// `value.name`: the field of an object, null for anything else. The
    /// name's hash was worked out when the template was compiled; only the
    /// matching field's value is copied: the value is borrowed, so an
    /// object read where it is kept is not copied first.
    @inline(__always)
    private static func field(_ node: AttributeExpr, in value: borrowing Value) -> Value {
        switch value {
        case .object(let fields): return fields.value(named: node.name, hash: node.nameHash) ?? .null
        default: return .null
        }
    }

    private mutating func global(_ name: Int) -> Value {
        kept[globalIndex(name)]
    }

    /// Where the context's variable `name` is in `kept`, reading it from the context the first time.
    private mutating func globalIndex(_ name: Int) -> Int {
        let index = globals[name]
        if index >= 0 { return Int(index) }
        globals[name] = Int32(kept.count)
        kept.append(context[program.names[name]] ?? .null)
        return kept.count - 1
    }

    /// `loop`: a variable of that name, or the innermost running loop, scope by scope.
    private mutating func lookupLoop() -> Value {
        let name = program.loopName
        var level = scopes.count - 1
        var end = bindings.count
        while level >= 0 {
            let scope = scopes[level]
            var index = end - 1
            while index >= scope.start {
                if bindings[index].name == name { return bindings[index].view.value }
                index -= 1
            }
            if let loop = scope.loop { return Self.loopValue(loop) }
            end = scope.start
            level -= 1
        }
        return global(name)
    }

    /// `loop.field` without building the loop object, unless a variable named `loop` hides the loop.
    private func loopField(_ field: String) -> Value? {
        let name = program.loopName
        var level = scopes.count - 1
        var end = bindings.count
        while level >= 0 {
            let scope = scopes[level]
            var index = end - 1
            while index >= scope.start {
                if bindings[index].name == name { return nil }
                index -= 1
            }
            if let loop = scope.loop { return Self.field(field, of: loop) }
            end = scope.start
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

    private mutating func evaluate(_ expression: Expr) throws -> Value {
        switch expression {
        case .constant(let node):
            return node.node.value
        case .list(let node):
            let items = node.node.items
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .variable(let name):
            return lookup(name)
        case .global(let name):
            return global(name)
        case .attribute(let node):
            return try node.borrow { node in
                guard node.path >= 0 else { return try attribute(node) }
                return views[try keptIndex(of: node)].value
            }
        case .loopField(let node):
            return try node.borrow { node in
                if let value = loopField(node.name) { return value }
                return Self.field(node, in: try evaluate(node.base))
            }
        case .index(let node):
            let node = node.node
            return Self.element(of: try evaluate(node.left), at: try evaluate(node.right))
        case .not(let node):
            return .bool(!(try condition(node.node.operand)))
        case .negate(let node):
            let node = node.node
            return try negate(try evaluate(node.operand), node.range)
        case .binary(let node):
            let node = node.node
            return try binary(node.op, node.left, node.right, node.range)
        case .textEquals(let node):
            return .bool(try node.borrow { try textEquals($0) })
        case .filter(let node):
            return try node.borrow { try filter($0) }
        case .superBlock(let range):
            return try renderSuper(at: range)
        }
    }

    /// A filter applied to its input.
    private mutating func filter(_ node: FilterExpr) throws -> Value {
        let value = try evaluate(node.input)
        var arguments: [Value]
        if let constants = node.constantArguments {
            arguments = constants
        } else {
            arguments = []
            arguments.reserveCapacity(node.arguments.count)
            for argument in node.arguments { arguments.append(try evaluate(argument)) }
        }
        do {
            return try node.filter.apply(to: value, arguments, environment: environment, at: node.nameRange)
        } catch let error as TemplateError {
            throw failure(error.reason, error.range)
        }
    }

    /// Whether an expression's value is truthy. The same as
    /// `evaluate(expression).isTruthy`, evaluating the same parts in the same
    /// order, but a kept value is looked at where it is, and `and`, `or` and
    /// `not` make no value of their own.
    private mutating func condition(_ expression: Expr) throws -> Bool {
        switch expression {
        case .attribute(let node) where node.node.path >= 0:
            return views[try node.borrow { try keptIndex(of: $0) }].borrow { $0.isTruthy }
        case .not(let node):
            return !(try condition(node.node.operand))
        case .binary(let node) where node.node.op == .and:
            let node = node.node
            return try condition(node.left) && condition(node.right)
        case .binary(let node) where node.node.op == .or:
            let node = node.node
            return try condition(node.left) || condition(node.right)
        case .textEquals(let node):
            return try node.borrow { try textEquals($0) }
        default:
            return try evaluate(expression).isTruthy
        }
    }

    /// `value == "text"` (or `!=`): only plain or safe text can equal text.
    private mutating func textEquals(_ node: TextComparison) throws -> Bool {
        let equal: Bool
        if case .attribute(let path) = node.operand, path.node.path >= 0 {
            let index = try path.borrow { try keptIndex(of: $0) }
            equal = views[index].borrow { Self.hasText($0, node.text) }
        } else {
            equal = Self.hasText(try evaluate(node.operand), node.text)
        }
        return equal != node.negated
    }

    private static func hasText(_ value: borrowing Value, _ text: String) -> Bool {
        switch value {
        case .string(let own), .safe(let own): return own == text
        default: return false
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

    private mutating func binary(_ op: BinaryOperator, _ leftExpression: Expr, _ rightExpression: Expr, _ range: SourceRange) throws -> Value {
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
        let template = unit.chain[unit.position].template
        return TemplateError(reason, range).diagnostic(in: template.file, notes: notes())
    }

    private func notes() -> [String] {
        var notes: [String] = []
        for level in units.indices.reversed() {
            let unit = units[level]
            for position in stride(from: unit.position - 1, through: 0, by: -1) {
                let child = unit.chain[position].template
                notes.append("extended by \(child.position(of: child.extends!.range.start))")
            }
            if let includedAt = unit.includedAt {
                let includer = units[level - 1]
                notes.append("included from \(includer.chain[includer.position].template.position(of: includedAt.start))")
            }
        }
        return notes
    }
}
