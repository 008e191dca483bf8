import Testing
import Content
import Diagnostics
import Templates
@testable import Site

/// Parts of `directory.json` written without a `Value`, checked against the value's bytes.
@Suite struct DirectoryPartsTests {
    @Test(arguments: [
        [],
        [("phone", "1")],
        [("website", "w"), ("phone", "1"), ("email", "e")],
        [("phone", "1"), ("email", "e"), ("phone", "2 <&> \"x\"")],
        [("é-mail", "a"), ("email", "b"), ("Zed", "c"), ("zed", "d"), ("é-mail", "e")],
    ] as [[(String, String)]])
    func contactIsWrittenAsItsObject(lines: [(String, String)]) {
        let contact = lines.map { ContactEntry(key: $0.0, value: $0.1) }
        var object: Object = [:]
        for entry in contact { object[entry.key] = .string(entry.value) }
        var expected: [UInt8] = []
        DataJSON.write(contact.isEmpty ? .null : .object(object), pretty: false, lineDepth: 0, depth: 0, into: &expected)
        var written: [UInt8] = []
        OpenDataSection.writeContact(contact, into: &written)
        #expect(written == expected)
    }

    @Test(arguments: [nil, ImageRef(src: "a.jpg", alt: "A <b> \"c\""), ImageRef(src: "", alt: "")])
    func imageIsWrittenAsItsValue(image: ImageRef?) {
        var expected: [UInt8] = []
        DataJSON.write(Views.image(image), pretty: false, lineDepth: 0, depth: 0, into: &expected)
        var written: [UInt8] = []
        OpenDataSection.writeImage(image, into: &written)
        #expect(written == expected)
    }

    @Test func keysAndNumbersAreWrittenAsTheirValues() {
        var written: [UInt8] = []
        var object = DataJSONObject(into: &written)
        object.field("a", number: 53.8, into: &written)
        object.field("b", number: -4, into: &written)
        object.field("c", number: .nan, into: &written)
        object.field("d", text: nil, into: &written)
        object.field("e_f", strings: ["x", "<"], into: &written)
        object.end(into: &written)
        let value: Value = .object(["a": .double(53.8), "b": .double(-4), "c": .double(.nan), "d": .null, "e_f": .array(["x", "<"])])
        #expect(written == DataJSON.bytes(value).dropLast())
    }
}

/// What may be published of an asset's contact details.
@Suite struct PublicFactsTests {
    static let contacts: [[(String, String)]] = [
        [],
        [("email", "a@example.org"), ("phone", "1"), ("website", "https://a.example.org/")],
        [("website", "ftp://files.example.org"), ("website", "  http://b.example.org  "), ("email", "")],
        [("website", "javascript:alert(1)"), ("phone", ""), ("phone", "2"), ("instagram", "@a")],
        [("website", "https://x.example.org/a b"), ("WEBSITE", "https://y.example.org"), ("email", "e")],
    ]

    @Test(arguments: contacts, ["space", "individual"])
    func oneFactIsTheFirstPublicLineWithItsKey(lines: [(String, String)], type: String) {
        for publicContact in [false, true] {
            let asset = Asset(
                slug: "a", sourcePath: "content/assets/a.md", source: SourceFile(path: "content/assets/a.md", text: ""),
                title: "A", type: type, summary: "s", address: "1 High Street", geo: Geo(lat: 1, lon: 2),
                contact: lines.map { ContactEntry(key: $0.0, value: $0.1) }, publicContact: publicContact)
            let facts = PublicFacts(asset)
            let isPublic = type != "individual" || publicContact
            // The list: every line but a website that is not a web address, and nothing for a private person.
            let expected = isPublic ? lines.filter { $0.0 != "website" || PublicFacts.webAddress($0.1) != nil } : []
            #expect(facts.contact.map { $0.key } == expected.map { $0.0 })
            #expect(facts.contact.map { $0.value } == expected.map { $0.1 })
            for key in ["email", "phone", "website", "instagram", "WEBSITE", "fax"] {
                let first = expected.first { $0.0 == key }.map { $0.1 }
                #expect(facts.contact(key) == (first?.isEmpty == false ? first : nil), "\(key) of \(lines)")
            }
            #expect(facts.website == expected.first { $0.0 == "website" }.flatMap { PublicFacts.webAddress($0.1) })
            #expect(facts.address == (isPublic ? "1 High Street" : nil))
            #expect((facts.geo != nil) == isPublic)
        }
    }
}
