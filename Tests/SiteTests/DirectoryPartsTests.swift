import Testing
import Content
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
