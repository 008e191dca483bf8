import Diagnostics

/// A problem in a template, found while reading it (`TemplateSet.init`) or
/// while rendering it (`TemplateSet.render`).
///
/// Every problem becomes a `Diagnostic` pointing at the offending token of
/// `templates/FILE.html`. The codes, with an example of each:
///
/// Found when the templates are read (all of them are reported together):
///
/// | code | problem | example |
/// |---|---|---|
/// | T001 | a `{{`, `{%` or `{#` is never closed | `<h1>{{ title </h1>` |
/// | T002 | a string literal has no closing quote | `{{ "Garden }}` |
/// | T003 | a character that means nothing inside a tag | `{{ title @ 2 }}` |
/// | T004 | syntax error: something else was expected | `{% for in items %}` |
/// | T005 | unknown tag | `{% fi x %}` (did you mean `if`?) |
/// | T006 | unknown filter | `{{ title \| uper }}` (did you mean `upper`?) |
/// | T007 | a tag is never closed (reported at the opening tag) | `{% if x %}` without `{% endif %}` |
/// | T008 | an end tag with nothing to close | a stray `{% endfor %}` |
/// | T009 | expressions or tags nested too deeply (more than 150 levels) | `{{ ((((…)))) }}` |
/// | T010 | `extends` not first, repeated, or inside another tag | `<p>hi</p>{% extends "base.html" %}` |
/// | T011 | content outside blocks in a template that extends another | `{% extends "base.html" %}<p>lost</p>` |
/// | T012 | two blocks with the same name in one template | `{% block content %}` twice |
/// | T013 | unknown function, or `super()` outside a block | `{{ now() }}` |
/// | T014 | a number too large to use | `{{ 99999999999999999999 }}` |
/// | T015 | `extends`/`include` (or `render`) names a template that does not exist | `{% include "partials/crad.html" %}` |
/// | T016 | templates that extend each other in a circle | `a.html` extends `b.html`, which extends `a.html` |
/// | T017 | a template file that cannot be read or is not UTF-8 | |
///
/// Found while rendering (the diagnostic's notes give the include and
/// extends chain, e.g. "included from templates/base.html:30:5"):
///
/// | code | problem | example |
/// |---|---|---|
/// | T020 | templates that include each other in a circle | `a.html` includes `b.html`, which includes `a.html` |
/// | T021 | includes nested more than 64 deep | |
/// | T022 | a filter given the wrong number of arguments | `{{ text \| truncate }}` |
/// | T023 | a filter given a value or argument of the wrong kind | `{{ text \| truncate("ten") }}` |
/// | T024 | an operator used on values it does not apply to | `{{ "a" + 1 }}`, `{{ [1] < 2 }}` |
/// | T025 | division or remainder by zero | `{{ count / 0 }}` |
/// | T026 | `for` over something that is not a list or object | `{% for c in "abc" %}` |
/// | T027 | a date that cannot be read, or an unknown `date` format code | `{{ "01/05/2026" \| date }}` |
/// | T028 | `markdown` used where no Markdown renderer is available | `{{ text \| markdown }}` |
/// | T029 | a whole-number calculation that overflows | `{{ 9223372036854775807 + 1 }}` |
/// | T030 | `super()` in a block that no parent template defines | `{{ super() }}` in a block only the child has |
/// | T031 | tags, blocks and includes nested more than 256 levels deep in one render | 64 includes, each inside 5 loops |
struct TemplateError: Error, Sendable {
    enum Reason: Sendable, Equatable {
        case unclosedDelimiter(open: String, close: String)
        case unterminatedString
        case unexpectedCharacter(String)
        case expected(String, found: String)
        case unknownTag(String, suggestion: String?)
        case unknownFilter(String, suggestion: String?)
        case unclosedTag(String, end: String)
        case unexpectedEndTag(String)
        case nestingTooDeep(limit: Int)
        case misplacedExtends(String)
        case contentOutsideBlocks(parent: String)
        case duplicateBlock(String, firstLine: Int)
        case unknownFunction(String)
        case superOutsideBlock
        case numberTooLarge(String)
        case templateNotFound(String, suggestion: String?)
        case extendsCycle([String])
        case unreadableFile(String)

        case includeCycle([String])
        case includesTooDeep(limit: Int)
        case filterArgumentCount(filter: String, expected: String, got: Int)
        case filterType(filter: String, problem: String)
        case operatorType(operator: String, problem: String, help: String?)
        case divisionByZero(operator: String)
        case notIterable(kind: String)
        case invalidDate(String)
        case invalidDateFormat(String)
        case markdownUnavailable
        case overflow(operator: String)
        case noParentBlock(String)
        case renderNestingTooDeep(limit: Int)
    }

    var reason: Reason
    var range: SourceRange

    init(_ reason: Reason, _ range: SourceRange) {
        self.reason = reason
        self.range = range
    }

    /// The diagnostic for this error in `file`, with `notes` (the include chain).
    func diagnostic(in file: SourceFile, notes: [String] = []) -> Diagnostic {
        Diagnostic(
            code: reason.code, message: reason.message, file: file,
            start: range.start, end: range.end, label: reason.label, notes: notes, help: reason.help)
    }
}

extension TemplateError.Reason {
    var code: String {
        switch self {
        case .unclosedDelimiter: return "T001"
        case .unterminatedString: return "T002"
        case .unexpectedCharacter: return "T003"
        case .expected: return "T004"
        case .unknownTag: return "T005"
        case .unknownFilter: return "T006"
        case .unclosedTag: return "T007"
        case .unexpectedEndTag: return "T008"
        case .nestingTooDeep: return "T009"
        case .misplacedExtends: return "T010"
        case .contentOutsideBlocks: return "T011"
        case .duplicateBlock: return "T012"
        case .unknownFunction, .superOutsideBlock: return "T013"
        case .numberTooLarge: return "T014"
        case .templateNotFound: return "T015"
        case .extendsCycle: return "T016"
        case .unreadableFile: return "T017"
        case .includeCycle: return "T020"
        case .includesTooDeep: return "T021"
        case .filterArgumentCount: return "T022"
        case .filterType: return "T023"
        case .operatorType: return "T024"
        case .divisionByZero: return "T025"
        case .notIterable: return "T026"
        case .invalidDate, .invalidDateFormat: return "T027"
        case .markdownUnavailable: return "T028"
        case .overflow: return "T029"
        case .noParentBlock: return "T030"
        case .renderNestingTooDeep: return "T031"
        }
    }

    var message: String {
        switch self {
        case .unclosedDelimiter(let open, let close):
            return "`\(open)` is never closed with `\(close)`"
        case .unterminatedString:
            return "this string has no closing quote"
        case .unexpectedCharacter(let character):
            return "unexpected character `\(character)`"
        case .expected(let what, let found):
            return "expected \(what), found \(found)"
        case .unknownTag(let name, _):
            return "unknown tag `\(name)`"
        case .unknownFilter(let name, _):
            return "unknown filter `\(name)`"
        case .unclosedTag(let tag, let end):
            return "`\(tag)` is never closed with `{% \(end) %}`"
        case .unexpectedEndTag(let tag):
            switch tag {
            case "else": return "`{% else %}` has no `if` or `for` to belong to"
            case "elif": return "`{% elif %}` has no `if` to belong to"
            default: return "`{% \(tag) %}` has nothing to close"
            }
        case .nestingTooDeep(let limit):
            return "expressions and tags are nested more than \(limit) levels deep"
        case .misplacedExtends(let problem):
            return problem
        case .contentOutsideBlocks(let parent):
            return "this is outside every block, so it is never printed: the page is `\(parent)` with its blocks filled in"
        case .duplicateBlock(let name, _):
            return "block `\(name)` is defined twice in this template"
        case .unknownFunction(let name):
            return "unknown function `\(name)`"
        case .superOutsideBlock:
            return "`super()` can only be used inside a block"
        case .numberTooLarge(let text):
            return "the number `\(text)` is too large"
        case .templateNotFound(let name, _):
            return "there is no template `\(name)`"
        case .extendsCycle(let chain):
            return "templates extend each other in a circle: \(chain.joined(separator: " → "))"
        case .unreadableFile(let problem):
            return problem
        case .includeCycle(let chain):
            return "templates include each other in a circle: \(chain.joined(separator: " → "))"
        case .includesTooDeep(let limit):
            return "includes are nested more than \(limit) deep"
        case .filterArgumentCount(let filter, let expected, let got):
            return "`\(filter)` takes \(expected), but was given \(got)"
        case .filterType(let filter, let problem):
            return "`\(filter)` \(problem)"
        case .operatorType(_, let problem, _):
            return problem
        case .divisionByZero(let op):
            return op == "%" ? "remainder of a division by zero" : "division by zero"
        case .notIterable(let kind):
            return "`for` cannot loop over \(kind)"
        case .invalidDate(let text):
            return "`\(text)` is not a date in the form YYYY-MM-DD"
        case .invalidDateFormat(let code):
            return "unknown date format code `\(code)`"
        case .markdownUnavailable:
            return "the `markdown` filter is not available here"
        case .overflow(let op):
            return "the result of `\(op)` is too large for a whole number"
        case .noParentBlock(let name):
            return "`super()` has no parent block: no template this one extends defines block `\(name)`"
        case .renderNestingTooDeep(let limit):
            return "tags, blocks and includes are nested more than \(limit) levels deep"
        }
    }

    var label: String? {
        switch self {
        case .unknownTag(_, let suggestion?), .unknownFilter(_, let suggestion?),
             .templateNotFound(_, let suggestion?):
            return "did you mean `\(suggestion)`?"
        case .unclosedDelimiter: return "opened here"
        case .unterminatedString: return "string starts here"
        case .unclosedTag(_, let end): return "needs a matching `{% \(end) %}`"
        case .duplicateBlock(_, let line): return "first defined on line \(line)"
        default: return nil
        }
    }

    var help: String? {
        switch self {
        case .unclosedDelimiter(_, let close):
            return "add `\(close)` where the tag ends"
        case .unterminatedString:
            return "strings start and end with the same quote: \"…\" or '…'"
        case .unknownTag(_, nil):
            return "the tags are: " + Parser.tagNames.joined(separator: ", ")
        case .unknownFilter(_, nil):
            return "the filters are: " + Filter.allCases.map(\.rawValue).joined(separator: ", ")
        case .unexpectedEndTag:
            return "remove it, or add the tag it should close"
        case .misplacedExtends:
            return "put `{% extends \"…\" %}` once, at the very start of the template"
        case .contentOutsideBlocks:
            return "move it into a `{% block %}` that the parent template has, or into the parent"
        case .templateNotFound(_, nil):
            return "template names are paths inside templates/, such as \"partials/card.html\""
        case .extendsCycle, .includeCycle:
            return "break the circle: a template cannot contain itself"
        case .operatorType(_, _, let help):
            return help
        case .notIterable:
            return "loop over a list, or over an object's entries with `{% for key, value in object %}`"
        case .invalidDate:
            return "write dates as YYYY-MM-DD, for example 2026-05-01"
        case .invalidDateFormat:
            return "the codes are %Y, %m, %d, %-d, %-m, %B, %b, %A, %a and %%"
        case .markdownUnavailable:
            return "Markdown can only be rendered while building the site"
        case .includesTooDeep:
            return "check for a template that includes itself through several others"
        case .renderNestingTooDeep:
            return "flatten the templates: fewer includes inside loops and conditions inside each other"
        default:
            return nil
        }
    }
}
