import Foundation

/// Which language a message is written in, when it is clearly not English: the parser reads
/// English only, so such a message gets an honest answer saying so, and a request to move
/// value in it is confirmed with the amount and recipient spelled out before any card.
enum Language {
    /// Common words of languages people write to a wallet in, that English does not use.
    static let markers: [(name: String, words: Set<String>)] = [
        ("Spanish", ["envía", "envia", "enviar", "envíe", "manda", "mandar", "transfiere", "transferir", "por", "favor", "mi", "saldo",
                     "cuánto", "cuanto", "tengo", "hola", "gracias", "quiero", "para", "cuenta", "dirección", "direccion", "qué", "que",
                     "es", "el", "los", "las", "una", "del", "hoy", "ayer", "cartera", "billetera", "dinero", "pagar", "págale", "hazme"]),
        ("French", ["envoie", "envoyer", "envoyez", "virement", "mon", "solde", "bonjour", "merci", "combien", "j'ai", "je", "veux",
                    "adresse", "portefeuille", "aujourd'hui", "hier", "qu'est-ce", "est", "le", "les", "une", "du", "s'il", "plaît", "vous", "à"]),
        ("German", ["sende", "senden", "schick", "schicke", "überweise", "überweisen", "mein", "meine", "kontostand", "guthaben", "hallo",
                    "danke", "wie", "viel", "ich", "habe", "bitte", "an", "adresse", "heute", "gestern", "was", "ist", "der", "die", "das"]),
        ("Portuguese", ["envie", "enviar", "mande", "transfira", "meu", "minha", "saldo", "olá", "ola", "obrigado", "obrigada", "quanto",
                        "tenho", "para", "carteira", "endereço", "hoje", "ontem", "você", "voce", "não", "nao", "por", "favor"]),
        ("Italian", ["invia", "inviare", "manda", "trasferisci", "mio", "saldo", "ciao", "grazie", "quanto", "ho", "per", "favore",
                     "indirizzo", "oggi", "ieri", "portafoglio", "cosa", "è", "il", "voglio"]),
        ("Dutch", ["stuur", "verstuur", "mijn", "saldo", "hallo", "dank", "bedankt", "hoeveel", "heb", "ik", "naar", "adres", "vandaag", "gisteren"]),
        ("Turkish", ["gönder", "gonder", "bakiye", "bakiyem", "merhaba", "teşekkürler", "tesekkurler", "ne", "kadar", "adres", "bugün"]),
        ("Indonesian", ["kirim", "saldo", "saya", "halo", "terima", "kasih", "berapa", "ke", "alamat", "hari", "ini", "tolong"]),
    ]

    /// Words that also occur in English messages, which alone say nothing about the language.
    static let shared: Set<String> = ["a", "an", "to", "for", "is", "es", "el", "do", "me", "no", "in", "on", "the", "so", "ne", "ho", "ke", "ini", "was", "die", "per", "saldo", "adres"]

    /// The language of `message` when it is clearly not English; nil for English (or too little to tell).
    static func of(_ message: Message) -> String? {
        if let script = script(of: message.text) { return script }
        let words = message.tokens.compactMap { token -> String? in
            guard case .word(let word) = token.kind else { return nil }
            return word.trimmingCharacters(in: .punctuationCharacters)
        }
        guard !words.isEmpty else { return nil }
        let english = words.filter { Lexicon.known.contains($0) || englishWords.contains($0) }.count
        var best: (name: String, count: Int)?
        for (name, markers) in markers {
            let distinctive = words.filter { markers.contains($0) && !shared.contains($0) }.count
            let any = words.filter { markers.contains($0) }.count
            guard distinctive >= 1, any > english else { continue }
            if best == nil || any > best!.count { best = (name, any) }
        }
        return best?.name
    }

    /// A script other than Latin decides it at once.
    static func script(of text: String) -> String? {
        var counts: [String: Int] = [:]
        for scalar in text.unicodeScalars {
            let name: String? = switch scalar.value {
            case 0x0400...0x04FF: "Russian (or another language in Cyrillic)"
            case 0x4E00...0x9FFF: "Chinese"
            case 0x3040...0x30FF: "Japanese"
            case 0xAC00...0xD7AF: "Korean"
            case 0x0600...0x06FF: "Arabic"
            case 0x0590...0x05FF: "Hebrew"
            case 0x0E00...0x0E7F: "Thai"
            case 0x0900...0x097F: "Hindi"
            case 0x0370...0x03FF: "Greek"
            default: nil
            }
            if let name { counts[name, default: 0] += 1 }
        }
        // Japanese often mixes in Chinese characters; kana decide.
        if counts["Japanese"] != nil { return "Japanese" }
        return counts.filter { $0.value >= 2 }.max { $0.value < $1.value }?.key
    }

    /// Everyday English words, so that an English message that borrows one foreign-looking
    /// word is still English.
    static let englishWords: Set<String> = [
        "i", "you", "my", "me", "what", "how", "much", "many", "have", "has", "please", "and", "or", "of", "with", "from", "it", "this",
        "that", "can", "could", "would", "is", "are", "was", "be", "today", "yesterday", "want", "need", "some", "any", "all", "your",
        "his", "her", "their", "our", "at", "by", "up", "not", "no", "yes", "send", "give", "show", "tell", "about", "did", "does",
    ]
}
