import Diagnostics

/// One parsed template file. Immutable, so it can be shared by every thread
/// rendering pages.
final class Template: Sendable {
    /// The name inside the templates folder: "base.html", "partials/card.html".
    let name: String
    /// The text, with the path shown in diagnostics ("templates/base.html").
    let file: SourceFile
    let body: [Node]
    let extends: Extends?
    /// Every block defined in the template, at any depth, by name.
    let blocks: [String: Block]
    let includes: [Include]

    init(name: String, file: SourceFile, parsed: ParsedTemplate) {
        self.name = name
        self.file = file
        self.body = parsed.body
        self.extends = parsed.extends
        self.blocks = parsed.blocks
        self.includes = parsed.includes
    }

    /// `path:line:column` of an offset in this template, for notes.
    func position(of offset: Int) -> String {
        "\(file.path):\(file.location(of: offset))"
    }
}
