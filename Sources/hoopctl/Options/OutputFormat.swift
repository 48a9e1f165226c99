import ArgumentParser

/// `--output`: text for people, JSON for agents and scripts (one document on stdout, errors included); CSV for
/// `exec` results (other commands print text for it).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
    case csv
}
