/// Slugs: lowercase ASCII letters, digits and single hyphens, used for file
/// names of content and for the URLs of types, areas and tags.
public enum Slug {
    /// Whether `text` is already a slug (`northside-library`, `cafe-2`).
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        var previousWasHyphen = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-"):
                if previousWasHyphen { return false }
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !previousWasHyphen
    }

    /// A slug made from any text: accented Latin letters folded to ASCII,
    /// everything that is not a letter or digit turned into one hyphen.
    /// `"Café & Bistro – Öst"` → `"cafe-bistro-ost"`. Empty when nothing is left.
    public static func make(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let folded: String
            if scalar.isASCII {
                let v = scalar.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { folded = String(scalar) }
                else if v >= 0x41 && v <= 0x5A { folded = String(Unicode.Scalar(v + 32)!) }
                else { folded = "" }
            } else {
                folded = fold(scalar)
            }
            if folded.isEmpty {
                // Marks and apostrophes vanish: "St Aidan's" → "st-aidans".
                if isCombiningMark(scalar) || scalar == "'" || scalar == "\u{2019}" { continue }
                pendingHyphen = true
                continue
            }
            if pendingHyphen && !out.isEmpty { out += "-" }
            pendingHyphen = false
            out += folded
        }
        return out
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        (0x0300...0x036F).contains(scalar.value)
    }

    /// ASCII for common Latin letters with marks; "" for anything else.
    private static func fold(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "à", "á", "â", "ã", "ä", "å", "ā", "ă", "ą", "À", "Á", "Â", "Ã", "Ä", "Å", "Ā", "Ă", "Ą": return "a"
        case "æ", "Æ": return "ae"
        case "ç", "ć", "č", "ĉ", "ċ", "Ç", "Ć", "Č", "Ĉ", "Ċ": return "c"
        case "ď", "đ", "ð", "Ď", "Đ", "Ð": return "d"
        case "è", "é", "ê", "ë", "ē", "ė", "ę", "ě", "È", "É", "Ê", "Ë", "Ē", "Ė", "Ę", "Ě": return "e"
        case "ğ", "ģ", "Ğ", "Ģ": return "g"
        case "ì", "í", "î", "ï", "ī", "į", "ı", "Ì", "Í", "Î", "Ï", "Ī", "Į", "İ": return "i"
        case "ķ", "Ķ": return "k"
        case "ł", "ľ", "ĺ", "ļ", "Ł", "Ľ", "Ĺ", "Ļ": return "l"
        case "ñ", "ń", "ň", "ņ", "Ñ", "Ń", "Ň", "Ņ": return "n"
        case "ò", "ó", "ô", "õ", "ö", "ø", "ō", "ő", "Ò", "Ó", "Ô", "Õ", "Ö", "Ø", "Ō", "Ő": return "o"
        case "œ", "Œ": return "oe"
        case "ř", "ŕ", "Ř", "Ŕ": return "r"
        case "ś", "š", "ş", "ș", "Ś", "Š", "Ş", "Ș": return "s"
        case "ß": return "ss"
        case "ť", "ţ", "ț", "Ť", "Ţ", "Ț": return "t"
        case "þ", "Þ": return "th"
        case "ù", "ú", "û", "ü", "ū", "ů", "ű", "ų", "Ù", "Ú", "Û", "Ü", "Ū", "Ů", "Ű", "Ų": return "u"
        case "ý", "ÿ", "Ý", "Ÿ": return "y"
        case "ź", "ż", "ž", "Ź", "Ż", "Ž": return "z"
        default: return ""
        }
    }
}

extension Slug {
    /// The slug of a tag or area name, never empty: a name with no letters or
    /// digits to keep (`日本`, `!!!`) gets `t-` and a short hash of the name.
    public static func term(_ name: String) -> String {
        let slug = make(name)
        if !slug.isEmpty { return slug }
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return "t-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
