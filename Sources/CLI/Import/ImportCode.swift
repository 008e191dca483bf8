/// The diagnostic codes of `kith import` (K200–K219). Codes are stable: a
/// code is never reused for another meaning. Documented in docs/import.md.
///
/// | code | severity | meaning | example |
/// |---|---|---|---|
/// | K200 | error | the folder or file to import cannot be read | `kith import hsds exports/` when `exports/` has no organizations.csv |
/// | K201 | error | a quoted CSV value is never closed | `"Open Tuesdays,` with no closing quote |
/// | K202 | error | a spreadsheet column is not a field Kith knows | a column `Titel` |
/// | K203 | error | a required spreadsheet column is missing | no `summary` column |
/// | K204 | error | two spreadsheet columns name the same field | `Website` and `URL` |
/// | K205 | warning | a row refers to a record that does not exist (an orphan row); it is left out | a service whose organization_id is not in organizations.csv |
/// | K206 | warning | a row has no value where one is needed; it is left out | a spreadsheet row with an empty title |
/// | K207 | warning | a value cannot be used and is left out | `website: javascript:alert(1)`, `lat: north` |
/// | K208 | warning | a profile was edited by hand since it was imported; it is kept as it is | a volunteer corrected the phone number |
/// | K209 | warning | a profile with the same file name exists that the import did not write; it is kept | a hand-written `northside-library.md` |
/// | K210 | warning | a profile written by an earlier import was deleted; it is not written again | an organisation that closed |
/// | K211 | warning | a CSV file is not UTF-8 and was read as Windows-1252 | a spreadsheet saved as "CSV (Windows)" |
/// | K212 | warning | a spreadsheet type is not one of the six built-in types | `type: faith group` |
/// | K213 | error | a profile or the import record cannot be written | the disk is full |
/// | K214 | warning | a row has more values than the header has columns | an unquoted comma inside an address |
/// | K215 | warning | the import record `content/.kith-import.json` cannot be read; every existing profile counts as edited by hand | a hand-edited record with a syntax error |
enum ImportCode: String, Sendable {
    case sourceUnreadable = "K200"
    case unclosedQuote = "K201"
    case unknownColumn = "K202"
    case missingColumn = "K203"
    case duplicateColumn = "K204"
    case orphanRow = "K205"
    case missingValue = "K206"
    case unusableValue = "K207"
    case editedByHand = "K208"
    case notImported = "K209"
    case deletedByHand = "K210"
    case notUTF8 = "K211"
    case unknownType = "K212"
    case writeFailed = "K213"
    case raggedRow = "K214"
    case badRecord = "K215"
}
