# pragma version ~=0.4.3
"""
@title Chainlink-style price feed for the devnet (S / USD)
@notice AggregatorV3Interface's reads (`latestRoundData`, `getRoundData`, `decimals`,
        `description`, `version`) over answers that the owner sets: `setAnswer(answer)` starts a
        new round updated now, `setRound(answer, updatedAt)` one updated at a given time, so
        tests can make the feed stale. Rounds count up from 1; older rounds stay readable.
"""

decimals: public(uint8)
description: public(String[32])
version: public(constant(uint256)) = 4
owner: public(address)
latestRound: public(uint80)
answers: HashMap[uint80, int256]
updatedAts: HashMap[uint80, uint256]

event AnswerUpdated:
    current: indexed(int256)
    roundId: indexed(uint256)
    updatedAt: uint256


@deploy
def __init__(owner: address, decimals_: uint8, description_: String[32], answer: int256):
    self.owner = owner
    self.decimals = decimals_
    self.description = description_
    self._set(answer, block.timestamp)


@external
def setAnswer(answer: int256):
    assert msg.sender == self.owner, "PriceFeed: not the owner"
    self._set(answer, block.timestamp)


@external
def setRound(answer: int256, updatedAt: uint256):
    assert msg.sender == self.owner, "PriceFeed: not the owner"
    assert updatedAt <= block.timestamp, "PriceFeed: updatedAt is in the future"
    self._set(answer, updatedAt)


@external
@view
def latestAnswer() -> int256:
    return self.answers[self.latestRound]


@external
@view
def latestRoundData() -> (uint80, int256, uint256, uint256, uint80):
    return self._round(self.latestRound)


@external
@view
def getRoundData(roundId: uint80) -> (uint80, int256, uint256, uint256, uint80):
    assert roundId != 0 and roundId <= self.latestRound, "No data present"
    return self._round(roundId)


@internal
@view
def _round(roundId: uint80) -> (uint80, int256, uint256, uint256, uint80):
    updated: uint256 = self.updatedAts[roundId]
    return roundId, self.answers[roundId], updated, updated, roundId


@internal
def _set(answer: int256, updatedAt: uint256):
    round_id: uint80 = self.latestRound + 1
    self.latestRound = round_id
    self.answers[round_id] = answer
    self.updatedAts[round_id] = updatedAt
    log AnswerUpdated(current=answer, roundId=convert(round_id, uint256), updatedAt=updatedAt)
