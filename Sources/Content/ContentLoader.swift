import Diagnostics
import Foundation

/// Loads and checks everything under `content/`.
public enum ContentLoader {
    /// Reads site.yml, every asset, story and page, and the list of media files.
    ///
    /// Every file is checked, drafts included, and every problem of every file
    /// is reported. Drafts are then left out unless `includeDrafts` is true,
    /// together with the connections and story mentions that point at them.
    ///
    /// - Parameters:
    ///   - root: the site folder (the one holding `content/`).
    ///   - includeDrafts: keep files marked `draft: true`.
    /// - Returns: the content, or nil when any error was found; and all
    ///   diagnostics (errors and warnings), sorted by file and position.
    public static func load(root: URL, includeDrafts: Bool) -> (content: ContentSet?, diagnostics: [Diagnostic]) {
        let collector = Collector()
        let content = load(root: root, includeDrafts: includeDrafts, collector: collector)
        let diagnostics = DiagnosticBag.sort(collector.diagnostics)
        return (collector.hasErrors ? nil : content, diagnostics)
    }

    static func load(root: URL, includeDrafts: Bool, collector: Collector) -> ContentSet? {
        guard let site = SiteFolder(root: root, collector: collector) else { return nil }
        let settings = SiteConfigReader.read(site, collector: collector)
        let media = site.mediaFiles()

        let assetEntries = site.documents(in: "content/assets")
        let storyEntries = site.documents(in: "content/stories")
        let pageEntries = site.documents(in: "content/pages")

        let context = SiteContext(
            config: settings.config, typesKnown: settings.typesKnown,
            assetSlugs: Set(assetEntries.filter(\.slugIsValid).map(\.slug)), mediaFiles: Set(media))

        var assets = assetEntries.compactMap { entry in
            Document.load(entry, from: site, collector: collector)
                .flatMap { AssetReader.read($0, context: context, collector: collector) }
        }
        var stories = storyEntries.compactMap { entry in
            Document.load(entry, from: site, collector: collector)
                .flatMap { StoryReader.read($0, context: context, collector: collector) }
        }
        var pages = pageEntries.compactMap { entry in
            Document.load(entry, from: site, collector: collector).flatMap { PageReader.read($0, collector: collector) }
        }

        if !includeDrafts {
            let drafts = Set(assets.filter(\.draft).map(\.slug))
            assets.removeAll(where: \.draft)
            stories.removeAll(where: \.draft)
            pages.removeAll(where: \.draft)
            for index in assets.indices {
                assets[index].connections.removeAll { drafts.contains($0.to) }
            }
            for index in stories.indices {
                stories[index].assets.removeAll { drafts.contains($0.slug) }
            }
        }
        return ContentSet(
            config: settings.config,
            assets: assets.sorted { $0.slug < $1.slug },
            stories: stories.sorted { $0.slug < $1.slug },
            pages: pages.sorted { $0.slug < $1.slug },
            mediaFiles: media)
    }
}
