import Diagnostics
import Foundation

/// A table read from a CSV file as RFC 4180 describes it: values separated by
/// commas, records by line breaks (`\r\n`, `\n` or `\r`), values in double
/// quotes may hold separators, line breaks and doubled quotes (`""`).
///
/// Real exports stray from the RFC, so the reader also accepts a UTF-8 byte
/// order mark, text that is not UTF-8 (read as Windows-1252, with a warning),
/// a semicolon or tab separator when the header line uses one, quotes inside
/// unquoted values (kept as they are) and blank lines (skipped).
///
/// Every cell knows the line and column where it starts, so a problem with a
/// value is reported where a spreadsheet user can find it.
struct CSVTable: Sendable {
    /// One value and where it starts in the file (1-based line and column).
    struct Cell: Sendable, Hashable {
        var text: String
        var line: Int
        var column: Int
    }

    /// One record after the header.
    struct Row: Sendable {
        /// The line where the record starts.
        var line: Int
        var cells: [Cell]
    }

    /// The path shown in messages (as the user gave it).
    let path: String
    /// The file's text, for quoting lines in diagnostics.
    let source: SourceFile
    /// The header cells, as written.
    let header: [Cell]
    let rows: [Row]
    /// Header names folded for lookup (see `fold`), with their index.
    private let columnIndex: [String: Int]

    init(path: String, source: SourceFile, header: [Cell], rows: [Row]) {
        self.path = path
        self.source = source
        self.header = header
        self.rows = rows
        var index: [String: Int] = [:]
        for (position, cell) in header.enumerated() {
            let key = Self.fold(cell.text)
            if index[key] == nil { index[key] = position }
        }
        self.columnIndex = index
    }

    /// A column name made comparable: trimmed, lowercased, spaces and hyphens as `_`.
    static func fold(_ name: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in name.trimmed.lowercased().unicodeScalars {
            if scalar == " " || scalar == "-" || scalar == "_" || scalar == "\t" {
                pendingUnderscore = !out.isEmpty
                continue
            }
            if pendingUnderscore { out += "_" }
            pendingUnderscore = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Whether the table has the column; `name` is written folded (`short_desc`), as below.
    func hasColumn(_ name: String) -> Bool { columnIndex[name] != nil }

    /// The trimmed value of the first of `names` that is a column and has a
    /// value in this row ("" when none has).
    func value(_ row: Row, _ names: String...) -> String {
        cell(names, row)?.text.trimmed ?? ""
    }

    /// The cell of the first of `names` that is a column and has a value in
    /// this row, else of the first that is a column.
    func cell(_ row: Row, _ names: String...) -> Cell? {
        cell(names, row)
    }

    private func cell(_ names: [String], _ row: Row) -> Cell? {
        var first: Cell?
        for name in names {
            guard let index = columnIndex[name], index < row.cells.count else { continue }
            let cell = row.cells[index]
            if !cell.text.trimmed.isEmpty { return cell }
            if first == nil { first = cell }
        }
        return first
    }

    /// A diagnostic pointing at a cell (or at the start of its row when the cell is missing).
    func diagnostic(_ code: ImportCode, _ message: String, at cell: Cell?, row: Row? = nil,
                    severity: Diagnostic.Severity = .warning, label: String? = nil, help: String? = nil) -> Diagnostic {
        let line = cell?.line ?? row?.line ?? 1
        let column = cell?.column ?? 1
        let width = max(1, cell.map { $0.text.split(whereSeparator: \.isNewline).first.map { $0.unicodeScalars.count } ?? 1 } ?? 1)
        return Diagnostic(code: code.rawValue, severity: severity, message: message, file: source, line: line,
                          column: column, width: width, label: label, help: help)
    }
}

/// Why a CSV file could not be read at all.
struct CSVReadError: Error {
    var diagnostic: Diagnostic
}

/// The RFC 4180 reader.
enum CSVReader {
    /// Reads and parses a file.
    /// - Parameters:
    ///   - url: the file.
    ///   - displayPath: how the file is named in messages.
    /// - Returns: the table and any warnings (encoding, ragged rows).
    /// - Throws: `CSVReadError` when the file cannot be read or a quote is never closed.
    static func read(_ url: URL, displayPath: String) throws -> (table: CSVTable, warnings: [Diagnostic]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CSVReadError(diagnostic: Diagnostic(
                code: ImportCode.sourceUnreadable.rawValue, message: "cannot read `\(displayPath)`",
                path: displayPath, help: "check that the file exists and that you may read it"))
        }
        var warnings: [Diagnostic] = []
        var text: String
        if let decoded = String(data: data, encoding: .utf8) {
            text = decoded
        } else {
            text = String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
            warnings.append(Diagnostic(
                code: ImportCode.notUTF8.rawValue, severity: .warning,
                message: "`\(displayPath)` is not UTF-8 text; it was read as Windows-1252", path: displayPath,
                help: "if accented letters look wrong, export the spreadsheet again as \"CSV UTF-8\""))
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let table = try parse(text, path: displayPath)
        return (table, warnings + table.raggedRowWarnings())
    }

    /// Parses CSV text (without a byte order mark).
    ///
    /// Works on UTF-8 bytes: every byte with a meaning (separator, quote, line
    /// break) is ASCII, so multi-byte characters pass through untouched.
    /// Columns count Unicode scalars, as `SourceFile` does.
    /// - Complexity: O(n) in the length of the text.
    static func parse(_ text: String, path: String) throws -> CSVTable {
        let source = SourceFile(path: path, text: text)
        let separator = UInt8(ascii: detectSeparator(text))
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let bytes = Array(text.utf8)
        var records: [[CSVTable.Cell]] = []
        var record: [CSVTable.Cell] = []
        var field: [UInt8] = []
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var inQuotes = false
        var quoteOpened = (line: 1, column: 1)
        var atFieldStart = true
        var previousWasCR = false

        func endField() {
            record.append(CSVTable.Cell(text: String(decoding: field, as: UTF8.self), line: fieldLine, column: fieldColumn))
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
        }
        func endRecord() {
            endField()
            // A blank line is one empty value: skip it.
            if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
            record = []
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            // Positions follow the line breaks of SourceFile: `\n` starts a line.
            let here = (line: line, column: column)
            if byte == lf {
                line += 1
                column = 1
            } else if byte != cr && byte & 0xC0 != 0x80 {
                column += 1  // the first byte of a scalar
            }
            let wasCR = previousWasCR
            previousWasCR = byte == cr
            if atFieldStart {
                fieldLine = here.line
                fieldColumn = here.column
            }

            if inQuotes {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                        column += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where atFieldStart:
                inQuotes = true
                quoteOpened = here
                atFieldStart = false
            case separator:
                endField()
            case lf:
                if wasCR { continue }  // the `\n` of a `\r\n`: the record already ended
                endRecord()
            case cr:
                endRecord()
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        if inQuotes {
            throw CSVReadError(diagnostic: Diagnostic(
                code: ImportCode.unclosedQuote.rawValue, message: "a quoted value is never closed",
                file: source, line: quoteOpened.line, column: quoteOpened.column, label: "this quote opens it",
                help: "a value that starts with \" must end with \"; write a quote inside a value as two quotes (\"\")"))
        }
        if !atFieldStart || !field.isEmpty || !record.isEmpty { endRecord() }

        guard let header = records.first else {
            return CSVTable(path: path, source: source, header: [], rows: [])
        }
        let rows = records.dropFirst().map { cells in CSVTable.Row(line: cells.first?.line ?? 1, cells: cells) }
        return CSVTable(path: path, source: source, header: header, rows: Array(rows))
    }

    /// Comma, unless the header line has more semicolons or tabs than commas
    /// outside quotes (spreadsheets in many languages export with `;`).
    static func detectSeparator(_ text: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if scalar == "\n" || scalar == "\r" { break }
            if counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let comma = counts[","]!, semicolon = counts[";"]!, tab = counts["\t"]!
        if tab > comma && tab >= semicolon { return "\t" }
        if semicolon > comma { return ";" }
        return ","
    }
}

extension CSVTable {
    /// Warnings for rows with more values than the header has columns (the extra ones are ignored).
    func raggedRowWarnings() -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        for row in rows where row.cells.count > header.count {
            let extra = row.cells[header.count]
            guard row.cells[header.count...].contains(where: { !$0.text.trimmedSpaces.isEmpty })
            else { continue }
            warnings.append(diagnostic(
                .raggedRow, "this row has \(row.cells.count) values but the header names \(header.count) columns",
                at: extra, row: row, label: "ignored from here",
                help: "check for a separator inside a value that should have been quoted"))
        }
        return warnings
    }
}
