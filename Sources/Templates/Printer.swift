/// Prints a parsed template back as normalised template text: one space
/// inside delimiters, double-quoted strings, every binary operation in
/// parentheses so the tree's shape is visible. Comments and whitespace control
/// are gone (their effect is already in the text). Parsing the output gives
/// the same tree.
enum Printer {
    static func print(_ template: ParsedTemplate) -> String {
        var output = ""
        if let extends = template.extends { output += "{% extends \(quote(extends.name)) %}" }
        print(template.body, into: &output)
        return output
    }

    static func print(_ nodes: [Node], into output: inout String) {
        for node in nodes {
            switch node {
            case .text(let bytes, _):
                output += String(decoding: bytes, as: UTF8.self)
            case .output(let node):
                output += "{{ \(print(node.expression)) }}"
            case .conditional(let node):
                for (position, branch) in node.branches.enumerated() {
                    output += "{% \(position == 0 ? "if" : "elif") \(print(branch.condition)) %}"
                    print(branch.body, into: &output)
                }
                if let otherwise = node.otherwise {
                    output += "{% else %}"
                    print(otherwise, into: &output)
                }
                output += "{% endif %}"
            case .loop(let node):
                let names = node.keyName.map { "\($0), \(node.valueName)" } ?? node.valueName
                output += "{% for \(names) in \(print(node.sequence)) %}"
                print(node.body, into: &output)
                if let otherwise = node.otherwise {
                    output += "{% else %}"
                    print(otherwise, into: &output)
                }
                output += "{% endfor %}"
            case .assignment(let node):
                output += "{% set \(node.name) = \(print(node.value)) %}"
            case .include(let node):
                output += "{% include \(quote(node.name)) %}"
            case .block(let node):
                output += "{% block \(node.name) %}"
                print(node.body, into: &output)
                output += "{% endblock %}"
            }
        }
    }

    static func print(_ expression: Expression) -> String {
        switch expression {
        case .literal(let value, _):
            return literal(value)
        case .list(let items, _):
            return "[" + items.map(print).joined(separator: ", ") + "]"
        case .variable(let name, _):
            return name
        case .attribute(let base, let name, _):
            return "\(print(base)).\(name)"
        case .index(let base, let key, _):
            return "\(print(base))[\(print(key))]"
        case .not(let operand, _):
            return "(not \(print(operand)))"
        case .negate(let operand, _):
            return "(-\(print(operand)))"
        case .binary(let op, let left, let right, _):
            return "(\(print(left)) \(op.rawValue) \(print(right)))"
        case .filter(let input, let call):
            var text = "\(print(input)) | \(call.filter.rawValue)"
            if !call.arguments.isEmpty { text += "(" + call.arguments.map(print).joined(separator: ", ") + ")" }
            return text
        case .superBlock:
            return "super()"
        }
    }

    private static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text), .safe(let text): return quote(text)
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object: return value.plainText
        }
    }

    /// A string literal in double quotes, with `\` and `"` escaped.
    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
