/// What a render needs to know besides the variables: where the page being
/// rendered lives, and how to render Markdown.
public struct RenderEnvironment: Sendable {
    /// The site path of the page being rendered: `""` (home), `"assets/garden/"`, `"404.html"`.
    /// The `relative` filter computes URLs from its folder.
    public var currentPath: String
    /// Appended by `relative` to folder paths (ending in "/") and to `""`, so the
    /// site also works opened from disk; nil leaves folder URLs as they are.
    public var indexFile: String?
    /// Used by the `markdown` filter; its output is safe HTML.
    public var markdown: (@Sendable (String) -> String)?

    public init(currentPath: String = "", indexFile: String? = "index.html", markdown: (@Sendable (String) -> String)? = nil) {
        self.currentPath = currentPath
        self.indexFile = indexFile
        self.markdown = markdown
    }
}
