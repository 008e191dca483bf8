// libFuzzer entry for the front-matter splitter (Sources/Content/FrontMatter.swift).
// Built by scripts/fuzz.sh together with that one file: any byte string must
// split without crashing, and a successful split must describe the text it
// came from exactly (offsets, lines and the text of each part).

@_cdecl("LLVMFuzzerTestOneInput")
public func frontMatterFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let bytes = Array(text.utf8)
    switch FrontMatter.split(text) {
    case .success(let parts):
        checkSplit(parts, of: bytes)
    case .failure(.empty):
        let start = hasByteOrderMark(bytes) ? 3 : 0
        require(bytes[start...].allSatisfy(isBlank), "`empty` for a file that has text")
    case .failure(.missingOpening(let offset)):
        require(offset == (hasByteOrderMark(bytes) ? 3 : 0), "missingOpening at \(offset)")
    case .failure(.unclosed(let offset)):
        require(offset == (hasByteOrderMark(bytes) ? 3 : 0), "unclosed at \(offset)")
    }
    return 0
}

private func checkSplit(_ parts: FrontMatter.Parts, of bytes: [UInt8]) {
    let count = bytes.count
    require(parts.openingOffset == (hasByteOrderMark(bytes) ? 3 : 0), "opening at \(parts.openingOffset)")
    require(parts.openingOffset < parts.yamlStartOffset, "YAML starts before the opening line ends")
    require(parts.yamlStartOffset <= parts.closingOffset, "YAML ends before it starts")
    require(parts.closingOffset + 3 <= count, "closing delimiter past the end")
    require(parts.closingOffset < parts.bodyStartOffset || parts.bodyStartOffset == count, "body starts inside the delimiter")
    require(parts.bodyStartOffset <= count, "body starts past the end")
    let mark = bytes[parts.closingOffset]
    require(mark == UInt8(ascii: "-") || mark == UInt8(ascii: "."), "closing delimiter is not --- or ...")
    require(bytes[parts.closingOffset..<(parts.closingOffset + 3)].allSatisfy { $0 == mark }, "closing delimiter is not three marks")
    require(parts.closingOffset == parts.yamlStartOffset || bytes[parts.closingOffset - 1] == UInt8(ascii: "\n"),
            "closing delimiter does not start a line")
    require(Array(parts.yaml.utf8) == Array(bytes[parts.yamlStartOffset..<parts.closingOffset]), "yaml is not the text between the delimiters")
    require(Array(parts.body.utf8) == Array(bytes[parts.bodyStartOffset...]), "body is not the rest of the text")
    require(parts.yamlStartLine == 2, "YAML starts on line \(parts.yamlStartLine)")
    let newlines = bytes[..<parts.closingOffset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    require(parts.closingLine == newlines + 1, "closing line \(parts.closingLine), expected \(newlines + 1)")
    require(parts.bodyStartLine == parts.closingLine + 1, "body line \(parts.bodyStartLine)")
}

private func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
}

private func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
}

/// Stops the fuzzer with a message: libFuzzer keeps the input as a crasher.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("FrontMatter.split: " + message()) }
}
