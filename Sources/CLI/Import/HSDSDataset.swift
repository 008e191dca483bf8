import Diagnostics
import Foundation

/// The CSV files of an Open Referral (HSDS) dataset folder.
///
/// Three layouts are read:
/// - HSDS 1.x datapackages: `organizations.csv`, `services.csv`,
///   `locations.csv`, `physical_addresses.csv`, `services_at_location.csv`,
///   `services_taxonomy.csv`, `regular_schedules.csv` …
/// - HSDS 2.x: `addresses.csv` (with `address_type`), `attributes.csv` and
///   `taxonomy_terms.csv`, `schedules.csv` with `byday`.
/// - The Ohana API layout: `addresses.csv`, a `website` column, services keyed
///   by `location_id`, `keywords` on services.
///
/// When a `datapackage.json` names the file of a resource, that file is used;
/// otherwise the usual file names are tried in turn. Only `organizations.csv`
/// is required.
struct HSDSDataset {
    enum Resource: String, CaseIterable {
        case organization, service, location, address, phone, contact, serviceAtLocation, taxonomy
        case serviceTaxonomy, schedule, language, accessibility

        /// Resource names a datapackage.json may use.
        var packageNames: [String] {
            switch self {
            case .organization: return ["organization", "organizations"]
            case .service: return ["service", "services"]
            case .location: return ["location", "locations"]
            case .address: return ["physical_address", "physical_addresses", "address", "addresses"]
            case .phone: return ["phone", "phones"]
            case .contact: return ["contact", "contacts"]
            case .serviceAtLocation: return ["service_at_location", "services_at_location", "service_at_locations"]
            case .taxonomy: return ["taxonomy", "taxonomy_term", "taxonomy_terms"]
            case .serviceTaxonomy: return ["service_taxonomy", "services_taxonomy", "attribute", "attributes"]
            case .schedule: return ["regular_schedule", "regular_schedules", "schedule", "schedules"]
            case .language: return ["language", "languages"]
            case .accessibility: return ["accessibility_for_disabilities", "accessibility"]
            }
        }

        /// File names tried when the datapackage does not name one.
        var fileNames: [String] {
            switch self {
            case .organization: return ["organizations.csv", "organization.csv"]
            case .service: return ["services.csv", "service.csv"]
            case .location: return ["locations.csv", "location.csv"]
            case .address: return ["physical_addresses.csv", "addresses.csv", "physical_address.csv", "address.csv"]
            case .phone: return ["phones.csv", "phone.csv"]
            case .contact: return ["contacts.csv", "contact.csv"]
            case .serviceAtLocation: return ["services_at_location.csv", "service_at_location.csv", "service_at_locations.csv"]
            case .taxonomy: return ["taxonomy.csv", "taxonomy_terms.csv", "taxonomies.csv"]
            case .serviceTaxonomy: return ["services_taxonomy.csv", "service_taxonomy.csv", "attributes.csv"]
            case .schedule: return ["regular_schedules.csv", "schedules.csv", "regular_schedule.csv"]
            case .language: return ["languages.csv", "language.csv"]
            case .accessibility: return ["accessibility_for_disabilities.csv", "accessibility.csv"]
            }
        }
    }

    /// The folder as the user named it, for messages.
    let displayFolder: String
    /// The datapackage title, when there is one.
    var title: String?
    private(set) var tables: [Resource: CSVTable] = [:]
    private(set) var diagnostics: [Diagnostic] = []

    subscript(resource: Resource) -> CSVTable? { tables[resource] }

    /// Reads every table the folder has.
    /// - Throws: a `Diagnostic` (K200) when the folder or its organizations.csv
    ///   cannot be read, or (K201) when a file has a quote that is never closed.
    init(folder: URL, displayFolder: String) throws {
        self.displayFolder = displayFolder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw Diagnostic(
                code: ImportCode.sourceUnreadable.rawValue, message: "`\(displayFolder)` is not a folder",
                help: "give the folder holding the Open Referral CSV files (organizations.csv, services.csv, …)")
        }
        let package = Self.readPackage(folder, displayFolder: displayFolder)
        title = package.title
        diagnostics += package.diagnostics

        for resource in Resource.allCases {
            var candidates: [String] = []
            for name in resource.packageNames { if let path = package.paths[name] { candidates.append(path) } }
            candidates += resource.fileNames
            for relative in candidates {
                let url = folder.appendingPathComponent(relative)
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                let display = Self.join(displayFolder, relative)
                do {
                    let (table, warnings) = try CSVReader.read(url, displayPath: display)
                    tables[resource] = table
                    diagnostics += warnings
                } catch let error as CSVReadError {
                    throw error.diagnostic
                }
                break
            }
        }
        guard tables[.organization] != nil else {
            throw Diagnostic(
                code: ImportCode.sourceUnreadable.rawValue,
                message: "`\(displayFolder)` has no organizations.csv",
                path: displayFolder,
                help: "kith import hsds reads an Open Referral folder with organizations.csv and, when there are any, services.csv, locations.csv and physical_addresses.csv or addresses.csv")
        }
    }

    static func join(_ folder: String, _ file: String) -> String {
        folder.isEmpty || folder == "." ? file : (folder.hasSuffix("/") ? folder + file : folder + "/" + file)
    }

    /// Resource paths and the title of `datapackage.json`, when the folder has one.
    private static func readPackage(_ folder: URL, displayFolder: String)
        -> (paths: [String: String], title: String?, diagnostics: [Diagnostic]) {
        let url = folder.appendingPathComponent("datapackage.json")
        guard let data = try? Data(contentsOf: url) else { return ([:], nil, []) }
        let display = join(displayFolder, "datapackage.json")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return ([:], nil, [Diagnostic(
                code: ImportCode.unusableValue.rawValue, severity: .warning,
                message: "`\(display)` is not valid JSON; the usual file names are used instead", path: display)])
        }
        var paths: [String: String] = [:]
        var problems: [Diagnostic] = []
        for resource in object["resources"] as? [[String: Any]] ?? [] {
            guard let name = resource["name"] as? String, let path = resource["path"] as? String else { continue }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0"), !parts.contains(".."),
                  !parts.contains(""), path.lowercased().hasSuffix(".csv") else {
                problems.append(Diagnostic(
                    code: ImportCode.unusableValue.rawValue, severity: .warning,
                    message: "the resource `\(name)` of `\(display)` names `\(path)`, which is not a CSV file inside the folder; it is ignored",
                    path: display))
                continue
            }
            paths[name.lowercased()] = path
        }
        return (paths, (object["title"] as? String).map(TextTools.collapseWhitespace), problems)
    }
}
