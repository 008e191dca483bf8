import Content
import Diagnostics
import Foundation

/// What `kith import` did, file by file.
struct ImportReport: Sendable {
    /// Site-relative paths (`content/assets/x.md`) of new profiles.
    var created: [String] = []
    /// Profiles written again because the data changed (or `--force`).
    var updated: [String] = []
    /// Profiles whose file already holds exactly what the import would write.
    var unchanged: [String] = []
    /// Profiles not written: edited or deleted by hand, or not written by an import.
    var skipped: [String] = []
    /// Problems in the data, skipped files, and problems the content check found in imported files.
    var diagnostics: [Diagnostic] = []
    var milliseconds = 0

    var written: Int { created.count + updated.count }

    /// The closing line: counts of what was written, left alone, skipped and reported.
    var summary: String {
        let problems = diagnostics.count
        return "\(written) profile\(written == 1 ? "" : "s") written (\(created.count) new, \(updated.count) updated), "
            + "\(unchanged.count) unchanged, \(skipped.count) skipped, "
            + "\(problems) problem\(problems == 1 ? "" : "s") reported in \(milliseconds) ms"
    }
}

/// The import record `content/.kith-import.json`: for every profile an import
/// wrote, where its data came from and the SHA-256 of the bytes written.
///
/// A profile whose bytes no longer match was edited by hand and is not
/// overwritten without `--force`; a recorded profile that is gone was
/// deleted by hand and is not written again; a profile file that is not in
/// the record was written by a person and is never replaced without `--force`.
/// The record also keeps each record's file name stable across imports.
struct ImportRecord: Codable, Equatable, Sendable {
    struct Entry: Codable, Equatable, Sendable {
        /// `hsds` or `csv`.
        var source: String
        /// The record's key within its source (`hsds:<organization id>`).
        var key: String
        var sha256: String
    }

    var version = 1
    /// By site-relative path.
    var files: [String: Entry] = [:]

    static let path = "content/.kith-import.json"

    /// Sorted keys and a final newline, so the same record is always the same bytes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

/// Writes the profiles of an import into `content/assets/`.
struct ImportWriter {
    /// The site folder.
    let root: URL
    /// Overwrite profiles edited by hand, and write again those deleted by hand.
    let force: Bool

    /// Gives every profile a file name, decides which files may be written,
    /// writes those whose text changed, updates the import record and checks
    /// the written profiles with the content loader.
    /// - Throws: a `Diagnostic` (K213) when a file cannot be written.
    func write(_ batch: ImportBatch) throws -> ImportReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = ImportReport()
        report.diagnostics = batch.diagnostics

        let recordURL = root.appendingPathComponent(ImportRecord.path)
        var record = ImportRecord()
        if let data = try? Data(contentsOf: recordURL) {
            if let decoded = try? JSONDecoder().decode(ImportRecord.self, from: data) {
                record = decoded
            } else {
                report.diagnostics.append(Diagnostic(
                    code: ImportCode.badRecord.rawValue, severity: .warning,
                    message: "`\(ImportRecord.path)` cannot be read; every existing profile counts as edited by hand",
                    path: ImportRecord.path,
                    help: "restore the file from version control, or run the import with --force to write every profile again"))
            }
        }

        let profiles = Self.uniqueKeys(batch.profiles, source: batch.source)
        let slugs = allocateSlugs(profiles, record: record)

        // Which files may be written.
        enum Plan { case write(existing: Data?), skip }
        var plans: [String: Plan] = [:]
        var present: [String: String] = [:]
        for profile in profiles {
            let slug = slugs[profile.key]!
            let path = "content/assets/\(slug).md"
            let url = root.appendingPathComponent(path)
            let entry = record.files[path]
            if Self.isSymbolicLink(url) {
                report.skipped.append(path)
                report.diagnostics.append(Diagnostic(
                    code: ImportCode.notImported.rawValue, severity: .warning,
                    message: "`\(path)` is a symbolic link; Kith never writes through links, so `\(profile.title)` is not written",
                    path: path, help: "replace the link with a file, or remove it and import again"))
                plans[profile.key] = .skip
                present[profile.key] = slug
                continue
            }
            guard let existing = FileManager.default.contents(atPath: url.path) else {
                if entry != nil && !force {
                    report.skipped.append(path)
                    report.diagnostics.append(Diagnostic(
                        code: ImportCode.deletedByHand.rawValue, severity: .warning,
                        message: "`\(path)` was deleted since it was imported; it is not written again", path: path,
                        help: "run the import with --force to bring it back"))
                    plans[profile.key] = .skip
                } else {
                    plans[profile.key] = .write(existing: nil)
                    present[profile.key] = slug
                }
                continue
            }
            present[profile.key] = slug
            if let entry, entry.sha256 == SHA256.hex(existing) {
                plans[profile.key] = .write(existing: existing)
            } else if force {
                plans[profile.key] = .write(existing: existing)
            } else {
                report.skipped.append(path)
                let edited = entry != nil
                report.diagnostics.append(Diagnostic(
                    code: (edited ? ImportCode.editedByHand : ImportCode.notImported).rawValue, severity: .warning,
                    message: edited
                        ? "`\(path)` was edited since it was imported; it is kept as it is"
                        : "`\(path)` already exists and was not written by an import; it is kept as it is",
                    path: path,
                    help: edited
                        ? "copy any new details from the data by hand, or run the import with --force to replace your edits"
                        : "if it is the same asset, merge the details by hand; run the import with --force to replace the file"))
                plans[profile.key] = .skip
            }
        }

        let folder = root.appendingPathComponent("content/assets", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic(code: ImportCode.writeFailed.rawValue, message: "cannot create `content/assets`: \(error.localizedDescription)")
        }
        var imported: [String] = []
        for profile in profiles {
            guard case .write(let existing)? = plans[profile.key] else { continue }
            let path = "content/assets/\(slugs[profile.key]!).md"
            let bytes = Data(profile.render(slugs: present).utf8)
            imported.append(path)
            record.files[path] = ImportRecord.Entry(source: batch.source, key: profile.key, sha256: SHA256.hex(bytes))
            if existing == bytes {
                report.unchanged.append(path)
                continue
            }
            try Self.write(bytes, to: root.appendingPathComponent(path), display: path)
            if existing == nil { report.created.append(path) } else { report.updated.append(path) }
        }

        let recordBytes = try record.encoded()
        if FileManager.default.contents(atPath: recordURL.path) != recordBytes {
            try Self.write(recordBytes, to: recordURL, display: ImportRecord.path)
        }

        report.diagnostics += check(imported)
        let elapsed = clock.now - started
        report.milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return report
    }

    /// File names: the one an earlier import gave the same record, else the
    /// preferred slug, numbered (`-2`, `-3`) in data order when taken by
    /// another profile of this import or by another record of an earlier one.
    private func allocateSlugs(_ profiles: [ImportedProfile], record: ImportRecord) -> [String: String] {
        var recorded: [String: String] = [:]
        var owner: [String: String] = [:]
        for (path, entry) in record.files.sorted(by: { $0.key < $1.key }) {
            guard path.hasPrefix("content/assets/"), path.hasSuffix(".md") else { continue }
            let slug = String(path.dropFirst("content/assets/".count).dropLast(3))
            guard Slug.isValid(slug) else { continue }
            if recorded[entry.key] == nil { recorded[entry.key] = slug }
            owner[slug] = entry.key
        }
        var claimed: [String: String] = [:]
        var slugs: [String: String] = [:]
        for profile in profiles {
            if let slug = recorded[profile.key], claimed[slug] == nil {
                claimed[slug] = profile.key
                slugs[profile.key] = slug
            }
        }
        for profile in profiles where slugs[profile.key] == nil {
            let base = profile.preferredSlug.isEmpty ? "asset" : profile.preferredSlug
            var candidate = base
            var number = 2
            while claimed[candidate] != nil || (owner[candidate].map { $0 != profile.key } ?? false) {
                candidate = "\(base)-\(number)"
                number += 1
            }
            claimed[candidate] = profile.key
            slugs[profile.key] = candidate
        }
        return slugs
    }

    /// Keys made unique in data order: a repeated key gets `#2`, `#3`.
    static func uniqueKeys(_ profiles: [ImportedProfile], source: String) -> [ImportedProfile] {
        var seen: [String: Int] = [:]
        return profiles.map { profile in
            var copy = profile
            let count = (seen[profile.key] ?? 0) + 1
            seen[profile.key] = count
            if count > 1 { copy.key += "#\(count)" }
            return copy
        }
    }

    /// Problems the content loader finds in the imported profiles (none are
    /// expected; this keeps a broken import from going unnoticed). Skipped
    /// when the site has no content/site.yml yet.
    private func check(_ paths: [String]) -> [Diagnostic] {
        guard !paths.isEmpty,
              FileManager.default.fileExists(atPath: root.appendingPathComponent("content/site.yml").path) else { return [] }
        let wanted = Set(paths)
        return ContentLoader.load(root: root, includeDrafts: true).diagnostics.filter { wanted.contains($0.path ?? "") }
    }

    private static func isSymbolicLink(_ url: URL) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil
    }

    /// Writes through a temporary file and a rename, so a reader never sees half a file.
    private static func write(_ data: Data, to url: URL, display: String) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw Diagnostic(code: ImportCode.writeFailed.rawValue, message: "cannot write `\(display)`: \(error.localizedDescription)",
                             path: display)
        }
    }
}
