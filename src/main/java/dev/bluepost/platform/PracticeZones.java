package dev.bluepost.platform;

import java.time.ZoneId;
import java.util.UUID;

/**
 * A practice's time zone, for features that the directory itself depends on (audit): the directory
 * implements it, so they need not depend on the directory back.
 */
public interface PracticeZones {

    /** The practice's time zone, or the platform's default for an unknown or absent practice. */
    ZoneId zoneOf(UUID practiceId);
}
