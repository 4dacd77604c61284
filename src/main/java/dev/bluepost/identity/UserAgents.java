package dev.bluepost.identity;

/**
 * A User-Agent header in the words a person uses: "Firefox on Windows", "Safari on iPhone". Only the
 * well-known browser and system names are recognised; anything else is "a browser" on "an unknown
 * device" in the reader's language.
 */
final class UserAgents {

    private UserAgents() {}

    static String describe(String userAgent, AccountMessages m) {
        String browser = userAgent == null ? null : browser(userAgent);
        String system = userAgent == null ? null : system(userAgent);
        return m.device_on(
                browser == null ? m.device_unknown_browser() : browser,
                system == null ? m.device_unknown_os() : system);
    }

    /** The browser's name; the order matters, since Edge, Opera and Samsung's browser also say "Chrome" and "Safari". */
    static String browser(String ua) {
        if (ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/")) {
            return "Microsoft Edge";
        }
        if (ua.contains("OPR/") || ua.contains("Opera")) {
            return "Opera";
        }
        if (ua.contains("SamsungBrowser/")) {
            return "Samsung Internet";
        }
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
            return "Firefox";
        }
        if (ua.contains("CriOS/") || ua.contains("Chrome/") || ua.contains("Chromium/")) {
            return "Chrome";
        }
        if (ua.contains("Safari/") && ua.contains("Version/")) {
            return "Safari";
        }
        return null;
    }

    /** The operating system or device; iPhone and iPad before Mac (their browsers say "like Mac OS X"). */
    static String system(String ua) {
        if (ua.contains("iPhone")) {
            return "iPhone";
        }
        if (ua.contains("iPad")) {
            return "iPad";
        }
        if (ua.contains("Android")) {
            return "Android";
        }
        if (ua.contains("Windows")) {
            return "Windows";
        }
        if (ua.contains("CrOS")) {
            return "ChromeOS";
        }
        if (ua.contains("Macintosh") || ua.contains("Mac OS X")) {
            return "Mac";
        }
        if (ua.contains("Linux")) {
            return "Linux";
        }
        return null;
    }
}
