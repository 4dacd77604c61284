package dev.bluepost.platform.errors;

import java.util.ArrayList;
import java.util.List;

/**
 * Describes a failure for the log without its messages: library messages can quote column values
 * or request content (PHI). What remains (types and the innermost frames) is enough to debug.
 */
public final class SafeThrowables {

    private static final int FRAMES = 12;

    private SafeThrowables() {}

    public static String describe(Throwable failure) {
        List<String> chain = new ArrayList<>();
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state =
                    t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                            ? "[sqlState=" + sql.getSQLState() + "]"
                            : "";
            chain.add(
                    t.getClass().getName()
                            + state
                            + (t instanceof BluepostException ? "(" + t.getMessage() + ")" : ""));
            root = t;
            if (t.getCause() == t || chain.size() > 10) {
                break;
            }
        }
        StringBuilder out = new StringBuilder(String.join(" <- ", chain));
        StackTraceElement[] frames = root.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
            out.append("\n\tat ").append(frames[i]);
        }
        return out.toString();
    }
}
