/// The words the parser knows: intent cues, number words, token names. Kept as data so the
/// rules read as language, and tested as such.
enum Lexicon {
    static let numberWords: [String: Int] = [
        "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
        "dozen": 12, "half": 0,
    ]

    /// Spellings of token symbols, lower-cased, to their normalised symbol.
    static let tokens: [String: String] = [
        "s": "S", "$s": "S", "sonic": "S", "$sonic": "S", "sonics": "S", "ws": "WS", "$ws": "WS", "w-s": "WS", "wsonic": "WS",
        "usdc": "USDC", "$usdc": "USDC", "usdc.e": "USDCE", "usdce": "USDCE", "usdt": "USDT", "$usdt": "USDT", "eth": "ETH",
        "weth": "WETH", "btc": "BTC", "wbtc": "WBTC", "dai": "DAI", "eurc": "EURC", "scusd": "SCUSD", "sceth": "SCETH",
        "stkscusd": "STKSCUSD", "shadow": "SHADOW", "beets": "BEETS", "anon": "ANON", "frxusd": "FRXUSD", "os": "OS",
        "sts": "STS", "ftm": "FTM", "usd": "USD", "susd": "SUSD",
    ]

    /// Words that are never a token symbol even in capitals after a number.
    static let notTokens: Set<String> = [
        "to", "for", "of", "on", "in", "into", "and", "or", "the", "my", "me", "please", "pls", "now", "worth", "tokens", "token",
        "coins", "coin", "each", "more", "months", "month", "days", "day", "years", "year", "txs", "tx", "transactions", "times",
        "percent", "gwei", "wei", "at", "from", "with", "over", "a", "an", "is", "it", "x", "k", "m", "lp", "apr", "apy", "tvl",
        "nft", "dex", "defi", "ok", "asap", "all",
    ]

    static let sendVerbs: Set<String> = ["send", "transfer", "pay", "tip", "move", "give", "wire", "remit", "forward", "sent", "sending", "transfering", "transferring"]
    static let swapWords: Set<String> = ["swap", "swapping", "exchange", "convert", "trade", "trading", "quote", "sell", "buy"]
    static let defiWords: Set<String> = [
        "stake", "staking", "staked", "stakes", "unstake", "unstaking", "unstaked", "restake", "restaking", "delegate",
        "delegation", "delegations", "delegating", "delegated", "undelegate", "undelegated", "unbond", "unbonding", "validator",
        "validators", "yield", "yields", "farm", "farms", "farming", "harvest", "apr", "apy", "liquidity", "pool", "pools", "lend",
        "lending", "borrow", "borrowing", "loan", "loans", "repay", "debt", "collateral", "silo", "aave", "euler", "vault",
        "vaults", "lp", "rewards", "unbonded", "withdrawal", "withdrawals",
    ]
    /// Verbs that open a DeFi request ("stake 100 S"); some need their object to say which
    /// (`EntityExtractor.defiAction()`).
    static let defiVerbs: Set<String> = [
        "stake", "delegate", "unstake", "undelegate", "unbond", "restake", "compound", "reinvest", "claim", "collect", "harvest",
        "borrow", "repay", "pay", "lend", "lp", "withdraw", "remove", "pull", "exit", "take", "add", "provide", "deposit",
        "supply", "put", "send", "move", "lock", "cash", "get", "grab", "pick", "fetch", "retrieve", "bring", "recover", "reclaim",
        "redeem", "release", "stop", "quit", "cease", "finish", "complete", "process", "execute", "submit", "initiate", "roll", "push",
        "throw", "route", "funnel", "shift",
    ]
    /// Verbs that take something out: rewards are claimed, unstaked funds withdrawn, a stake
    /// unstaked, liquidity removed (`EntityExtractor.defiAction()`).
    static let takingVerbs: Set<String> = [
        "withdraw", "remove", "pull", "exit", "take", "cash", "get", "grab", "pick", "fetch", "retrieve", "bring", "recover", "reclaim", "redeem",
        "release",
    ]
    /// Of those, the ones that say only "get": a stake comes out with them when "out" or "back" says so.
    static let softTakingVerbs: Set<String> = ["get", "grab", "pick", "fetch", "bring", "retrieve", "recover", "reclaim", "release"]
    /// What was earned by staking: taken out it is claimed, staked again it is restaked.
    static let rewardWords: Set<String> = ["rewards", "reward", "earnings", "yield", "earned"]
    /// Words between a verb and what it acts on ("my", "all the", "whatever I've").
    static let objectFillers: Set<String> = [
        "my", "the", "all", "those", "these", "your", "our", "of", "staking", "pending", "accumulated", "whatever", "what", "i", "i've", "ive", "have", "just", "any",
    ]
    /// Nouns naming a staking action ("finish my withdrawal", "complete the unstake").
    static let actionNouns: [String: DeFiAction] = [
        "withdrawal": .withdraw, "withdrawals": .withdraw, "unstake": .unstake, "unstaking": .unstake, "undelegation": .unstake,
        "unbonding": .unstake, "stake": .stake, "delegation": .stake, "restake": .restake, "claim": .claimRewards,
    ]
    /// What unstaking releases: "withdraw my unbonded S", "claim my unlocked S".
    static let unlockedWords: Set<String> = ["unstaked", "unbonded", "undelegated", "unlocked"]
    /// "3rd", "2nd" are a number and one of these; "third" a word.
    static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th"]
    static let ordinals: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    ]
    /// Lending markets and their words: where "deposit" and "supply" lend.
    static let lendingWords: Set<String> = ["lend", "lending", "silo", "aave", "euler", "market", "markets", "interest", "collateral", "vault", "vaults"]
    /// Protocols whose names are also tokens', and what follows a spender's name ("the Shadow router").
    static let venues: Set<String> = ["shadow", "beets"]
    static let spenderWords: Set<String> = [
        "router", "router's", "exchange", "dex", "app", "dapp", "protocol", "contract", "contracts", "vault", "market", "pool", "aggregator", "spender",
    ]
    /// Allowances: what an address lets others spend.
    static let approvalWords: Set<String> = ["approve", "approved", "approval", "approvals", "approving", "allowance", "allowances", "revoke", "revoking", "spender", "spenders", "unapprove", "un-approve"]
    static let revokeVerbs: Set<String> = ["revoke", "remove", "cancel", "reset", "clear", "delete", "disable", "kill", "unapprove", "un-approve", "undo", "withdraw", "drop", "strip", "rescind", "terminate"]
    /// Verbs that change one token into another when two are named ("flip 20 USDC to S").
    static let tradeVerbs: Set<String> = ["turn", "flip", "change", "rotate", "switch", "ape"]
    static let wrapWords: Set<String> = ["wrap", "unwrap", "wrapping", "unwrapping"]
    /// Openings of a request to act, before its verb ("can you stake…", "I'd like to lend…").
    static let requestOpenings: [[String]] = [
        ["please"], ["pls"], ["plz"], ["kindly"], ["just"], ["now"], ["ok"], ["okay"], ["hey"], ["yo"], ["so"], ["also"], ["then"],
        ["and"], ["agent"], ["go", "ahead", "and"], ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"], ["can", "u"],
        ["help", "me"], ["i", "want", "to"], ["i", "wanna"], ["i'd", "like", "to"], ["id", "like", "to"], ["i", "would", "like", "to"],
        ["i", "need", "to"], ["i", "wish", "to"], ["i'm", "going", "to"], ["im", "going", "to"], ["i", "am", "going", "to"],
        ["i", "will"], ["i'll"], ["let"], ["lets"], ["let's"], ["let", "me"], ["let", "us"], ["time", "to"], ["need", "to"], ["i", "need", "you", "to"],
        ["would", "you", "mind"], ["mind"], ["would", "you", "be", "able", "to"], ["could", "you", "be", "able", "to"], ["are", "you", "able", "to"],
        ["can", "you", "please"], ["could", "you", "please"], ["go", "ahead"], ["quickly"], ["hey", "agent"], ["gonna"], ["i'm", "gonna"], ["im", "gonna"],
        ["how", "about"], ["shall", "we"], ["do", "you", "mind"], ["any", "chance", "you", "could"], ["any", "chance", "you", "can"],
        ["i", "was", "wondering", "if", "you", "could"], ["i", "wonder", "if", "you", "could"], ["wondering", "if", "you", "could"],
        ["i'd", "like", "you", "to"], ["i", "want", "you", "to"], ["try", "to"],
        ["do", "you", "think", "you", "could"], ["is", "there", "any", "way", "you", "could"], ["basically"], ["actually"], ["well"], ["alright"],
        ["um"], ["uh"], ["hmm"], ["hi"], ["hello"], ["gm"], ["there"], ["thanks"], ["thank", "you"], ["ty"], ["cool"], ["great"], ["nice"],
        ["quick", "one"], ["good", "morning"],
        // Turning from chit-chat to the request: "… lol. anyway, could you unstake 60 S".
        ["anyway"], ["anyways"], ["btw"], ["by", "the", "way"], ["oh"], ["ah"], ["right"], ["one", "more", "thing"], ["finally"], ["lastly"],
    ]
    /// Asking what the agent can do ("can you stake for me?"): a request only when it says
    /// what to do; these words say nothing of it.
    static let abilityOpenings: Set<[String]> = [
        ["can", "you"], ["could", "you"], ["can", "u"], ["are", "you", "able", "to"], ["would", "you", "be", "able", "to"],
        ["could", "you", "be", "able", "to"], ["can", "you", "please"], ["could", "you", "please"],
    ]
    static let emptyObjectWords: Set<String> = ["for", "me", "us", "please", "pls", "plz", "too", "also", "now", "here", "today", "right", "?", "!", "then"]
    /// A wish that opens a request ("I'd love to", "we really want to", "I'm hoping to"):
    /// its subject, what may come between, and its verb (`Message.wishLength`).
    static let wishSubjects: Set<String> = ["i", "we", "i'd", "id", "we'd", "i'm", "im", "we're"]
    static let wishModifiers: Set<String> = ["would", "really", "just", "also", "kinda", "do", "am", "was", "will", "still", "actually", "definitely", "so", "now"]
    static let wishVerbs: Set<String> = [
        "like", "love", "want", "wanna", "need", "wish", "hope", "plan", "intend", "prefer", "mean", "looking", "hoping", "trying",
        "planning", "wanting", "going", "gonna", "aim", "aiming",
    ]
    /// Others than the person, who may see or do things ("can anyone see my balance?").
    static let otherPeople: Set<String> = ["someone", "somebody", "anyone", "anybody", "others", "people", "other", "everyone", "strangers", "hackers"]
    /// Other chains, which tokens reach only over a bridge (`Message.asksToBridge`).
    static let otherChains: Set<String> = [
        "ethereum", "arbitrum", "optimism", "polygon", "base", "bsc", "binance", "avalanche", "avax", "solana", "fantom", "opera",
        "zksync", "linea", "scroll", "blast", "mantle", "gnosis", "celo", "tron", "bitcoin",
    ]
    /// Words before a number that make it a bound in a question, not an amount ("less than 1 S").
    static let boundWords: Set<String> = ["than", "least", "most", "minimum", "min", "max", "maximum", "under", "below", "above", "upto", "beyond"]
    /// Asking whether one may do something: a request when it says what exactly ("can I stake
    /// 150 S with validator 4?"), a question otherwise ("can I unstake early?").
    static let permissionOpenings: [[String]] = [
        ["can", "i"], ["could", "i"], ["may", "i"], ["is", "it", "possible", "to"], ["am", "i", "able", "to"], ["is", "there", "a", "way", "to"],
        ["can", "we"], ["could", "we"], ["shall", "i"], ["would", "it", "be", "possible", "to"], ["is", "it", "ok", "to"], ["is", "it", "okay", "to"],
    ]
    /// Gerunds that open a command ("staking 45 S on validator 5"), to their verb.
    static let gerunds: [String: String] = [
        "staking": "stake", "delegating": "delegate", "unstaking": "unstake", "undelegating": "undelegate", "unbonding": "unbond",
        "restaking": "restake", "compounding": "compound", "claiming": "claim", "collecting": "collect", "harvesting": "harvest",
        "withdrawing": "withdraw", "lending": "lend", "borrowing": "borrow", "repaying": "repay", "supplying": "supply",
        "depositing": "deposit", "providing": "provide", "adding": "add", "removing": "remove", "revoking": "revoke",
        "wrapping": "wrap", "unwrapping": "unwrap", "swapping": "swap",
    ]
    static let historyWords: Set<String> = ["history", "transactions", "txs", "txns", "activity", "activities", "transfers", "payments", "statement", "ledger"]
    static let balanceWords: Set<String> = ["balance", "balances", "portfolio", "holdings", "funds", "bal", "networth"]
    static let gasWords: Set<String> = ["gas", "gwei", "fee", "fees", "basefee"]
    static let nftWords: Set<String> = ["nft", "nfts", "collectible", "collectibles", "artwork", "art", "drawing", "picture", "image", "photo", "painting", "token-art"]
    static let mintWords: Set<String> = ["mint", "minting", "create", "make", "turn", "generate", "issue", "publish"]
    static let subscriptionWords: Set<String> = ["subscription", "subscribe", "subscribed", "sub", "subs", "premium", "pro", "plan", "membership", "tier", "upgrade", "renew", "subscriptions"]
    static let secretWords: Set<String> = ["private", "seed", "mnemonic", "secret", "password", "keystore", "passphrase"]
    static let greetingWords: Set<String> = ["hi", "hello", "hey", "thanks", "thank", "thx", "gm", "yo", "bye", "cheers"]

    /// Currencies an amount may be written in, by sign, code or word, to their name.
    static let currencies: [String: String] = [
        "$": "US dollars", "usd": "US dollars", "dollar": "US dollars", "dollars": "US dollars", "bucks": "US dollars",
        "€": "euros", "eur": "euros", "euro": "euros", "euros": "euros", "£": "pounds", "gbp": "pounds", "pound": "pounds",
        "pounds": "pounds", "¥": "yen", "jpy": "yen", "yen": "yen", "chf": "Swiss francs", "francs": "Swiss francs",
    ]
    /// Fractions written as one character: "½ S".
    static let fractions: [Character: String] = ["½": "0.5", "¼": "0.25", "¾": "0.75"]
    /// Endings of name-service names ("vitalik.eth"), which are not addresses.
    static let nameSuffixes: Set<String> = ["eth", "sonic", "crypto", "nft", "wallet", "x", "lens", "base", "bnb", "dao", "ens"]
    /// Words that call off what is being put together.
    static let cancelWords: Set<String> = ["cancel", "stop", "abort", "nevermind", "nvm", "forget", "scratch", "halt", "quit"]
    static let cancelPhrases: [String] = [
        "never mind", "forget it", "forget about it", "forget that", "scratch that", "don't send", "dont send", "do not send",
        "changed my mind", "no thanks", "no thank you", "not anymore", "don't do it", "do not do it", "call it off",
    ]
    /// Saying yes, or that the previous step is done ("sent", "confirmed", "next").
    static let yesWords: Set<String> = [
        "yes", "y", "yep", "yeah", "yup", "ok", "okay", "sure", "confirm", "confirmed", "correct", "right", "go", "proceed", "do",
        "done", "sent", "signed", "next", "continue", "approved", "si", "sí", "oui", "ja", "sim", "da", "👍",
    ]
    static let thanksWords: Set<String> = ["thanks", "thank", "thx", "ty", "cheers", "appreciate", "appreciated", "thnx", "tks"]
    static let helloWords: Set<String> = ["hi", "hello", "hey", "gm", "yo", "hiya", "howdy", "greetings", "sup", "morning", "evening", "afternoon"]
    static let goodbyeWords: Set<String> = ["bye", "goodbye", "cya", "later", "night", "gn"]

    /// Asking someone else for funds: a payment request, which the agent does not make.
    static let paymentRequestWords: Set<String> = ["request", "requesting", "invoice", "charge", "bill", "owe", "owes", "owed", "collect", "reimburse", "refund"]

    /// What "to my …" names when it means the person themself ("to my wallet").
    static let ownPlaces: Set<String> = ["wallet", "address", "account", "accounts", "balance", "own", "self", "metamask", "main", "funds"]

    /// Every word some rule looks for: these are never "corrected" into another.
    static let known: Set<String> = sendVerbs.union(swapWords).union(defiWords).union(historyWords).union(balanceWords)
        .union(gasWords).union(nftWords).union(mintWords).union(subscriptionWords).union(secretWords).union(greetingWords)
        .union(defiVerbs).union(approvalWords).union(revokeVerbs).union(wrapWords)
        .union(fuzzyTargets).union(["subscribed", "confirmed", "pending", "expires", "expired", "expiring", "transaction", "received", "spend", "spent"])

    /// Intent cue words that are commonly mistyped, for fuzzy matching (edit distance 1).
    static let fuzzyTargets: [String] = [
        "send", "transfer", "balance", "history", "transactions", "subscription", "subscribe", "premium", "stake", "staking",
        "delegate", "swap", "exchange", "convert", "mint", "collectible", "confirmed", "status", "portfolio", "liquidity",
        "validator", "recent", "expire", "upgrade", "renew", "unstake", "undelegate", "withdraw", "restake", "rewards",
    ]
}
