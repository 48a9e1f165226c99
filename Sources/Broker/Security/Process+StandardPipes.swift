import Foundation

extension Process {
    /// The three pipes a child the broker talks to needs (its input, output and error streams), attached before it
    /// runs: the audit signing command and a stdio MCP upstream are both driven this way.
    func attachStandardPipes() -> (input: Pipe, output: Pipe, errors: Pipe) {
        let pipes = (input: Pipe(), output: Pipe(), errors: Pipe())
        standardInput = pipes.input
        standardOutput = pipes.output
        standardError = pipes.errors
        return pipes
    }
}
