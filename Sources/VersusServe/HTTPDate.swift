import VersusCore

/// HTTP dates (IMF-fixdate): `Sat, 21 Nov 2026 01:28:00 GMT`. The calendar arithmetic is `Day`'s.
public enum HTTPDate {
    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(seconds: Int64) -> String {
        let day = Day(unixTime: seconds)
        let days = day.unixDay
        let inDay = seconds - days * 86_400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekdays[Int((days % 7 + 7) % 7)]), \(two(Int64(day.day))) \(months[day.month - 1]) \(day.year) "
            + "\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) GMT"
    }

    /// Seconds since the epoch, or nil.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]),
              let m = months.firstIndex(of: String(parts[2])),
              // `Day` checks the date is a real one (no 31 Feb).
              let day = Day(Day(year: y, month: m + 1, day: d).description) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int64($0) }
        guard hms.count == 3, (0..<24).contains(hms[0]), (0..<60).contains(hms[1]), (0...60).contains(hms[2]) else { return nil }
        return day.unixDay * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
    }
}
