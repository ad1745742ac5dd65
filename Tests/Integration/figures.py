"""What the fault and bad-input tests measured, printed as one table when the run ends
(conftest.py), so `make reliability` (and `make test`) show each fault's figure together."""

FIGURES: list[tuple[str, str]] = []


def figure(what: str, result: str):
    """Records `result` for the fault or input class `what`."""
    FIGURES.append((what, result))
