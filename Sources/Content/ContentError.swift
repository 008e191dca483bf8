import Diagnostics

/// The diagnostic codes of the content module. Codes are stable: a code is
/// never reused for another meaning. Template codes (`T…`) live elsewhere.
///
/// | code | severity | meaning | example |
/// |---|---|---|---|
/// | K001 | error | a file or folder cannot be read, or is not a regular file | `content/assets/garden.md` is a pipe |
/// | K002 | error | a file is larger than the size limit (10 MB) | a 40 MB video saved as `garden.md` |
/// | K003 | error | a file is not valid UTF-8 text | a profile saved as Latin-1 from an old editor |
/// | K004 | error | a symbolic link leads outside the site folder, or to nothing | `content/assets/x.md -> /etc/passwd` |
/// | K005 | error | a file name is not a valid slug | `Garden Club.md` (should be `garden-club.md`) |
/// | K006 | warning | a file or folder in a content folder is ignored | `content/assets/garden.markdown`, `content/assets/old/` |
/// | K007 | error | `content/site.yml` is missing | a site with only `content/assets/` |
/// | K008 | error | a content file is empty | `content/pages/about.md` with no text |
/// | K009 | error | a content file does not start with front matter | first line `title: Garden` instead of `---` |
/// | K010 | error | front matter is opened but never closed | `---` on line 1 and no second `---` |
/// | K011 | error | front matter or site.yml is not valid YAML | `summary: Open: Tuesdays` (a second `: ` in a value) |
/// | K012 | error | a connection or story names an asset that does not exist | `- to: nrthside-library` |
/// | K013 | error | front matter or site.yml is not a list of `name: value` fields | front matter that is just `- a` |
/// | K014 | error | a YAML alias (`*name` naming an `&name` anchor) is used; aliases are refused unparsed | `needs: &n [a van]` then `gifts: *n` |
/// | K015 | error | YAML is too large or nested too deeply to read safely | 200,000 list items in front matter |
/// | K016 | error | a field is given twice, or under two spellings | `title:` on line 2 and again on line 7 |
/// | K017 | error | a field name is not plain text | `[a, b]: c` |
/// | K020 | error | a required field is missing | a profile without `summary:` |
/// | K021 | error | a required field is empty | `title:` with nothing after it |
/// | K022 | error | a field has the wrong kind of value | `tags: food` (must be a list) |
/// | K023 | error | a number is out of range | `geo: {lat: 153.2, lon: -1.5}` |
/// | K024 | error | an asset type is not known | `type: asociation` |
/// | K025 | error | a summary is longer than 200 characters | a summary of three sentences |
/// | K026 | error | a date is not a real date written YYYY-MM-DD | `updated: 2026-02-30`, `date: 14/03/2026` |
/// | K027 | error | a value is not one of the allowed words | `status: closing` |
/// | K028 | warning | a field name is not known (often a misspelling) | `sumary: …` |
/// | K030 | error | a connection entry is malformed (no `to`, not a group of fields) | `- kind: hosts` |
/// | K031 | error | a referenced asset is not written as a slug | `- to: Northside Library` |
/// | K032 | warning | an asset lists a connection to itself | `garden.md` with `- to: garden` |
/// | K033 | warning | the same asset is listed twice | `- to: library` on two entries |
/// | K034 | warning | an item of a list is empty, so it is left out | a `-` line with nothing after it, `tags: [food, ""]` |
/// | K040 | error | an image is missing its file (`src`) or its alt text (`alt`) | `image: {src: media/garden.jpg}` |
/// | K041 | error | an image path is not a file under `media/` | `src: ../secret.jpg`, `src: https://…` |
/// | K042 | error | an image file does not exist in `content/media/` | `src: media/garden.jpeg` when the file is `garden.jpg` |
/// | K043 | warning | `public_contact` is given for an asset that is not an individual | `public_contact: true` on an association |
/// | K044 | warning | an area is not one of the areas listed in site.yml (it still gets its page) | `area: Brok Street` |
/// | K050 | error | an entry of site.yml `types:` is malformed | a new type without `label`, `colour: blue` |
/// | K051 | error | an entry of site.yml `areas:` is malformed | two areas named `Canal End` |
/// | K052 | error | a site setting has an unusable value | `base_url: example.org`, `edit_url` without `{path}` |
enum ContentCode: String, CaseIterable, Sendable {
    case unreadable = "K001"
    case tooLarge = "K002"
    case invalidUTF8 = "K003"
    case symlinkOutside = "K004"
    case invalidSlug = "K005"
    case ignoredFile = "K006"
    case missingSiteConfig = "K007"
    case emptyFile = "K008"
    case missingFrontMatter = "K009"
    case unclosedFrontMatter = "K010"
    case yamlSyntax = "K011"
    case unknownAsset = "K012"
    case notAMapping = "K013"
    case aliasRefused = "K014"
    case yamlTooLarge = "K015"
    case duplicateField = "K016"
    case fieldNameNotText = "K017"
    case missingField = "K020"
    case emptyField = "K021"
    case wrongType = "K022"
    case outOfRange = "K023"
    case unknownType = "K024"
    case summaryTooLong = "K025"
    case invalidDate = "K026"
    case notAChoice = "K027"
    case unknownField = "K028"
    case malformedConnection = "K030"
    case referenceNotSlug = "K031"
    case selfConnection = "K032"
    case duplicateReference = "K033"
    case emptyListItem = "K034"
    case incompleteImage = "K040"
    case imageOutsideMedia = "K041"
    case imageNotFound = "K042"
    case publicContactNotIndividual = "K043"
    case unknownArea = "K044"
    case malformedType = "K050"
    case malformedArea = "K051"
    case invalidSetting = "K052"

    /// Warnings never stop a build; everything else is an error.
    var severity: Diagnostic.Severity {
        switch self {
        case .ignoredFile, .unknownField, .selfConnection, .duplicateReference, .emptyListItem, .publicContactNotIndividual,
             .unknownArea:
            return .warning
        default:
            return .error
        }
    }
}

extension Diagnostic {
    /// A content diagnostic over a byte range of a file.
    init(_ code: ContentCode, _ message: String, file: SourceFile, start: Int, end: Int? = nil,
         label: String? = nil, notes: [String] = [], help: String? = nil) {
        self.init(code: code.rawValue, severity: code.severity, message: message, file: file,
                  start: start, end: end, label: label, notes: notes, help: help)
    }

    /// A content diagnostic about a whole file (or a file that could not be read).
    init(_ code: ContentCode, _ message: String, path: String, notes: [String] = [], help: String? = nil) {
        self.init(code: code.rawValue, severity: code.severity, message: message, path: path,
                  notes: notes, help: help)
    }
}
