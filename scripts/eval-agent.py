"""Runs a labelled set through `sonic agent parse` and prints intent accuracy, exact-entity
accuracy and every failure.  python scripts/eval-agent.py [SET.jsonl] [--sonic PATH] [--check]

SET defaults to the development set, Tests/Fixtures/agent-dev.jsonl (its labelling rules are
Tests/Fixtures/agent-labels.md).

--check exits non-zero below the targets (95 % intents, 90 % exact entities)."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("set", nargs="?", default=str(ROOT / "Tests" / "Fixtures" / "agent-dev.jsonl"))
    parser.add_argument("--sonic", default=str(ROOT / ".build" / "release" / "sonic"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.set).read_text().splitlines() if line.strip()]
    texts = "\n".join(row["text"].replace("\n", " ") for row in rows) + "\n"
    output = subprocess.run([args.sonic, "agent", "parse"], input=texts, capture_output=True, text=True, check=True).stdout
    answers = [json.loads(line) for line in output.splitlines()]
    intents = entities = 0
    failures = []
    for row, answer in zip(rows, answers):
        intent_ok = answer["intent"] == row["intent"]
        entities_ok = answer["entities"] == row["entities"]
        intents += intent_ok
        entities += entities_ok
        if not (intent_ok and entities_ok):
            failures.append((row, answer))
    total = len(rows)
    for row, answer in failures:
        print(f"- {row['text']!r}\n    expected {row['intent']} {json.dumps(row['entities'], sort_keys=True)}"
              f"\n    got      {answer['intent']} {json.dumps(answer['entities'], sort_keys=True)}")
    intent_rate, entity_rate = intents / total, entities / total
    print(f"intent accuracy {intents}/{total} = {intent_rate:.1%} (target 95%), "
          f"exact entities {entities}/{total} = {entity_rate:.1%} (target 90%), {len(failures)} failures")
    if args.check and (intent_rate < 0.95 or entity_rate < 0.90):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
