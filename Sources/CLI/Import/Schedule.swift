import Foundation

/// Opening times from schedule rows, written as one line for `hours`:
/// `Monday to Friday 09:00-17:00; Saturday 10:00-13:00`.
///
/// Weekdays may be numbers (ISO 8601: 1 is Monday, 7 is Sunday), names or
/// abbreviations (`Tuesday`, `Tue`), or HSDS 2 `byday` lists (`MO,TU`).
enum Schedule {
    struct Entry: Sendable, Equatable {
        /// 1 (Monday) to 7 (Sunday).
        var day: Int
        /// `HH:MM`, or "" when not given.
        var opens: String
        var closes: String
    }

    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// The days a weekday cell names (empty when it names none).
    static func days(_ text: String) -> [Int] {
        var days: [Int] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            let word = part.lowercased()
            if let number = Int(word), (1...7).contains(number) {
                days.append(number)
            } else if let index = dayNames.firstIndex(where: {
                let name = $0.lowercased()
                return word.count >= 2 && (name == word || name.hasPrefix(word))
            }) {
                days.append(index + 1)
            }
        }
        return days
    }

    /// `09:00:00`, `9:00`, `0900`, `09:00Z`, `9am`, `4:00 PM` → `09:00`, `16:00`; "" for anything else.
    static func time(_ text: String) -> String {
        var rest = text.trimmedSpaces.lowercased()
        var meridiem: String?
        for suffix in ["am", "pm", "a.m.", "p.m."] where rest.hasSuffix(suffix) {
            meridiem = String(suffix.prefix(1))
            rest = String(rest.dropLast(suffix.count)).trimmedSpaces
            break
        }
        if let zone = rest.firstIndex(where: { $0 == "z" || $0 == "+" || $0 == "-" }) { rest = String(rest[..<zone]) }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        var hour: Int?, minute: Int?
        if parts.count >= 2 {
            hour = Int(parts[0])
            minute = Int(parts[1])
        } else if parts.count == 1, parts[0].count == 4, meridiem == nil, let value = Int(parts[0]) {
            hour = value / 100
            minute = value % 100
        } else if parts.count == 1, meridiem != nil {
            hour = Int(parts[0])
            minute = 0
        }
        guard var hour, let minute, (0...24).contains(hour), (0...59).contains(minute) else { return "" }
        if let meridiem {
            guard (1...12).contains(hour) else { return "" }
            if meridiem == "p", hour < 12 { hour += 12 }
            if meridiem == "a", hour == 12 { hour = 0 }
        }
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// One line describing the entries; nil when there are none with times.
    static func describe(_ entries: [Entry]) -> String? {
        var byDay: [Int: [String]] = [:]
        for entry in entries {
            let span: String
            switch (entry.opens.isEmpty, entry.closes.isEmpty) {
            case (false, false): span = "\(entry.opens)-\(entry.closes)"
            case (false, true): span = "from \(entry.opens)"
            case (true, false): span = "until \(entry.closes)"
            case (true, true): span = "open"
            }
            if !(byDay[entry.day]?.contains(span) ?? false) { byDay[entry.day, default: []].append(span) }
        }
        guard !byDay.isEmpty else { return nil }
        // Consecutive days with the same times are written as a range.
        var groups: [(first: Int, last: Int, times: [String])] = []
        for day in 1...7 {
            guard let times = byDay[day]?.sorted() else { continue }
            if let last = groups.last, last.last == day - 1, last.times == times {
                groups[groups.count - 1].last = day
            } else {
                groups.append((day, day, times))
            }
        }
        return groups.map { group in
            let days: String
            switch group.last - group.first {
            case 0: days = dayNames[group.first - 1]
            case 1: days = "\(dayNames[group.first - 1]) and \(dayNames[group.last - 1])"
            default: days = "\(dayNames[group.first - 1]) to \(dayNames[group.last - 1])"
            }
            let times = group.times == ["open"] ? "" : " " + group.times.joined(separator: ", ")
            return days + times
        }.joined(separator: "; ")
    }
}
