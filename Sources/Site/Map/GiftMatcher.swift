/// Matches what assets need with what others can give: "a room for
/// meetings" wanted by one group and offered by another, or a van needed by
/// the market and lent by the tool library.
///
/// A need and a gift match when they are the same after case and
/// punctuation are set aside, or when they share a significant word naming
/// the thing itself: "a van for gigs" matches "a van on Saturdays", but
/// "volunteers for events" does not match "gazebos for events" (words after
/// `for`, `with`, `on`… say what a thing is for), and "storage space" does
/// not match "growing space" (each names a kind the other does not). Fillers
/// such as "help" or "some" never count, and plurals count as their
/// singular. A need no gift matches may still match, more weakly, one of the
/// few assets tagged with what it is about (its last core word). Pairs already joined by a declared
/// connection are left out: they know each other. A word offered by very many
/// assets is too common to match on, and each asset keeps its best few
/// suggestions, so a large directory is not flooded.
struct GiftMatcher {
    struct Suggestion: Sendable, Equatable {
        /// The asset looking for something, and the one that can give it (graph node indices).
        var needer: Int
        var giver: Int
        var need: String
        /// The matching gift; nil when the match is on a tag.
        var gift: String?
        var reason: Reason
        var score: Int
    }

    enum Reason: Sendable, Equatable {
        /// The same words.
        case same
        /// Shared significant words.
        case words([String])
        /// A word of the need is one of the giver's tags.
        case tag(String)

        var text: String {
            switch self {
            case .same: "the same words"
            case .words(let words): words.count == 1 ? "both mention “\(words[0])”" : "both mention " + words.map { "“\($0)”" }.joined(separator: ", ")
            case .tag(let tag): "tagged “\(tag)”"
            }
        }
    }

    /// Words too common to say two phrases are about the same thing.
    static let fillers: Set<String> = [
        "a", "an", "the", "and", "or", "but", "for", "of", "to", "in", "on", "at", "with", "from", "by", "into",
        "our", "your", "their", "its", "my", "we", "you", "they", "them", "us", "it", "this", "that", "these", "those",
        "some", "any", "more", "less", "most", "few", "lot", "lots", "all", "other", "others", "another", "each", "every",
        "someone", "somebody", "something", "somewhere", "anyone", "anything", "people", "person", "thing",
        "help", "helping", "helper", "support", "need", "needed", "want", "looking", "offer", "share", "sharing",
        "can", "could", "will", "would", "should", "be", "is", "are", "was", "have", "has", "get", "give", "make", "do",
        "good", "new", "old", "big", "small", "local", "free", "cheap", "spare", "extra", "regular", "occasional",
        "time", "day", "week", "weekly", "month", "year", "morning", "afternoon", "evening", "night", "weekend",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "community", "group", "neighbourhood", "neighborhood", "area", "place", "way", "use", "using", "how", "who",
        "about", "up", "out", "over", "not", "no", "very", "just", "also", "too", "own",
    ]

    /// Lower case, letters and digits only, single spaces.
    static func normalise(_ text: String) -> String {
        var source = text
        if let plain = source.withUTF8({ normalisedASCII($0) }) { return plain }
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "'" || character == "’" {
                continue
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ")
    }

    /// `normalise` of an ASCII text, worked out on its bytes: the letters
    /// and digits ASCII has are the only ones it can hold. Nil for any other text.
    private static func normalisedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { output in
            var count = 0
            var space = false
            for byte in bytes {
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) {
                    if space {
                        output[count] = UInt8(ascii: " ")
                        count += 1
                        space = false
                    }
                    output[count] = lower
                    count += 1
                } else if lower != UInt8(ascii: "'"), count > 0 {
                    // Any other character ends a word; a space is written only before the next.
                    space = true
                }
            }
            return count
        }
    }

    /// A tag carried by more assets than this is too common to suggest anyone.
    static let distinctiveTagLimit = 3
    /// A word offered in more gifts than this is too common to match on by
    /// itself ("food" in a large directory): it would suggest everyone to everyone.
    static let commonWordLimit = 200
    /// The best suggestions kept for each asset that needs something; a
    /// profile shows five, the insights page the best overall.
    static let keptPerNeeder = 25

    /// Words that start what a phrase is for or about, rather than what it is:
    /// in "volunteers for events", the thing is "volunteers".
    static let linkWords: Set<String> = [
        "for", "with", "on", "at", "to", "in", "from", "about", "after", "before", "during", "into", "by", "of", "who", "that",
    ]

    /// A word's plain form: a plural's singular, roughly.
    static func stem(_ word: String) -> String {
        var text = word
        if let plain = text.withUTF8({ stemmedASCII($0) }) { return plain }
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        for ending in ["ches", "shes", "sses", "xes", "zes"] where word.hasSuffix(ending) { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }

    /// `stem` of an ASCII word, worked out on its bytes (each byte a
    /// character of its own); nil for any other word.
    private static func stemmedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        func endsWith(_ ending: StaticString) -> Bool {
            let length = ending.utf8CodeUnitCount
            guard bytes.count >= length else { return false }
            let tail = bytes.count - length
            for index in 0..<length where bytes[tail + index] != ending.utf8Start[index] { return false }
            return true
        }
        func keeping(_ count: Int, adding suffix: String = "") -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[..<count]), as: UTF8.self) + suffix
        }
        guard bytes.count > 3, endsWith("s"), !endsWith("ss"), !endsWith("us"), !endsWith("is") else {
            return keeping(bytes.count)
        }
        if endsWith("ies"), bytes.count > 4 { return keeping(bytes.count - 3, adding: "y") }
        if endsWith("ches") || endsWith("shes") || endsWith("sses") || endsWith("xes") || endsWith("zes") {
            return keeping(bytes.count - 2)
        }
        return keeping(bytes.count - 1)
    }

    /// One significant word of a phrase: its plain form (for matching), the
    /// word as written (for people), and whether it names the thing itself
    /// (it comes before any `linkWords`).
    struct Word: Sendable, Equatable {
        var plain: String
        var written: String
        var isCore: Bool
    }

    /// The significant words of a phrase, each once, in order.
    static func words(_ text: String) -> [Word] {
        var seen: Set<String> = []
        var result: [Word] = []
        var isCore = true
        for word in spaced(normalise(text)) {
            if linkWords.contains(word) {
                if !result.isEmpty { isCore = false }
                continue
            }
            let plain = stem(word)
            // A character takes a byte at least, and in ASCII exactly one.
            let long = plain.utf8.count >= 3 && (plain.utf8.allSatisfy { $0 < 0x80 } || plain.count >= 3)
            guard long, !fillers.contains(plain), !fillers.contains(word),
                  seen.insert(plain).inserted else { continue }
            result.append(Word(plain: plain, written: word, isCore: isCore))
        }
        return result
    }

    /// The words of a normalised phrase, split at its spaces (on the bytes
    /// when it is ASCII, as it almost always is).
    private static func spaced(_ phrase: String) -> [String] {
        var text = phrase
        let split = text.withUTF8 { bytes -> [String]? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return bytes.split(separator: UInt8(ascii: " ")).map { String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self) }
        }
        return split ?? phrase.split(separator: " ").map(String.init)
    }

    /// What matching needs of a gift's or a need's text: its normalised
    /// phrase, its significant words, and the plain forms of its core words.
    struct Analysis {
        var phrase: String
        var words: [Word]
        var core: Set<String>
    }

    /// Suggested connections, best first.
    /// - Parameters:
    ///   - gifts, needs, tags: for each node, its gifts, needs and tag names.
    ///   - titles: for ordering ties.
    ///   - connected: whether two nodes already have a declared connection.
    /// - Complexity: about O(Σ words · assets sharing each word), using an
    ///   index from words to gifts; a phrase offered word for word by many
    ///   assets costs each needer only the `keptPerNeeder` first in title order.
    ///   - titleOrder: the nodes in that order, when the caller knows it already.
    static func suggestions(gifts: [[String]], needs: [[String]], tags: [[String]], titles: [String], slugs: [String],
                            titleOrder: [Int]? = nil, connected: (Int, Int) -> Bool) -> [Suggestion] {
        // Nothing needed, nothing to suggest (and no gift or tag to read).
        guard needs.contains(where: { !$0.isEmpty }) else { return [] }
        // Many assets offer and need the same things in the same words, and
        // carry the same tags: each distinct text is read once.
        var analysed: [String: Analysis] = [:]
        func analysis(_ text: String) -> Analysis {
            if let known = analysed[text] { return known }
            let found = words(text)
            let made = Analysis(phrase: normalise(text), words: found, core: Set(found.filter(\.isCore).map(\.plain)))
            analysed[text] = made
            return made
        }
        // Each node's place in title order (`SiteModel.titleOrder`), worked out once.
        var rank = [Int](repeating: 0, count: titles.count)
        let byTitle = titleOrder ?? {
            let lowered = titles.map { $0.lowercased() }
            return titles.indices.sorted { (lowered[$0], slugs[$0]) < (lowered[$1], slugs[$1]) }
        }()
        for (position, node) in byTitle.enumerated() { rank[node] = position }

        var byPhrase: [String: [(node: Int, gift: Int)]] = [:]
        // The core words of each gift: what is offered, not what it is for.
        var byCoreWord: [String: [(node: Int, gift: Int)]] = [:]
        var giftWords: [[[Word]]] = []
        // The core words of each gift as a set, made once for all the needs it is compared with.
        var giftCores: [[Set<String>]] = []
        for (node, list) in gifts.enumerated() {
            var perGift: [[Word]] = []
            var cores: [Set<String>] = []
            for (position, gift) in list.enumerated() {
                let read = analysis(gift)
                if !read.phrase.isEmpty { byPhrase[read.phrase, default: []].append((node, position)) }
                for word in read.words where word.isCore { byCoreWord[word.plain, default: []].append((node, position)) }
                perGift.append(read.words)
                cores.append(read.core)
            }
            giftWords.append(perGift)
            giftCores.append(cores)
        }
        // The givers of a phrase in title order, where a needer takes the first.
        for phrase in byPhrase.keys {
            byPhrase[phrase]!.sort { (rank[$0.node], $0.gift) < (rank[$1.node], $1.gift) }
        }
        var byTag: [String: [Int]] = [:]
        for (node, list) in tags.enumerated() {
            var seen: Set<String> = []
            for tag in list {
                for word in analysis(tag).words where seen.insert(word.plain).inserted { byTag[word.plain, default: []].append(node) }
            }
        }

        let stride = (gifts.map(\.count).max() ?? 0) + 1
        var result: [Suggestion] = []
        let ordering = Ordering(rank: rank)
        for (needer, list) in needs.enumerated() {
            // The best match with each giver.
            var best: [Int: Suggestion] = [:]
            /// Whether the giver may be suggested to this needer at all.
            @discardableResult
            func offer(_ candidate: Suggestion) -> Bool {
                guard candidate.giver != needer, !connected(needer, candidate.giver) else { return false }
                if let current = best[candidate.giver], current.score >= candidate.score { return true }
                best[candidate.giver] = candidate
                return true
            }
            for need in list {
                let read = analysis(need)
                let phrase = read.phrase
                let needWords = read.words
                if !phrase.isEmpty, let matches = byPhrase[phrase] {
                    // Every one of these scores `samePhraseScore`, which
                    // only a match sharing more than ten words beats, and
                    // they come in title order: once `keptPerNeeder` givers
                    // have had one, a giver after them could only be kept
                    // for a higher score, which this match does not give.
                    var givers = 0, last = -1
                    for match in matches {
                        let suggestion = Suggestion(
                            needer: needer, giver: match.node, need: need, gift: gifts[match.node][match.gift],
                            reason: .same, score: Self.samePhraseScore)
                        guard offer(suggestion), match.node != last else { continue }
                        last = match.node
                        givers += 1
                        if givers == Self.keptPerNeeder { break }
                    }
                }
                // Gifts sharing a core word with the need's core words.
                var candidates: Set<Int> = []
                for word in needWords where word.isCore {
                    guard let matches = byCoreWord[word.plain], matches.count <= Self.commonWordLimit else { continue }
                    for match in matches { candidates.insert(match.node &* stride &+ match.gift) }
                }
                let needCore = read.core
                for key in candidates.sorted() {
                    let node = key / stride, gift = key % stride
                    let offered = giftWords[node][gift]
                    // Two phrases about the same thing but of different kinds
                    // ("storage space", "growing space") do not match: when
                    // each has a core word the other lacks, they differ.
                    let giftCore = giftCores[node][gift]
                    if !needCore.subtracting(giftCore).isEmpty, !giftCore.subtracting(needCore).isEmpty { continue }
                    var shared: [String] = []
                    var score = 0
                    for word in needWords {
                        guard let other = offered.first(where: { $0.plain == word.plain }) else { continue }
                        shared.append(word.written)
                        score += word.isCore && other.isCore ? 10 : 3
                    }
                    offer(Suggestion(needer: needer, giver: node, need: need, gift: gifts[node][gift], reason: .words(shared), score: score))
                }
                // A tag naming what the need is about, its last core word
                // ("live music" → music), when no gift matched and few assets
                // carry the tag (a tag on many says little).
                if !best.values.contains(where: { $0.need == need }), let head = needWords.last(where: \.isCore),
                   let tagged = byTag[head.plain], tagged.count <= Self.distinctiveTagLimit {
                    for node in tagged {
                        offer(Suggestion(needer: needer, giver: node, need: need, gift: nil, reason: .tag(head.written), score: 5))
                    }
                }
            }
            var kept = Array(best.values)
            if kept.count > Self.keptPerNeeder {
                ordering.sort(&kept)
                kept.removeLast(kept.count - Self.keptPerNeeder)
            }
            result.append(contentsOf: kept)
        }
        ordering.sort(&result)
        return result
    }

    /// What a match on the same phrase scores.
    static let samePhraseScore = 100

    /// The order of suggestions, best first: by score, then the needer's
    /// place in title order, then the giver's. No two suggestions share a
    /// needer and a giver, so the order is total.
    struct Ordering {
        let rank: [Int]

        func before(_ a: Suggestion, _ b: Suggestion) -> Bool {
            if a.score != b.score { return a.score > b.score }
            if a.needer != b.needer { return rank[a.needer] < rank[b.needer] }
            return rank[a.giver] < rank[b.giver]
        }

        /// The same order as one number, when the scores and places fit in it.
        private func key(_ suggestion: Suggestion) -> UInt64? {
            let places = UInt64(rank.count)
            guard places < 1 << 21, suggestion.score >= 0, suggestion.score < 1 << 21 else { return nil }
            return UInt64((1 << 21) - 1 - suggestion.score) << 42 | UInt64(rank[suggestion.needer]) << 21 | UInt64(rank[suggestion.giver])
        }

        /// Sorts `suggestions` in this order. Sorting numbers (paired with
        /// positions) moves no text, which matters for the hundreds of
        /// thousands of suggestions of a large directory.
        func sort(_ suggestions: inout [Suggestion]) {
            var keyed: [(key: UInt64, position: Int)] = []
            keyed.reserveCapacity(suggestions.count)
            for (position, suggestion) in suggestions.enumerated() {
                guard let key = key(suggestion) else {
                    suggestions.sort(by: before)
                    return
                }
                keyed.append((key, position))
            }
            keyed.sort { $0.key < $1.key }
            let unsorted = suggestions
            suggestions = keyed.map { unsorted[$0.position] }
        }
    }
}
