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

        var assets = readAll(assetEntries, from: site, into: collector) { document, collector in
            AssetReader.read(document, context: context, collector: collector)
        }
        var stories = readAll(storyEntries, from: site, into: collector) { document, collector in
            StoryReader.read(document, context: context, collector: collector)
        }
        var pages = readAll(pageEntries, from: site, into: collector) { document, collector in
            PageReader.read(document, collector: collector)
        }

        if !includeDrafts {
            let drafts = Set(assets.filter(\.draft).map(\.slug))
            assets.removeAll(where: \.draft)
            stories.removeAll(where: \.draft)
            pages.removeAll(where: \.draft)
            // Only the assets and stories that name a draft are changed:
            // changing one copies its fields.
            if !drafts.isEmpty {
                for index in assets.indices where assets[index].connections.contains(where: { drafts.contains($0.to) }) {
                    assets[index].connections.removeAll { drafts.contains($0.to) }
                }
                for index in stories.indices where stories[index].assets.contains(where: { drafts.contains($0.slug) }) {
                    stories[index].assets.removeAll { drafts.contains($0.slug) }
                }
            }
        }
        return ContentSet(
            config: settings.config,
            assets: assets.sorted { $0.slug < $1.slug },
            stories: stories.sorted { $0.slug < $1.slug },
            pages: pages.sorted { $0.slug < $1.slug },
            mediaFiles: media)
    }

    /// Reads every entry on all cores. Each file reports into a collector of
    /// its own; those are merged in entry order, so the diagnostics and the
    /// result are the same as reading the files one after another.
    static func readAll<T: Sendable>(
        _ entries: [SiteFolder.Entry], from site: SiteFolder, into collector: Collector,
        _ read: @escaping (Document, Collector) -> T?
    ) -> [T] {
        let shared = UncheckedBox((entries: entries, site: site, read: read))
        let slots = LoadSlots<(value: T?, diagnostics: [Diagnostic])>(count: entries.count)
        LargeStack.concurrentPerform(iterations: entries.count, stackSize: YAMLReader.parserStackSize) { index in
            let (entries, site, read) = shared.value
            let local = Collector()
            let value = Document.load(entries[index], from: site.reporting(to: local), collector: local)
                .flatMap { read($0, local) }
            slots.set(index, (value, local.diagnostics))
        }
        var values: [T] = []
        for slot in slots.values {
            guard let slot else { continue }
            collector.add(contentsOf: slot.diagnostics)
            if let value = slot.value { values.append(value) }
        }
        return values
    }
}

/// A value handed to parallel workers that only read it, each working on
/// values of its own (its own `Collector`).
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Fixed-size storage that parallel workers fill, each writing only its own slot.
private final class LoadSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
