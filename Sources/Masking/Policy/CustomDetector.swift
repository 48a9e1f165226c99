/// An operator-defined detector: values matching `pattern` are masked with `strategy` and labelled with the
/// upper-cased name (`employee_id` -> `[EMPLOYEE_ID]`, counted as `custom:employee_id`).
package struct CustomDetector: Sendable {
    /// Lower-case identifier (`[a-z][a-z0-9_]*`), used for the label and the summary key.
    package var name: String
    /// A Swift `Regex` pattern, compiled once when the policy is built.
    package var pattern: String
    /// The strategy applied to each match.
    package var strategy: MaskingStrategy

    package init(name: String, pattern: String, strategy: MaskingStrategy) {
        self.name = name
        self.pattern = pattern
        self.strategy = strategy
    }
}
