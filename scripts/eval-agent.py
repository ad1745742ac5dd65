"""Runs a labelled set through `sonic agent parse` and prints intent accuracy, exact-entity
accuracy and every failure; then runs the conversation suite through the planner
(`sonic agent converse`) and prints how many conversations and turns gave the expected card
or question, with every failing turn.
python scripts/eval-agent.py [SET.jsonl ...] [--conversations SCRIPTS.jsonl ...] [--sonic PATH] [--check]

Each SET is measured on its own, with both figures. SET defaults to the development set,
Tests/Fixtures/agent-dev.jsonl (its labelling rules are Tests/Fixtures/agent-labels.md); `make
eval` also measures agent-dev-defi.jsonl and agent-dev-alerts.jsonl (our own DeFi and alert
phrasings, tuned on) and
agent-holdout-own.jsonl to agent-holdout-own-9.jsonl (our own held-out checks, each
written before a round of changes and measured before it; docs/agent.md has the figures). SCRIPTS defaults to
Tests/Fixtures/agent-conversations.jsonl.

--check exits non-zero when a set is below the targets (97 % intents, 93 % exact entities, issue 20) or
when a conversation turn fails."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", default=[str(ROOT / "Tests" / "Fixtures" / "agent-dev.jsonl")])
    parser.add_argument("--conversations", nargs="+", default=[str(ROOT / "Tests" / "Fixtures" / "agent-conversations.jsonl")],
                        help="conversation scripts, each run and totalled on its own line")
    parser.add_argument("--sonic", default=str(ROOT / ".build" / "release" / "sonic"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    below = False
    for path in args.sets:
        intent_rate, entity_rate = measure(args.sonic, path)
        below = below or intent_rate < 0.97 or entity_rate < 0.93
    conversations_ok = all([converse(args.sonic, path) for path in args.conversations])
    if args.check and (below or not conversations_ok):
        return 1
    return 0


def measure(sonic: str, path: str) -> tuple[float, float]:
    """Prints a set's failures and its two figures; returns intent and exact-entity accuracy."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    texts = "\n".join(row["text"].replace("\n", " ") for row in rows) + "\n"
    output = subprocess.run([sonic, "agent", "parse"], input=texts, capture_output=True, text=True, check=True).stdout
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
    print(f"{Path(path).name}: intent accuracy {intents}/{total} = {intent_rate:.1%} (target 97%), "
          f"exact entities {entities}/{total} = {entity_rate:.1%} (target 93%), {len(failures)} failures")
    return intent_rate, entity_rate


def converse(sonic: str, scripts: str) -> bool:
    """Prints the conversation suite's failing turns and its totals; True when all pass."""
    run = subprocess.run([sonic, "agent", "converse", scripts], capture_output=True, text=True)
    if run.returncode not in (0, 1) or not run.stdout.strip():
        print(f"conversation suite: sonic agent converse failed: {run.stderr.strip()}")
        return False
    *reports, summary = [json.loads(line) for line in run.stdout.splitlines()]
    for report in reports:
        for turn in report["turns"]:
            if "problem" in turn:
                print(f"- {report['name']}: {turn['say']!r}\n    {turn['problem']}\n    got {json.dumps(turn['action'], sort_keys=True)}")
    print(f"{Path(scripts).name}: conversation suite {summary['passed']}/{summary['conversations']} conversations, "
          f"{summary['turns_passed']}/{summary['turns']} turns as expected (target: all)")
    return summary["turns_passed"] == summary["turns"]


if __name__ == "__main__":
    sys.exit(main())
