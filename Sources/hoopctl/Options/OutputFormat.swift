import ArgumentParser

/// `--output`: text for people, JSON for agents and scripts (one document on stdout, errors included).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}
