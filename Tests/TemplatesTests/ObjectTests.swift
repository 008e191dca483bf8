import Foundation
import Testing
@testable import Templates

@Suite struct ObjectTests {
    @Test func literalsKeepTheirOrderAndLaterEntriesWin() {
        let name = "b"
        let object: Object = ["c": 1, "a": 2, name: 3, "a": 4]
        #expect(object.keys == ["c", "a", "b"])
        #expect(object.values == [.int(1), .int(4), .int(3)])
        #expect(object["a"] == .int(4))
        #expect(object["z"] == nil)
    }

    @Test func aDictionaryGivesItsFieldsInNameOrder() {
        let object = Object(["b": 1, "a": 2, "c": 3])
        #expect(object.keys == ["a", "b", "c"])
        #expect(object.sortedByName().map(\.key) == ["a", "b", "c"])
    }

    @Test func equalityIgnoresTheOrderOfFields() {
        let one: Object = ["a": 1, "b": "x"]
        let other: Object = ["b": "x", "a": 1]
        #expect(one == other)
        #expect(one != ["a": 1, "b": "y"])
        #expect(one != ["a": 1])
        #expect(one != ["a": 1, "c": "x"])
        #expect(Value.object(one).looselyEquals(.object(["b": .safe("x"), "a": 1.0])))
    }

    /// Objects written with the same names share them; changing one, by
    /// setting, adding, removing or merging fields, leaves the others as they were.
    @Test func changingAnObjectLeavesThoseSharingItsNamesAlone() {
        func make(_ number: Int) -> Object { ["slug": .int(number), "title": "t", "url": "u"] }
        let first = make(1)
        var second = make(2)
        var third = make(3)
        var fourth = make(4).sharingNames()
        second["title"] = "changed"
        third["extra"] = true
        third["url"] = nil
        fourth.merge(["slug": 40, "more": 5])
        #expect(first.keys == ["slug", "title", "url"])
        #expect(first.values == [.int(1), .string("t"), .string("u")])
        #expect(second.keys == ["slug", "title", "url"] && second["title"] == .string("changed"))
        #expect(third.keys == ["slug", "title", "extra"] && third["extra"] == .bool(true) && third["url"] == nil)
        #expect(fourth.keys == ["slug", "title", "url", "more"] && fourth["slug"] == .int(40))
        #expect(make(5)["title"] == .string("t") && make(5).count == 3)
    }

    /// An object past the size searched name by name finds its fields
    /// through positions, before and after fields are added or removed.
    @Test func largeObjectsFindEveryField() {
        var object: Object = [:]
        for number in 0..<90 { object["key\(number)"] = .int(number) }
        #expect((0..<90).allSatisfy { object["key\($0)"] == .int($0) })
        object["key10"] = nil
        object["key90"] = 90
        #expect(object["key10"] == nil && object["key11"] == .int(11) && object["key90"] == .int(90))
        #expect(object.count == 90)
        #expect(object.keys.last == "key90")
    }

    /// Names added one by one grow in place only while one object holds
    /// them: a copy taken between two additions keeps its own fields.
    @Test func copiesTakenWhileFieldsAreAddedKeepTheirFields() {
        var object: Object = [:]
        var copies: [Object] = []
        for number in 0..<80 {
            object["key\(number)"] = .int(number)
            if number % 7 == 0 { copies.append(object) }
        }
        #expect(object.count == 80 && object["key79"] == .int(79))
        for (index, copy) in copies.enumerated() {
            let count = index * 7 + 1
            #expect(copy.count == count)
            #expect(copy.keys == (0..<count).map { "key\($0)" })
            #expect(copy["key\(count)"] == nil)
            #expect(copy["key\(count - 1)"] == .int(count - 1))
        }
    }

    /// Objects given the same names in the same order, field by field or by
    /// merging, end with one list of names between them, even when built
    /// on many threads at once; other orders get lists of their own.
    @Test func objectsBuiltTheSameWayShareTheirNames() {
        @Sendable func build(_ number: Int) -> Object {
            var object: Object = ["slug": .int(number)]
            let names = ["title", "url", "summary"]
            for name in number % 2 == 1 ? names.reversed() : names { object[name] = .string("\(name) \(number)") }
            object.merge(["body": "b", "title": "replaced"])
            return object
        }
        final class Built: @unchecked Sendable {
            let lock = NSLock()
            var objects = [Object?](repeating: nil, count: 64)
        }
        let slots = Built()
        DispatchQueue.concurrentPerform(iterations: 64) { number in
            let object = build(number)
            slots.lock.withLock { slots.objects[number] = object }
        }
        let built = slots.objects.map { $0! }
        for (number, object) in built.enumerated() {
            let order = number % 2 == 1 ? ["slug", "summary", "url", "title", "body"] : ["slug", "title", "url", "summary", "body"]
            #expect(object.keys == order)
            #expect(object["slug"] == .int(number) && object["title"] == .string("replaced"))
            #expect(object["url"] == .string("url \(number)") && object["body"] == .string("b"))
        }
        #expect(built.allSatisfy { $0.shape === built[$0.keys[1] == "title" ? 0 : 1].shape })
        #expect(built[0].shape !== built[1].shape)
    }

    @Test func sharingNamesKeepsTheFields() {
        var object: Object = ["a": 1]
        object.merge(["b": 2, "c": 3])
        let shared = object.sharingNames()
        #expect(shared == object)
        #expect(shared.keys == ["a", "b", "c"])
        #expect(Object().sharingNames().isEmpty)
    }
}
