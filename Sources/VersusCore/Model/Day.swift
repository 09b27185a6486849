/// A calendar day, and the date arithmetic Versus needs: one definition, used by
/// front-matter, the ledger, sitemaps, the feed and the preview server's HTTP dates.
/// A calendar day, as content gives it (`2024-05-01`). Never read from the clock
/// inside the pipeline: the clock enters only through `BuildOptions.today`.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    // Stored as its three numbers: sites hold days by the hundred thousand, and a list
    // is read without the keyed container a struct costs.
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(year: try c.decode(Int.self), month: try c.decode(Int.self), day: try c.decode(Int.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(year)
        try c.encode(month)
        try c.encode(day)
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), which is ignored; nil
    /// for a day no calendar has (`impossible` says why), year 0000 among them.
    public init?(_ text: String) {
        guard let (y, m, d) = Self.written(text), y >= 1, (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y),
              Self.impossibleTime(text) == nil else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// For a day written with a time (`2024-01-01T25:61:00Z`), what is wrong with the time when
    /// it names none (the time is not kept, but a wrong one is a mistake worth saying).
    static func impossibleTime(_ text: String) -> String? {
        let u = Array(text.trimmingWhitespace().utf8)
        guard u.count >= 16, u[13] == UInt8(ascii: ":") else { return nil }
        func two(_ i: Int) -> Int? {
            guard i + 1 < u.count, (48...57).contains(u[i]), (48...57).contains(u[i + 1]) else { return nil }
            return Int(u[i] - 48) * 10 + Int(u[i + 1] - 48)
        }
        guard let h = two(11), let m = two(14) else { return nil }
        let s = u.count >= 19 && u[16] == UInt8(ascii: ":") ? two(17) : 0
        guard h <= 23, m <= 59, (s ?? 0) <= 60 else {
            return "the time \(String(decoding: u[11..<min(u.count, 19)], as: UTF8.self)) does not exist"
        }
        return nil
    }

    /// For text written `YYYY-MM-DD` that names no day, what is wrong with it ("month 13 does
    /// not exist", "February 2026 has 28 days"); nil for a day, or text not written so.
    /// Year 0000 names none either: the calendar goes from 1 BC to AD 1, and a sitemap's
    /// W3C date, the feed's RFC 3339 timestamps and schema.org's dates read four digits as a
    /// year of our era (a day written `0000-…` is a typing slip, not a day anyone means).
    static func impossible(_ text: String) -> String? {
        guard let (y, m, d) = written(text) else { return nil }
        guard y >= 1 else { return "year 0000 does not exist (years start at 0001)" }
        guard (1...12).contains(m) else { return "month \(m) does not exist" }
        let days = daysIn(month: m, year: y)
        return d >= 1 && d <= days ? impossibleTime(text) : "\(monthNames[m - 1]) \(y) has \(days) days"
    }

    /// The three numbers of text written `YYYY-MM-DD` (then nothing, or a time after `T` or a
    /// space), whether or not they name a day.
    private static func written(_ text: String) -> (Int, Int, Int)? {
        let u = Array(text.trimmingWhitespace().utf8)
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        if u.count > 10, u[10] != UInt8(ascii: "T"), u[10] != UInt8(ascii: " ") { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = u[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return (y, m, d)
    }

    /// The months' names in English, January first.
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `description`'s bytes, appended to `out` (sitemaps write one per page).
    public func append(to out: inout [UInt8]) {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else { return out += description.utf8 }
        let d = digits
        out += [d.0, d.1, d.2, d.3, d.4, d.5, d.6, d.7, d.8, d.9]
    }

    /// The ten bytes of `YYYY-MM-DD` (for a year, month and day of at most four, two and two digits).
    private var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) {
        func digit(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: 48 + v) }
        return (digit(year / 1000), digit(year / 100 % 10), digit(year / 10 % 10), digit(year % 10), 45,
                digit(month / 10), digit(month % 10), 45, digit(day / 10), digit(day % 10))
    }

    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            func pad(_ v: Int, _ n: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: max(0, n - s.count)) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        // YYYY-MM-DD, digit by digit, written straight into the string (no array of its bytes first).
        return String(unsafeUninitializedCapacity: 10) { out in
            let d = digits
            (out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7], out[8], out[9]) = d
            return 10
        }
    }

    /// RFC 3339 timestamp at midnight UTC, as Atom wants it.
    public var timestamp: String { "\(description)T00:00:00Z" }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The UTC day of a Unix time.
    public init(unixTime: Int64) {
        // Civil-from-days (Howard Hinnant), exact for the proleptic Gregorian calendar.
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: Int(y), month: Int(m), day: Int(d))
    }

    /// Days since 1970-01-01 (negative before it): the inverse of `init(unixTime:)`.
    public var unixDay: Int64 {
        // Days-from-civil (Howard Hinnant).
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

