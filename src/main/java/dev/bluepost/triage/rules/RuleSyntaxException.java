package dev.bluepost.triage.rules;

/** A rule that cannot be saved: it does not parse, or it could answer its own replies. The message says why. */
public class RuleSyntaxException extends RuntimeException {

    public RuleSyntaxException(String message) {
        super(message);
    }
}
