import Diagnostics

extension FrontMatter {
    /// Which YAML reader `fieldNames(in:path:reading:)` uses.
    public enum YAMLReading: Sendable {
        /// The quick reader for the plain YAML it knows, Yams for the rest: what loading a site does.
        case automatic
        /// Yams for every document.
        case yamsOnly
    }

    /// Splits one content file and reads its front matter as loading a site
    /// does, without checking the fields; for measuring the readers on their own.
    /// - Returns: the names of the top-level fields (none when the front matter
    ///   is empty or not a group of fields) and the problems found while
    ///   reading the YAML; nil when the file has no front matter at all.
    public static func fieldNames(in text: String, path: String = "content/assets/file.md",
                                  reading: YAMLReading = .automatic) -> (names: [String], diagnostics: [Diagnostic])? {
        guard case .success(let parts) = split(text) else { return nil }
        let file = SourceFile(path: path, text: text)
        let parsed = YAMLReader.parse(parts.yaml, at: parts.yamlStartOffset, in: file, what: "the front matter",
                                      quickly: reading == .automatic)
        return (parsed.node?.map?.map(\.key) ?? [], parsed.diagnostics)
    }
}
