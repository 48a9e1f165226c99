/// Stops the run when a property of the code under test does not hold. libFuzzer reports the trap as a crash and
/// saves the input that caused it, so a broken invariant is found and kept like any other crash.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard condition else { fatalError("invariant broken: \(message())") }
}
