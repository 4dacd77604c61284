package dev.bluepost.messaging;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Words and phrases in a message that may signal an emergency (chest pain, trouble breathing,
 * stroke signs, suicidal thoughts, …), in English and Spanish ("dolor de pecho", "no puedo respirar"). Used when a patient writes, to show the urgent-help panel
 * before sending, and by triage to escalate. Matching is on whole words, case- and accent-insensitive,
 * in memory only: the text is never logged.
 */
public final class RedFlags {

    /** A group of phrases and the help to offer for it. */
    public record Flag(String code, String help, Pattern pattern) {}

    private static final String CALL_911 = "Call 911 or go to the nearest emergency room now.";
    private static final List<Flag> FLAGS =
            List.of(
                    flag(
                            "chest-pain",
                            CALL_911,
                            "chest pains?",
                            "chest tightness",
                            "pressure in (my|the) chest",
                            "heart attack",
                            // Spanish (matched without accents)
                            "dolor(es)? (de|en el) pecho",
                            "(presion|opresion|dolor) en el pecho",
                            "me duele (mucho )?el pecho",
                            "ataque (al|del) corazon",
                            "infarto"),
                    flag(
                            "breathing",
                            CALL_911,
                            "(can'?t|cannot|hard to|trouble|difficulty) breath(e|ing)",
                            "short(ness)? of breath",
                            "choking",
                            "turning blue",
                            "no (puedo|puede) respirar",
                            "(me cuesta|le cuesta|dificultad para|problemas para) respirar",
                            "falta de aire",
                            "(me|se) (estoy |esta )?ahog(o|a|ando)",
                            "ahogandose",
                            "ahogandome",
                            "asfixi(a|ando|andome|andose)",
                            "(poniendo|puso|labios) (azul(es)?|morad(o|a|os|as))"),
                    flag(
                            "stroke",
                            CALL_911,
                            "stroke",
                            "face (is )?droop(ing|s)?",
                            "slurred speech",
                            "(sudden )?numbness on one side",
                            "can'?t (move|feel) (my )?(arm|leg|face)",
                            "derrame cerebral",
                            "ictus",
                            "(cara|boca) (caida|torcida|paralizada)",
                            "se (me|le) (cae|cayo) (la cara|un lado de la cara)",
                            "habla arrastrada",
                            "no (puedo|puede) hablar bien",
                            "entumecimiento (en|de) un lado",
                            "no (puedo|puede) mover (el|la|mi|su) (brazo|pierna|cara)",
                            "no siento (el|la|mi) (brazo|pierna|cara)"),
                    flag(
                            "suicide",
                            "Call or text 988 (Suicide & Crisis Lifeline) now, or call 911.",
                            "suicid(e|al)",
                            "kill(ing)? myself",
                            "end (my|it all)( life)?",
                            "want to die",
                            "self[- ]harm",
                            "overdos(e|ed|ing)",
                            "suicid(io|arme|arse|a)",
                            "matarme",
                            "quitarme la vida",
                            "acabar con (mi vida|todo)",
                            "quiero morir(me)?",
                            "hacerme dano",
                            "autolesion(es|arme)?",
                            "sobredosis"),
                    flag(
                            "bleeding",
                            CALL_911,
                            "bleeding (heavily|a lot|won'?t stop)",
                            "vomiting blood",
                            "coughing (up )?blood",
                            "sangr(ando|ado) (mucho|abundante|sin parar)",
                            "sangrado que no para",
                            "no (para|deja) de sangrar",
                            "vomit(o|ando|e) sangre",
                            "vomito con sangre",
                            "tos(o|iendo|e) sangre",
                            "tos con sangre"),
                    flag(
                            "anaphylaxis",
                            CALL_911,
                            "anaphyla(xis|ctic)",
                            "throat (is )?(closing|swelling)",
                            "swollen tongue",
                            "anafila(xia|ctic(o|a))",
                            "se (me )?(esta )?(cierra|cerrando) la garganta",
                            "garganta (cerrada|hinchada)",
                            "lengua hinchada",
                            "se (me|le) hincha la lengua"),
                    flag(
                            "unconscious",
                            CALL_911,
                            "unconscious",
                            "passed out",
                            "fainted",
                            "seizure",
                            "unresponsive",
                            "inconsciente",
                            "se desmayo",
                            "me desmaye",
                            "desmayad(o|a)",
                            "perdio el conocimiento",
                            "convulsi(on|ones|onando)",
                            "no responde"));

    /**
     * Every phrase above contains at least one of these words or word parts, so a text without any
     * of them raises no flag: a few plain substring searches settle the common case before any
     * regular expression runs. {@code RedFlagsTest} checks every phrase against this list.
     */
    static final List<String> KEYS =
            List.of(
                    "chest",
                    "heart attack",
                    "breath",
                    "choking",
                    "turning blue",
                    "stroke",
                    "droop",
                    "slurred",
                    "numbness",
                    "t move",
                    "t feel",
                    "suicid",
                    "kill",
                    "end my",
                    "end it",
                    "want to die",
                    "self",
                    "overdos",
                    "bleeding",
                    "blood",
                    "anaphyla",
                    "throat",
                    "swollen",
                    "unconscious",
                    "passed out",
                    "fainted",
                    "seizure",
                    "unresponsive",
                    // Spanish, without accents (a text with accents is matched after they are taken
                    // off)
                    "pecho",
                    "corazon",
                    "infarto",
                    "respirar",
                    "falta de aire",
                    "ahog",
                    "asfixi",
                    "azul",
                    "morad",
                    "derrame",
                    "ictus",
                    "caida",
                    "torcida",
                    "paralizada",
                    "la cara",
                    "arrastrada",
                    "hablar",
                    "entumec",
                    "mover",
                    "no siento",
                    "matarme",
                    "quitarme la vida",
                    "acabar con",
                    "morir",
                    "hacerme dano",
                    "autolesion",
                    "sobredosis",
                    "sangr",
                    "anafila",
                    "garganta",
                    "lengua",
                    "inconsciente",
                    "desmay",
                    "conocimiento",
                    "convulsi",
                    "no responde");

    /**
     * The keys as a trie over lower-case ASCII: {@code TRIE[node][c]} is the next node (0 = none),
     * {@code KEY_ENDS[node]} marks the end of a key. One pass over the text, folding case as it goes,
     * replaces a substring search per key over a lower-cased copy.
     */
    private static final int[][] TRIE;

    private static final boolean[] KEY_ENDS;

    static {
        int nodes = 1 + KEYS.stream().mapToInt(String::length).sum();
        int[][] trie = new int[nodes][];
        boolean[] ends = new boolean[nodes];
        trie[0] = new int[128];
        int used = 1;
        for (String key : KEYS) {
            int node = 0;
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c >= 128 || c != Character.toLowerCase(c)) {
                    throw new IllegalStateException("a red-flag key must be lower-case ASCII");
                }
                if (trie[node][c] == 0) {
                    trie[used] = new int[128];
                    trie[node][c] = used++;
                }
                node = trie[node][c];
            }
            ends[node] = true;
        }
        TRIE = trie;
        KEY_ENDS = ends;
    }

    private RedFlags() {}

    private static Flag flag(String code, String help, String... phrases) {
        return new Flag(code, help, Pattern.compile("\\b(" + String.join("|", phrases) + ")\\b"));
    }

    /** The first red flag the text raises, if any. */
    public static Optional<Flag> find(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        boolean ascii = isAscii(text);
        if (ascii && !containsKey(text)) {
            return Optional
                    .empty(); // the common case: no phrase can match, decided without a copy of the
            // text
        }
        String normalized =
                (ascii
                                ? text
                                : Normalizer.normalize(text, Normalizer.Form.NFKD)
                                        .replaceAll("\\p{M}", ""))
                        .toLowerCase(Locale.ROOT)
                        .replace('’', '\'');
        if (!ascii && !containsKey(normalized)) {
            return Optional.empty();
        }
        return FLAGS.stream().filter(f -> f.pattern().matcher(normalized).find()).findFirst();
    }

    /** Whether the text contains one of the {@link #KEYS}, ignoring ASCII case. */
    static boolean containsKey(String text) {
        int length = text.length();
        for (int start = 0; start < length; start++) {
            int node = 0;
            for (int i = start; i < length; i++) {
                char c = text.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                } else if (c >= 128) {
                    break;
                }
                node = TRIE[node][c];
                if (node == 0) {
                    break;
                }
                if (KEY_ENDS[node]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ASCII text has no accents to strip (NFKD leaves it as it is). */
    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
