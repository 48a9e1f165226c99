import FuzzSupport

/// One libFuzzer input: MySQL SQL text, analysed as a client statement; `checkSQL` says what must hold. Text that
/// is not UTF-8 is skipped: the broker refuses it before analysis.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSQLMySQL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    guard let sql = input.restUTF8() else { return 0 }
    checkSQL(sql, dialect: .mysql)
    return 0
}
