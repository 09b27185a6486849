/// A compact binary form of any `Codable` value, for the build store and for digests.
///
/// Values are written in the order the type's own `Codable` conformance visits them
/// (for synthesized conformances, declaration order), without keys: the layout is
/// derived from the types, never listed by hand. Strings and lists carry their length;
/// integers are zig-zag varints; an optional is a presence byte and its value.
/// A store written by one build of Versus is read only by the same build (the build
/// identity is part of every store), so the layout never has to be versioned.
public final class BinaryEncoder: Encoder {
  var bytes: [UInt8] = []
  public var codingPath: [CodingKey] { [] }
  public var userInfo: [CodingUserInfoKey: Any] { [:] }
  /// - Parameter interning: write each string once: a repeat is written as the number of
  ///   its first appearance (for values that repeat many strings, such as a run of page
  ///   plans linking the same pages; read back with `BinaryDecoder.decode(_:from:interning:)`,
  ///   the repeats share one copy).
  public static func encode<T: Encodable>(_ v: T, interning: Bool = false) -> [UInt8] {
    let e = BinaryEncoder()
    if interning { e.interned = [:] }
    // Writing into a byte buffer cannot fail; an `encode(to:)` that throws on its own is a programming error.
    do { try e.value(v) } catch { preconditionFailure("BinaryEncoder: \(error)") }
    return e.bytes
  }
  public func container<Key: CodingKey>(keyedBy: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(Keyed<Key>(e: self)) }
  public func unkeyedContainer() -> UnkeyedEncodingContainer { bytes += [0, 0, 0, 0]; return Unkeyed(e: self, at: bytes.count - 4) }
  public func singleValueContainer() -> SingleValueEncodingContainer { Single(e: self) }

  @inline(__always) func varint(_ v: UInt64) { var v = v; while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }; bytes.append(UInt8(v)) }
  /// The strings written so far and their numbers, when interning.
  var interned: [String: Int]?
  @inline(__always) func str(_ s: String) {
    if interned != nil { return internedStr(s) }
    var s = s; s.withUTF8 { b in varint(UInt64(b.count)); bytes.append(contentsOf: b) }
  }
  /// A string seen before: its number, odd; else its length, even, and its bytes.
  func internedStr(_ s: String) {
    if let n = interned![s] { varint(UInt64(n) << 1 | 1); return }
    interned![s] = interned!.count
    var s = s; s.withUTF8 { b in varint(UInt64(b.count) << 1); bytes.append(contentsOf: b) }
  }
  @inline(__always) func int(_ i: Int64) { varint(UInt64(bitPattern: i) << 1 ^ UInt64(bitPattern: i >> 63)) }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    unowned(unsafe) let e: BinaryEncoder; var codingPath: [CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { e.bytes.append(0) }
    mutating func encode(_ v: Bool, forKey key: Key) throws { e.bytes.append(v ? 1 : 0) }
    mutating func encode(_ v: String, forKey key: Key) throws { e.str(v) }
    mutating func encode(_ v: Int, forKey key: Key) throws { e.int(Int64(v)) }
    mutating func encode(_ v: Int64, forKey key: Key) throws { e.int(v) }
    mutating func encode(_ v: UInt64, forKey key: Key) throws { e.varint(v) }
    mutating func encode(_ v: Double, forKey key: Key) throws { e.varint(v.bitPattern) }
    mutating func encode<T: Encodable>(_ v: T, forKey key: Key) throws { try e.value(v) }
    mutating func encodeIfPresent(_ v: String?, forKey key: Key) throws { if let v { e.bytes.append(1); e.str(v) } else { e.bytes.append(0) } }
    mutating func encodeIfPresent(_ v: Int?, forKey key: Key) throws { if let v { e.bytes.append(1); e.int(Int64(v)) } else { e.bytes.append(0) } }
    mutating func encodeIfPresent(_ v: Bool?, forKey key: Key) throws { if let v { e.bytes.append(v ? 2 : 1) } else { e.bytes.append(0) } }
    mutating func encodeIfPresent<T: Encodable>(_ v: T?, forKey key: Key) throws { if let v { e.bytes.append(1); try e.value(v) } else { e.bytes.append(0) } }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type, forKey key: Key) -> KeyedEncodingContainer<NK> { e.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { e.unkeyedContainer() }
    mutating func superEncoder() -> Encoder { e }
    mutating func superEncoder(forKey key: Key) -> Encoder { e }
  }
  struct Unkeyed: UnkeyedEncodingContainer {
    unowned(unsafe) let e: BinaryEncoder; let at: Int; var count = 0; var codingPath: [CodingKey] { [] }
    mutating func bump() { count += 1; let c = UInt32(count); e.bytes[at] = UInt8(c & 0xff); e.bytes[at+1] = UInt8(c >> 8 & 0xff); e.bytes[at+2] = UInt8(c >> 16 & 0xff); e.bytes[at+3] = UInt8(c >> 24) }
    mutating func encodeNil() throws { bump(); e.bytes.append(0) }
    mutating func encode(_ v: String) throws { bump(); e.str(v) }
    mutating func encode(_ v: Int) throws { bump(); e.int(Int64(v)) }
    mutating func encode<T: Encodable>(_ v: T) throws { bump(); try e.value(v) }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type) -> KeyedEncodingContainer<NK> { bump(); return e.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { bump(); return e.unkeyedContainer() }
    mutating func superEncoder() -> Encoder { e }
  }
  struct Single: SingleValueEncodingContainer {
    unowned(unsafe) let e: BinaryEncoder; var codingPath: [CodingKey] { [] }
    mutating func encodeNil() throws { e.bytes.append(0) }
    mutating func encode(_ v: Bool) throws { e.bytes.append(v ? 1 : 0) }
    mutating func encode(_ v: String) throws { e.str(v) }
    mutating func encode(_ v: Int) throws { e.int(Int64(v)) }
    mutating func encode(_ v: Int64) throws { e.int(v) }
    mutating func encode(_ v: UInt64) throws { e.varint(v) }
    mutating func encode(_ v: Double) throws { e.varint(v.bitPattern) }
    mutating func encode<T: Encodable>(_ v: T) throws { try e.value(v) }
  }

  /// A value; dictionaries as their entries sorted by key (their own `Codable` form has
  /// keys this format does not write, and an order that differs from run to run).
  func value<T: Encodable>(_ v: T) throws {
    // The most common leaves first, written in place (the same bytes their `Codable` form gives).
    if T.self == String.self { return str(unsafeBitCast(v, to: String.self)) }
    if T.self == [String].self {
      let list = unsafeBitCast(v, to: [String].self)
      let n = UInt32(list.count)
      bytes += [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)]
      for s in list { str(s) }
      return
    }
    if T.self == Int.self { return int(Int64(unsafeBitCast(v, to: Int.self))) }
    if T.self == Bool.self { return bytes.append(unsafeBitCast(v, to: Bool.self) ? 1 : 0) }
    // Links and days, by the hundred thousand in a site: their pair and triple as their `encode(to:)` writes them.
    if T.self == Link.self {
      let link = unsafeBitCast(v, to: Link.self)
      bytes += [2, 0, 0, 0]
      str(link.title)
      str(link.path)
      return
    }
    if T.self == Day.self {
      let day = unsafeBitCast(v, to: Day.self)
      bytes += [3, 0, 0, 0]
      int(Int64(day.year))
      int(Int64(day.month))
      int(Int64(day.day))
      return
    }
    if dictionaryTypes.contains(T.self), let dictionary = v as? any BinaryDictionary { try dictionary.encodeBinary(to: self) } else { try v.encode(to: self) }
  }

  /// Which types are dictionaries (see `DictionaryTypes`).
  private var dictionaryTypes = DictionaryTypes()
}

/// Which types are dictionaries, asked of the runtime once per type and coder: a
/// conformance check for every value costs more than coding the value.
struct DictionaryTypes {
  private var known: [ObjectIdentifier: Bool] = [:]
  mutating func contains<T>(_ t: T.Type) -> Bool {
    let id = ObjectIdentifier(t)
    if let answer = known[id] { return answer }
    let answer = t is any BinaryDictionary.Type
    known[id] = answer
    return answer
  }
}

/// Dictionaries in the binary form: a count, then key and value pairs in key order.
protocol BinaryDictionary {
  func encodeBinary(to e: BinaryEncoder) throws
  static func decodeBinary(from d: BinaryDecoder) throws -> Self
}

extension Dictionary: BinaryDictionary where Key: Codable & Comparable, Value: Codable {
  func encodeBinary(to e: BinaryEncoder) throws {
    var c = e.unkeyedContainer()
    for key in keys.sorted() {
      try c.encode(key)
      try c.encode(self[key]!)
    }
  }

  static func decodeBinary(from d: BinaryDecoder) throws -> Self {
    var c = try d.unkeyedContainer()
    var out: Self = [:]
    while !c.isAtEnd {
      let key = try c.decode(Key.self)
      out[key] = try c.decode(Value.self)
    }
    return out
  }
}

/// Lists in the binary form (as their own `Codable` form writes them: a count, then each
/// element), read with room for them all made first.
protocol BinaryArray {
  static func decodeBinary(from d: BinaryDecoder) throws -> Self
}

extension Array: BinaryArray where Element: Decodable {
  static func decodeBinary(from d: BinaryDecoder) throws -> Self {
    let n = try d.u32()
    var out: Self = []
    out.reserveCapacity(Swift.min(n, d.bytes.count - d.i))
    for _ in 0..<n { out.append(try d.value(Element.self)) }
    return out
  }
}

public struct BinaryDecodingError: Error {}

/// Reads what `BinaryEncoder` wrote.
public final class BinaryDecoder: Decoder {
  /// A copy of the bytes read (a buffer of its own, read without bounds checks beyond the
  /// decoder's own), and the position.
  let bytes: UnsafeMutableBufferPointer<UInt8>; var i = 0
  public init(_ b: [UInt8]) {
    bytes = .allocate(capacity: b.count)
    _ = bytes.initialize(from: b)
  }
  deinit { bytes.deallocate() }
  public var codingPath: [CodingKey] { [] }
  public var userInfo: [CodingUserInfoKey: Any] { [:] }
  public static func decode<T: Decodable>(_ t: T.Type, from b: [UInt8], interning: Bool = false) throws -> T {
    let d = BinaryDecoder(b)
    if interning { d.table = [] }
    return try d.value(T.self)
  }
  public func container<Key: CodingKey>(keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key> { KeyedDecodingContainer(Keyed<Key>(d: self)) }
  public func unkeyedContainer() throws -> UnkeyedDecodingContainer { let n = try u32(); return Unkeyed(d: self, n: n) }
  public func singleValueContainer() throws -> SingleValueDecodingContainer { Single(d: self) }

  @inline(__always) func byte() throws -> UInt8 { guard i < bytes.count else { throw BinaryDecodingError() }; defer { i += 1 }; return bytes[i] }
  @inline(__always) func u32() throws -> Int { guard i + 4 <= bytes.count else { throw BinaryDecodingError() }; let v = Int(bytes[i]) | Int(bytes[i+1]) << 8 | Int(bytes[i+2]) << 16 | Int(bytes[i+3]) << 24; i += 4; return v }
  @inline(__always) func varint() throws -> UInt64 { var v: UInt64 = 0; var shift: UInt64 = 0; while true { let b = try byte(); v |= UInt64(b & 0x7f) << shift; if b < 0x80 { return v }; shift += 7; if shift > 63 { throw BinaryDecodingError() } } }
  @inline(__always) func int() throws -> Int64 { let v = try varint(); return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }
  /// The strings read so far, when the bytes were written interning.
  var table: [String]?
  @inline(__always) func str() throws -> String {
    guard table == nil else { return try internedStr() }
    let n = Int(try varint()); guard i + n <= bytes.count else { throw BinaryDecodingError() }; defer { i += n }; return String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i+n)]), as: UTF8.self) }
  func internedStr() throws -> String {
    let v = try varint()
    if v & 1 == 1 {
      guard let n = Int(exactly: v >> 1), n < table!.count else { throw BinaryDecodingError() }
      return table![n]
    }
    let n = Int(v >> 1)
    guard i + n <= bytes.count else { throw BinaryDecodingError() }
    defer { i += n }
    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i+n)]), as: UTF8.self)
    table!.append(s)
    return s
  }

  struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    unowned(unsafe) let d: BinaryDecoder; var codingPath: [CodingKey] { [] }; var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { try d.byte() == 0 }
    func decode(_ t: Bool.Type, forKey key: Key) throws -> Bool { try d.byte() != 0 }
    func decode(_ t: String.Type, forKey key: Key) throws -> String { try d.str() }
    func decode(_ t: Int.Type, forKey key: Key) throws -> Int { Int(try d.int()) }
    func decode(_ t: Int64.Type, forKey key: Key) throws -> Int64 { try d.int() }
    func decode(_ t: UInt64.Type, forKey key: Key) throws -> UInt64 { try d.varint() }
    func decode(_ t: Double.Type, forKey key: Key) throws -> Double { Double(bitPattern: try d.varint()) }
    func decode<T: Decodable>(_ t: T.Type, forKey key: Key) throws -> T { try d.value(T.self) }
    func decodeIfPresent(_ t: String.Type, forKey key: Key) throws -> String? { try d.byte() == 0 ? nil : try d.str() }
    func decodeIfPresent(_ t: Int.Type, forKey key: Key) throws -> Int? { try d.byte() == 0 ? nil : Int(try d.int()) }
    func decodeIfPresent(_ t: Bool.Type, forKey key: Key) throws -> Bool? { let b = try d.byte(); return b == 0 ? nil : b == 2 }
    func decodeIfPresent<T: Decodable>(_ t: T.Type, forKey key: Key) throws -> T? { try d.byte() == 0 ? nil : try d.value(T.self) }
    func nestedContainer<NK: CodingKey>(keyedBy: NK.Type, forKey key: Key) throws -> KeyedDecodingContainer<NK> { try d.container(keyedBy: NK.self) }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try d.unkeyedContainer() }
    func superDecoder() throws -> Decoder { d }
    func superDecoder(forKey key: Key) throws -> Decoder { d }
  }
  struct Unkeyed: UnkeyedDecodingContainer {
    unowned(unsafe) let d: BinaryDecoder; let n: Int; var currentIndex = 0; var codingPath: [CodingKey] { [] }
    var count: Int? { n }; var isAtEnd: Bool { currentIndex >= n }
    mutating func decodeNil() throws -> Bool { guard d.i < d.bytes.count else { throw BinaryDecodingError() }; if d.bytes[d.i] == 0 { d.i += 1; currentIndex += 1; return true }; return false }
    mutating func decode(_ t: String.Type) throws -> String { currentIndex += 1; return try d.str() }
    mutating func decode(_ t: Int.Type) throws -> Int { currentIndex += 1; return Int(try d.int()) }
    mutating func decode<T: Decodable>(_ t: T.Type) throws -> T { currentIndex += 1; return try d.value(T.self) }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type) throws -> KeyedDecodingContainer<NK> { currentIndex += 1; return try d.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { currentIndex += 1; return try d.unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { d }
  }
  struct Single: SingleValueDecodingContainer {
    unowned(unsafe) let d: BinaryDecoder; var codingPath: [CodingKey] { [] }
    func decodeNil() -> Bool { if d.i < d.bytes.count, d.bytes[d.i] == 0 { d.i += 1; return true }; return false }
    func decode(_ t: Bool.Type) throws -> Bool { try d.byte() != 0 }
    func decode(_ t: String.Type) throws -> String { try d.str() }
    func decode(_ t: Int.Type) throws -> Int { Int(try d.int()) }
    func decode(_ t: Int64.Type) throws -> Int64 { try d.int() }
    func decode(_ t: UInt64.Type) throws -> UInt64 { try d.varint() }
    func decode(_ t: Double.Type) throws -> Double { Double(bitPattern: try d.varint()) }
    func decode<T: Decodable>(_ t: T.Type) throws -> T { try d.value(T.self) }
  }

  func value<T: Decodable>(_ t: T.Type) throws -> T {
    // The most common leaves first, read in place (the same bytes their `Codable` form gives).
    // (Lists, strings included, are read by `BinaryArray`.)
    if T.self == String.self { return unsafeBitCast(try str(), to: T.self) }
    if T.self == Int.self { return unsafeBitCast(Int(try int()), to: T.self) }
    if T.self == Bool.self { return unsafeBitCast(try byte() != 0, to: T.self) }
    if T.self == Link.self {
      guard try u32() == 2 else { throw BinaryDecodingError() }
      return unsafeBitCast(Link(title: try str(), path: try str()), to: T.self)
    }
    if T.self == Day.self {
      guard try u32() == 3 else { throw BinaryDecodingError() }
      return unsafeBitCast(Day(year: Int(try int()), month: Int(try int()), day: Int(try int())), to: T.self)
    }
    switch decodingKinds.kind(of: T.self) {
    case .dictionary(let dictionary): return try dictionary.decodeBinary(from: self) as! T
    case .array(let array): return try array.decodeBinary(from: self) as! T
    case .other: return try T(from: self)
    }
  }

  private var decodingKinds = DecodingKinds()

  /// How a type is read: dictionaries and lists by this decoder (a list with its room made
  /// first: its count is written ahead of it), anything else by its own `init(from:)`.
  /// Asked of the runtime once per type and decoder.
  struct DecodingKinds {
    enum Kind { case dictionary(any BinaryDictionary.Type), array(any BinaryArray.Type), other }
    private var known: [ObjectIdentifier: Kind] = [:]
    mutating func kind<T>(of t: T.Type) -> Kind {
      let id = ObjectIdentifier(t)
      if let kind = known[id] { return kind }
      let kind: Kind = (t as? any BinaryDictionary.Type).map { .dictionary($0) } ?? (t as? any BinaryArray.Type).map { .array($0) } ?? .other
      known[id] = kind
      return kind
    }
  }
}
