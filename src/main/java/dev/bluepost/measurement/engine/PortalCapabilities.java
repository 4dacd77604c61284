package dev.bluepost.measurement.engine;

/**
 * What the platform lets patients do with their health information online (docs/measures.md §5.1):
 * view it, download it, transmit it to a third party. PEA-S2-M1 counts a patient only if all
 * three are available ("none is optional"); this is the measure's own text, not a platform
 * policy, so it is not a flag a report can turn on: it changes when the platform gains the
 * function (ADR 0034).
 */
public record PortalCapabilities(
        boolean view, boolean download, boolean transmit, boolean transmitDatedByDeployment) {

    /**
     * Bluepost: the patient portal shows, downloads and transmits the patient's information (visit
     * documents, the messages with their attachments) — transmit to a Direct address through the
     * practice's HISP, or to an ordinary e-mail address after a warning (docs/adr/0046). Transmit is
     * available from the moment this deployment gained it ({@code portal_capability}, written by the
     * migration that brought it): online access given earlier counts for PEA-S2-M1 from that moment,
     * and a deployment without the record counts nobody (docs/measures.md §5.1).
     */
    public static final PortalCapabilities BLUEPOST =
            new PortalCapabilities(true, true, true, true);

    /** A portal that offers view and download but no transmit (Bluepost before transmit; PEA-S2-M1 then counts nobody). */
    public static final PortalCapabilities VIEW_DOWNLOAD_ONLY =
            new PortalCapabilities(true, true, false, false);

    /** A portal that has always offered view, download and transmit (the measure's full requirement). */
    public static final PortalCapabilities VIEW_DOWNLOAD_TRANSMIT =
            new PortalCapabilities(true, true, true, false);

    /** Whether PEA-S2-M1's numerator can count anyone: view, download and transmit all available. */
    public boolean timelyAccessCountable() {
        return view && download && transmit;
    }

    /**
     * Why PEA-S2-M1 counts nobody, in plain words (null when it can count): the functions that
     * are missing and what the measure requires.
     */
    public String unavailableReason() {
        if (timelyAccessCountable()) {
            return null;
        }
        java.util.List<String> offered = new java.util.ArrayList<>();
        java.util.List<String> missing = new java.util.ArrayList<>();
        (view ? offered : missing).add("view");
        (download ? offered : missing).add("download");
        (transmit ? offered : missing).add("transmit");
        String what =
                offered.isEmpty()
                        ? "Bluepost does not yet let patients "
                                + join(missing, "or")
                                + " their health information"
                        : "Bluepost lets patients "
                                + join(offered, "and")
                                + " their health information but not yet "
                                + join(missing, "or")
                                + " it";
        return "Not available: "
                + what
                + (transmit ? "" : " (send it to a third party)")
                + ". This measure counts a patient only when view, download and transmit are all "
                + "available, so no patient is counted in its numerator.";
    }

    private static String join(java.util.List<String> words, String last) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1))
                + " "
                + last
                + " "
                + words.get(words.size() - 1);
    }
}
