/// A program's option syntax in getopt_long's terms: which short letters and long names take a value. Reading a
/// command line with it tells which options are set, however they are spelled — clustered (`-rf`), split (`-r -f`),
/// long (`--recursive`), abbreviated to a unique prefix the way GNU getopt_long accepts (`--rec`), with `=value` or
/// the value in the next word — and where the operands begin, `--` ending the options.
struct OptionGrammar: Sendable {
    /// Short letters and long names whose value is the rest of the cluster or the next word.
    var valued: Set<String> = []
    /// Options that take no value (a long one may still carry an optional `=value`).
    var flags: Set<String> = []
    /// Wrappers stop at their first operand, which is the command they run (getopt's `+`); GNU tools otherwise
    /// permute, so `rm x -r` is recursive.
    var stopsAtOperand = false
    /// `nice -10`, `kill -9`: a dash and digits is an option, not an operand.
    var numericOptions = false

    /// What `arguments` (the words after the program's name) set.
    func read(_ arguments: ArraySlice<String>) -> ReadOptions {
        var read = ReadOptions(firstOperand: arguments.endIndex)
        var index = arguments.startIndex
        var operandsOnly = false
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            if operandsOnly || word == "-" || !word.hasPrefix("-") {
                read.operands.append(index - 1)
                if stopsAtOperand {
                    read.firstOperand = index - 1
                    return read
                }
                continue
            }
            if word == "--" {
                operandsOnly = true
                if stopsAtOperand {
                    read.firstOperand = index
                    return read
                }
                continue
            }
            if numericOptions, word.dropFirst().allSatisfy(\.isNumber) {
                read.names.insert(String(word.dropFirst()))
                continue
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                guard let long = resolve(long: name) else {
                    // Named as written, so a classifier without a full grammar still sees `--install`.
                    read.names.insert(name)
                    read.problems.append(word)
                    continue
                }
                read.names.insert(long)
                if let equals = body.firstIndex(of: "=") {
                    read.values[long] = String(body[body.index(after: equals)...])
                } else if valued.contains(long), index < arguments.endIndex {
                    read.values[long] = arguments[index]
                    index += 1
                }
                continue
            }
            var letters = word.dropFirst()
            while let letter = letters.first.map(String.init) {
                letters = letters.dropFirst()
                read.names.insert(letter)
                if valued.contains(letter) {
                    if !letters.isEmpty {
                        read.values[letter] = String(letters)
                    } else if index < arguments.endIndex {
                        read.values[letter] = arguments[index]
                        index += 1
                    }
                    break
                }
                if !flags.contains(letter) { read.problems.append("-\(letter)") }
            }
        }
        return read
    }

    /// The long option `name` stands for: itself, or the one known long option it is a prefix of.
    private func resolve(long name: String) -> String? {
        let known = valued.union(flags).filter { $0.count > 1 }
        if known.contains(name) { return name }
        let candidates = known.filter { $0.hasPrefix(name) }
        return !name.isEmpty && candidates.count == 1 ? candidates.first : nil
    }
}

/// The options a command line sets and where its operands are.
struct ReadOptions: Sendable {
    /// Short letters and full long names, abbreviations resolved.
    var names: Set<String> = []
    var values: [String: String] = [:]
    /// Indices of the operands in the arguments.
    var operands: [Int] = []
    /// With `stopsAtOperand`: where the command begins (the end when there is none).
    var firstOperand: Int
    /// Options the grammar does not know, or ambiguous abbreviations: a wrapper with one is not seen through.
    var problems: [String] = []

    func has(_ names: String...) -> Bool { names.contains { self.names.contains($0) } }
}
