"""Prints the conformance suite's counts in pytest's terminal summary (above the final line)."""


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in getattr(config, "_conformance_summary", []):
        terminalreporter.write_line(line)
