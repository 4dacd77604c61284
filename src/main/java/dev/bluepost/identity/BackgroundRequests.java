package dev.bluepost.identity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Requests that a page's scripts send by themselves — the presence heartbeat, the queue's live
 * updates and row refreshes, the session check, a draft kept before an automatic sign-out, an
 * import's progress — are not a person's activity. They authenticate like any request but never
 * move the session's last activity, so a page left open signs out at its idle limit however much it
 * polls (automatic log-off, HIPAA 164.312(a)(2)(iii), ONC 170.315(d)(5)). Only a person's own action
 * extends a session: a navigation, a form post, a keystroke or click that the session script reports
 * ({@code POST /session/keep-alive}).
 *
 * <p>A request is background when it carries {@link #HEADER} (every script of the pages sets it), or
 * when its path is one that only scripts call, so that a script without the header cannot keep a
 * session alive either.
 */
public final class BackgroundRequests {

    /** The header the pages' scripts send with every request they make by themselves. */
    public static final String HEADER = "X-Bluepost-Background";

    private static final List<Pattern> SCRIPT_ONLY_PATHS =
            List.of(
                    Pattern.compile("/session/status"),
                    Pattern.compile("/staff/queue/rows"),
                    Pattern.compile("/staff/queue/events"),
                    Pattern.compile("/staff/threads/[^/]+/presence"),
                    Pattern.compile("/staff/threads/[^/]+/draft"),
                    Pattern.compile("/patient/threads/[^/]+/draft"),
                    Pattern.compile("/patient/threads/[^/]+/events"),
                    Pattern.compile("/patient/threads/[^/]+/messages/[^/]+"),
                    Pattern.compile("/compliance/encounter-imports/[^/]+/status"));

    private BackgroundRequests() {}

    /** Whether a request with this path and {@link #HEADER} value (null when absent) is a background request. */
    public static boolean isBackground(String path, String header) {
        if (header != null) {
            return true;
        }
        return path != null && SCRIPT_ONLY_PATHS.stream().anyMatch(p -> p.matcher(path).matches());
    }
}
