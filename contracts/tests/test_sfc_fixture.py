"""The devnet's SFC and ConstantsManager against sonic-sfc's interface, as extracted once into
Tests/Fixtures/sonic-sfc-v4.0.x.json (scripts/sfc-fixture.py): every function we have carries the
source's selector, arguments, return tuple in order and mutability; every event its signature
and indexed fields; every failure the source's custom-error selector."""

import json
import re

import pytest

from conftest import BUILD, ROOT

FIXTURE = json.loads((ROOT / "Tests" / "Fixtures" / "sonic-sfc-v4.0.x.json").read_text())
# What a delegator, a staking page and the devnet's epoch sealing use: all must be present.
REQUIRED = {
    "delegate", "undelegate", "withdraw", "claimRewards", "restakeRewards", "stashRewards", "pendingRewards",
    "rewardsStash", "getStake", "getSelfStake", "getWithdrawalRequest", "getValidator", "getValidatorID",
    "lastValidatorID", "currentEpoch", "currentSealedEpoch", "getEpochSnapshot", "getEpochValidatorIDs",
    "epochEndTime", "constsAddress", "version", "totalStake", "totalActiveStake", "sealEpoch", "sealEpochValidators",
}
OURS_ONLY = {"owner"}  # OwnableUpgradeable's, outside SFC.sol


def abi(name):
    return json.loads((BUILD / f"{name}.json").read_text())["abi"]


def signature(entry):
    return f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"


@pytest.mark.parametrize("contract", ["SFC", "ConstantsManager"])
def test_functions_match_the_source(contract):
    source = {f["signature"]: f for f in FIXTURE[contract]["functions"]}
    ours = [e for e in abi(contract) if e["type"] == "function"]
    for entry in ours:
        if entry["name"] in OURS_ONLY:
            continue
        assert signature(entry) in source, f"{signature(entry)} is not in sonic-sfc's {contract}"
        expected = source[signature(entry)]
        assert [o["type"] for o in entry["outputs"]] == [o["type"] for o in expected["outputs"]], signature(entry)
        assert entry["stateMutability"] == expected["stateMutability"], signature(entry)
    if contract == "SFC":
        assert REQUIRED <= {e["name"] for e in ours}


def test_tuples_are_in_sonics_order():
    source = {f["name"]: f for f in FIXTURE["SFC"]["functions"]}
    assert [o["name"] for o in source["getValidator"]["outputs"]] == [
        "status", "receivedStake", "auth", "createdEpoch", "createdTime", "deactivatedTime", "deactivatedEpoch"]
    assert [o["name"] for o in source["getWithdrawalRequest"]["outputs"]] == ["epoch", "time", "amount"]
    assert [o["name"] for o in source["getEpochSnapshot"]["outputs"]] == [
        "endTime", "endBlock", "epochFee", "baseRewardPerSecond", "totalStake", "totalSupply"]


def test_events_match_the_source():
    source = {e["signature"]: e for e in FIXTURE["SFC"]["events"]}
    for entry in (e for e in abi("SFC") if e["type"] == "event"):
        assert signature(entry) in source, signature(entry)
        assert [bool(i.get("indexed")) for i in entry["inputs"]] == [
            bool(i.get("indexed")) for i in source[signature(entry)]["inputs"]], signature(entry)
    delegator_events = {"Delegated", "Undelegated", "Withdrawn", "ClaimedRewards", "RestakedRewards"}
    assert delegator_events <= {e["name"] for e in abi("SFC") if e["type"] == "event"}


def test_every_failure_is_a_custom_error_of_the_source():
    errors = {e["signature"] for e in FIXTURE["SFC"]["errors"]}
    failures = set(re.findall(r'_fail\("(\w+\(\))"\)', (ROOT / "contracts" / "SFC.vy").read_text()))
    assert failures and failures <= errors, failures - errors


def test_devnet_reports_the_sources_version(w3):
    sfc = w3.eth.contract(address="0xFC00FACE00000000000000000000000000000000", abi=abi("SFC"))
    assert "0x" + sfc.functions.version().call().hex() == FIXTURE["source"]["versionBytes3"]
