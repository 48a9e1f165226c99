"""The benchmark suite's parts: the stack it starts, what it measures, and how it reports."""
