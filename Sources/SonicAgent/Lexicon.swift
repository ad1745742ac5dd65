/// The words the parser knows: intent cues, number words, token names. Kept as data so the
/// rules read as language, and tested as such.
enum Lexicon {
    static let numberWords: [String: Int] = [
        "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
        "dozen": 12, "half": 0,
    ]

    /// Spellings of token symbols, lower-cased, to their normalised symbol.
    static let tokens: [String: String] = [
        "s": "S", "$s": "S", "sonic": "S", "sonics": "S", "ws": "WS", "$ws": "WS", "w-s": "WS", "wsonic": "WS",
        "usdc": "USDC", "$usdc": "USDC", "usdc.e": "USDCE", "usdce": "USDCE", "usdt": "USDT", "$usdt": "USDT", "eth": "ETH",
        "weth": "WETH", "btc": "BTC", "wbtc": "WBTC", "dai": "DAI", "eurc": "EURC", "scusd": "SCUSD", "sceth": "SCETH",
        "stkscusd": "STKSCUSD", "shadow": "SHADOW", "beets": "BEETS", "anon": "ANON", "frxusd": "FRXUSD", "os": "OS",
        "sts": "STS", "ftm": "FTM", "usd": "USD",
    ]

    /// Words that are never a token symbol even in capitals after a number.
    static let notTokens: Set<String> = [
        "to", "for", "of", "on", "in", "into", "and", "or", "the", "my", "me", "please", "pls", "now", "worth", "tokens", "token",
        "coins", "coin", "each", "more", "months", "month", "days", "day", "years", "year", "txs", "tx", "transactions", "times",
        "percent", "gwei", "wei", "at", "from", "with", "over", "a", "an", "is", "it", "x", "k", "m",
    ]

    static let sendVerbs: Set<String> = ["send", "transfer", "pay", "tip", "move", "give", "wire", "remit", "forward", "sent", "sending", "transfering", "transferring"]
    static let swapWords: Set<String> = ["swap", "swapping", "exchange", "convert", "trade", "trading", "quote", "sell", "buy"]
    static let defiWords: Set<String> = [
        "stake", "staking", "unstake", "unstaking", "restake", "delegate", "delegation", "delegating", "undelegate", "validator",
        "validators", "yield", "yields", "farm", "farms", "farming", "apr", "apy", "liquidity", "pool", "pools", "lend",
        "lending", "borrow", "borrowing", "loan", "loans", "collateral", "silo", "aave", "vault", "vaults", "lp", "rewards",
    ]
    static let historyWords: Set<String> = ["history", "transactions", "txs", "txns", "activity", "activities", "transfers", "payments", "statement", "ledger"]
    static let balanceWords: Set<String> = ["balance", "balances", "portfolio", "holdings", "funds", "bal", "networth"]
    static let gasWords: Set<String> = ["gas", "gwei", "fee", "fees", "basefee"]
    static let nftWords: Set<String> = ["nft", "nfts", "collectible", "collectibles", "artwork", "art", "drawing", "picture", "image", "photo", "painting", "token-art"]
    static let mintWords: Set<String> = ["mint", "minting", "create", "make", "turn", "generate", "issue", "publish"]
    static let subscriptionWords: Set<String> = ["subscription", "subscribe", "subscribed", "premium", "pro", "plan", "membership", "tier", "upgrade", "renew", "subscriptions"]
    static let secretWords: Set<String> = ["private", "seed", "mnemonic", "secret", "password", "keystore", "passphrase"]
    static let greetingWords: Set<String> = ["hi", "hello", "hey", "thanks", "thank", "thx", "gm", "yo", "bye", "cheers"]

    /// Every word some rule looks for: these are never "corrected" into another.
    static let known: Set<String> = sendVerbs.union(swapWords).union(defiWords).union(historyWords).union(balanceWords)
        .union(gasWords).union(nftWords).union(mintWords).union(subscriptionWords).union(secretWords).union(greetingWords)
        .union(fuzzyTargets).union(["subscribed", "confirmed", "pending", "expires", "expired", "expiring", "transaction", "received"])

    /// Intent cue words that are commonly mistyped, for fuzzy matching (edit distance 1).
    static let fuzzyTargets: [String] = [
        "send", "transfer", "balance", "history", "transactions", "subscription", "subscribe", "premium", "stake", "staking",
        "delegate", "swap", "exchange", "convert", "mint", "collectible", "confirmed", "status", "portfolio", "liquidity",
        "validator", "recent", "expire", "upgrade", "renew",
    ]
}
