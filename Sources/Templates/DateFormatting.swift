/// The `date` filter: reads `YYYY-MM-DD` and formats it with English names.
/// The weekday is computed here, so no calendar or locale is involved and the
/// output is the same on every machine.
struct CalendarDate: Sendable, Equatable {
    var year: Int
    var month: Int
    var day: Int

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Reads `YYYY-MM-DD`, or the date at the start of an ISO timestamp
    /// (`2026-05-01T10:30:00Z`, `2026-05-01 10:30`). Nil when it is not a real date.
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        if bytes.count > 10, bytes[10] != UInt8(ascii: "T"), bytes[10] != UInt8(ascii: " ") { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard Lexer.isDigit(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 for Sunday … 6 for Saturday, in the proleptic Gregorian calendar.
    var weekday: Int {
        // Count days from 1 March of year 0, so the leap day falls at the end of a year.
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 12 : month
        let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + day
        // Day 1 of that count (1 March 0000) was a Wednesday.
        return (days + 2) % 7
    }

    /// Formats the date. Codes: `%Y` year, `%m`/`%d` two-digit month/day,
    /// `%-m`/`%-d` without the leading zero, `%B`/`%b` month name (full/short),
    /// `%A`/`%a` weekday name (full/short), `%%` a percent sign.
    /// - Returns: the text, or the unknown code as an error.
    func formatted(_ format: String) -> Result<String, UnknownCode> {
        var output = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else {
                output.unicodeScalars.append(scalar)
                continue
            }
            guard var code = scalars.next() else { return .failure(UnknownCode(code: "%")) }
            var padded = true
            if code == "-" {
                guard let next = scalars.next() else { return .failure(UnknownCode(code: "%-")) }
                padded = false
                code = next
            }
            switch (code, padded) {
            case ("Y", true): output += Self.pad(year, to: 4)
            case ("m", _): output += padded ? Self.pad(month, to: 2) : String(month)
            case ("d", _): output += padded ? Self.pad(day, to: 2) : String(day)
            case ("B", true): output += Self.monthNames[month - 1]
            case ("b", true): output += String(Self.monthNames[month - 1].prefix(3))
            case ("A", true): output += Self.weekdayNames[weekday]
            case ("a", true): output += String(Self.weekdayNames[weekday].prefix(3))
            case ("%", true): output += "%"
            default: return .failure(UnknownCode(code: (padded ? "%" : "%-") + String(code)))
            }
        }
        return .success(output)
    }

    struct UnknownCode: Error {
        var code: String
    }

    private static func pad(_ number: Int, to width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
