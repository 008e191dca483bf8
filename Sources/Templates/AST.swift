/// The parsed form of a template. Every node and expression keeps the source
/// range it came from, so a render error can point at it.

/// An expression inside `{{ }}` or a tag.
indirect enum Expression: Sendable {
    case literal(Value, SourceRange)
    /// `[a, b]`
    case list([Expression], SourceRange)
    case variable(String, SourceRange)
    /// `base.name`; `range` covers the whole access.
    case attribute(Expression, String, SourceRange)
    /// `base[key]`
    case index(Expression, Expression, SourceRange)
    /// `not operand`
    case not(Expression, SourceRange)
    /// `-operand`
    case negate(Expression, SourceRange)
    case binary(BinaryOperator, Expression, Expression, SourceRange)
    /// `input | name(arguments)`
    case filter(Expression, FilterCall)
    /// `super()` inside a block.
    case superBlock(SourceRange)

    var range: SourceRange {
        switch self {
        case .literal(_, let range), .list(_, let range), .variable(_, let range), .attribute(_, _, let range),
             .index(_, _, let range), .not(_, let range), .negate(_, let range), .binary(_, _, _, let range),
             .superBlock(let range):
            return range
        case .filter(let input, let call):
            return input.range.joined(call.range)
        }
    }
}

enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in`, notIn = "not in"
    case concatenate = "~"
    case add = "+", subtract = "-"
    case multiply = "*", divide = "/", remainder = "%"

    /// Binding strength: higher binds tighter. `not` sits between `and` (2)
    /// and the comparisons (4).
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn: return 4
        case .concatenate: return 5
        case .add, .subtract: return 6
        case .multiply, .divide, .remainder: return 7
        }
    }
}

/// A filter applied in an expression, with its arguments.
struct FilterCall: Sendable {
    var filter: Filter
    var arguments: [Expression]
    /// The filter's name (and its argument list, when there is one).
    var range: SourceRange
    /// Just the name: render errors about the filter point here.
    var nameRange: SourceRange
}

/// A piece of a template body.
enum Node: Sendable {
    /// Literal text, stored as the bytes to write.
    case text([UInt8], SourceRange)
    /// `{{ expression }}`
    case output(Output)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    case conditional(Conditional)
    /// `{% for %}…{% else %}…{% endfor %}`
    case loop(Loop)
    /// `{% set name = value %}`
    case assignment(Assignment)
    /// `{% include "name" %}`
    case include(Include)
    /// `{% block name %}…{% endblock %}`
    case block(Block)
}

struct Output: Sendable {
    var expression: Expression
    /// Whether the value is the start of a URL attribute (`href`, `src` …) and
    /// must pass the URL check before it is printed.
    var checksURL: Bool
    /// Whether the value sits in an unquoted attribute value: white space,
    /// `=` and backticks are then written as character references too.
    var unquoted: Bool = false
    var range: SourceRange
}

struct Conditional: Sendable {
    struct Branch: Sendable {
        var condition: Expression
        var body: [Node]
        var range: SourceRange
    }

    var branches: [Branch]
    var otherwise: [Node]?
    /// The opening `{% if … %}`.
    var range: SourceRange
}

struct Loop: Sendable {
    /// The key variable of `for key, value in object`.
    var keyName: String?
    var valueName: String
    var sequence: Expression
    var body: [Node]
    var otherwise: [Node]?
    /// The opening `{% for … %}`.
    var range: SourceRange
}

struct Assignment: Sendable {
    var name: String
    var value: Expression
    var range: SourceRange
}

struct Include: Sendable {
    var name: String
    /// The whole tag.
    var range: SourceRange
    /// The quoted name.
    var nameRange: SourceRange
}

struct Block: Sendable {
    var name: String
    var body: [Node]
    /// The opening `{% block … %}`.
    var range: SourceRange
}

/// `{% extends "name" %}` at the start of a template.
struct Extends: Sendable {
    var name: String
    var range: SourceRange
    var nameRange: SourceRange
}
