"""A local stand-in for KyberSwap's aggregator API (v1), the one paid-for-by-others service the
swap tests cannot reach. It checks every request against the shape KyberSwap documents
(docs.kyberswap.com, "EVM Swaps" OpenAPI: GET /{chain}/api/v1/routes with the X-Client-Id
header and tokenIn, tokenOut, amountIn; POST /{chain}/api/v1/route/build with routeSummary
exactly as it was answered, sender, recipient, slippageTolerance in basis points and a
deadline) and refuses any other with KyberSwap's {code, message, requestId} error. Its routes
are the devnet's own V2 router priced by `factor` (a test makes it claim better or worse than
the router), and the transactions it builds call that router, so they simulate and run on the
devnet as a real aggregator's would on Sonic."""

from __future__ import annotations

import copy
import json
import re
import uuid
from urllib.parse import parse_qsl, urlsplit

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from fakes import JSONHandler, serve

NATIVE = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"
ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
# What GET /routes takes besides the three required (the documented optional parameters).
ROUTE_PARAMETERS = {"tokenIn", "tokenOut", "amountIn", "includedSources", "excludedSources", "excludeRFQSources",
                    "onlyScalableSources", "onlyDirectPools", "onlySinglePath", "gasInclude", "gasPrice", "feeAmount",
                    "chargeFeeBy", "isInBps", "feeReceiver", "origin"}
BUILD_FIELDS = {"routeSummary", "sender", "recipient", "origin", "permit", "deadline", "slippageTolerance",
                "ignoreCappedSlippage", "enableGasEstimation", "source", "referral"}


class FakeKyberSwap:
    def __init__(self, stack, router: str, wrapped: str, chain: str = "sonic"):
        self.stack, self.router, self.wrapped, self.chain = stack, router, wrapped, chain
        self.factor = (1000, 1000)  # claimed amountOut = the router's × factor[0] / factor[1]
        self.answer_router = router  # the routerAddress it names
        self.failing = False  # answer 500 to everything
        self.extra_value = 0  # wei asked for with the built transaction beyond what goes in
        self.requests = []  # (method, path, query or body, headers with lower-case names) of every request, refused ones too
        self.refusals = []  # why requests were refused (a test asserts there were none)
        self.issued = {}  # routeID -> the routeSummary answered
        fake = self

        class Handler(JSONHandler):
            def do_GET(self):
                fake.handle(self, "GET")

            def do_POST(self):
                fake.handle(self, "POST")

        self.server, self.url = serve(Handler)

    def stop(self):
        self.server.shutdown()

    # The exchange

    def handle(self, handler, method):
        parts = urlsplit(handler.path)
        body = handler.body() if method == "POST" else None
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.requests.append((method, parts.path, query if method == "GET" else body, {k.lower(): v for k, v in handler.headers.items()}))
        if self.failing:
            return handler.answer(500, {"code": 5000, "message": "internal server error", "requestId": "fake"})
        try:
            if not handler.headers.get("X-Client-Id"):
                raise Refused(4001, "X-Client-Id header is required")
            if method == "GET" and parts.path == f"/{self.chain}/api/v1/routes":
                return handler.answer(200, self.route(query))
            if method == "POST" and parts.path == f"/{self.chain}/api/v1/route/build":
                if not handler.headers.get("Content-Type", "").startswith("application/json"):
                    raise Refused(4001, "Content-Type must be application/json")
                return handler.answer(200, self.build(json.loads(body)))
            raise Refused(4040, f"no {method} {parts.path}")
        except Refused as refused:
            self.refusals.append(refused.message)
            return handler.answer(400 if refused.code != 4040 else 404,
                                  {"code": refused.code, "message": refused.message, "requestId": uuid.uuid4().hex})

    # GET /routes

    def route(self, query):
        unknown = set(query) - ROUTE_PARAMETERS
        if unknown:
            raise Refused(4001, f"unknown parameters {sorted(unknown)}")
        for name in ("tokenIn", "tokenOut"):
            if not ADDRESS.match(query.get(name, "")):
                raise Refused(4001, f"{name} must be a token address or {NATIVE}")
        if not re.fullmatch(r"[1-9][0-9]*", query.get("amountIn", "")):
            raise Refused(4001, "amountIn must be a positive integer in wei")
        token_in, token_out, amount_in = query["tokenIn"], query["tokenOut"], int(query["amountIn"])
        out = self.router_out(token_in, token_out, amount_in) * self.factor[0] // self.factor[1]
        route_id = uuid.uuid4().hex
        summary = {
            "tokenIn": token_in.lower(), "amountIn": str(amount_in), "amountInUsd": "0.5", "tokenOut": token_out.lower(),
            "amountOut": str(out), "amountOutUsd": "0.49", "gas": "180000", "gasPrice": "1000000000", "gasUsd": "0.0001",
            "l1FeeUsd": "0", "extraFee": {"feeAmount": "", "chargeFeeBy": "", "isInBps": False, "feeReceiver": ""},
            "route": [[{"pool": "0x" + "ab" * 20, "tokenIn": token_in.lower(), "tokenOut": token_out.lower(), "swapAmount": str(amount_in),
                        "amountOut": str(out), "exchange": "spookyswap", "poolType": "uniswap-v2", "poolExtra": {"fee": 3000},
                        "extra": {"nested": [1, 2.5, None]}}]],
            "routeID": route_id, "checksum": "1234567890", "timestamp": "1765000000",
        }
        self.issued[route_id] = copy.deepcopy(summary)
        return {"code": 0, "message": "successfully", "data": {"routeSummary": summary, "routerAddress": self.answer_router},
                "requestId": uuid.uuid4().hex}

    def router_out(self, token_in, token_out, amount_in):
        path = [self.wrapped if token_in == NATIVE else token_in, self.wrapped if token_out == NATIVE else token_out]
        data = function_signature_to_4byte_selector("getAmountsOut(uint256,address[])") + encode(
            ["uint256", "address[]"], [amount_in, [to_checksum_address(a) for a in path]])
        raw = self.stack.rpc("eth_call", {"to": self.router, "data": "0x" + data.hex()}, "latest")
        return int(raw[-64:], 16)

    # POST /route/build

    def build(self, body):
        unknown = set(body) - BUILD_FIELDS
        if unknown:
            raise Refused(4001, f"unknown fields {sorted(unknown)}")
        for name in ("routeSummary", "sender", "recipient"):
            if name not in body:
                raise Refused(4001, f"{name} is required")
        summary = body["routeSummary"]
        if not isinstance(summary, dict) or self.issued.get(summary.get("routeID")) != summary:
            raise Refused(4008, "routeSummary must be sent back exactly as the route answer gave it")
        for name in ("sender", "recipient"):
            if not ADDRESS.match(str(body[name])):
                raise Refused(4001, f"{name} must be an address")
        slippage = body.get("slippageTolerance")
        if not isinstance(slippage, (int, float)) or isinstance(slippage, bool) or not 0 <= slippage <= 2000:
            raise Refused(4011, "slippageTolerance is in basis points, from 0 to 2000")
        deadline = body.get("deadline")
        if not isinstance(deadline, int) or isinstance(deadline, bool) or deadline <= 0:
            raise Refused(4001, "deadline is a Unix time in seconds")
        amount_in, out = int(summary["amountIn"]), int(summary["amountOut"])
        minimum = out * (10_000 - int(slippage)) // 10_000
        token_in, token_out = summary["tokenIn"], summary["tokenOut"]
        recipient = to_checksum_address(body["recipient"])
        native_in, native_out = token_in == NATIVE.lower(), token_out == NATIVE.lower()
        path = [to_checksum_address(self.wrapped if native_in else token_in), to_checksum_address(self.wrapped if native_out else token_out)]
        if native_in:
            data = function_signature_to_4byte_selector("swapExactETHForTokens(uint256,address[],address,uint256)") + encode(
                ["uint256", "address[]", "address", "uint256"], [minimum, path, recipient, deadline])
        else:
            name = "swapExactTokensForETH" if native_out else "swapExactTokensForTokens"
            data = function_signature_to_4byte_selector(f"{name}(uint256,uint256,address[],address,uint256)") + encode(
                ["uint256", "uint256", "address[]", "address", "uint256"], [amount_in, minimum, path, recipient, deadline])
        return {"code": 0, "message": "successfully", "data": {
            "amountIn": str(amount_in), "amountInUsd": "0.5", "amountOut": str(out), "amountOutUsd": "0.49", "gas": "180000",
            "gasUsd": "0.0001", "data": "0x" + data.hex(), "routerAddress": self.answer_router,
            "transactionValue": str((amount_in if native_in else 0) + self.extra_value)}, "requestId": uuid.uuid4().hex}


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message
