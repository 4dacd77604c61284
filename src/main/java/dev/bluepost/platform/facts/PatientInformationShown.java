package dev.bluepost.platform.facts;

import dev.bluepost.platform.security.Actor;

/**
 * Someone viewed, downloaded or transmitted a patient's health information (docs/measures.md,
 * Patient Electronic Access). Only the patient's or a proxy's own actions count; the observer
 * decides that from {@code actor}.
 *
 * @param itemsShown how many items of the patient's information the view or download showed (documents,
 *                   messages); one that showed none is recorded but never counts
 */
public record PatientInformationShown(Actor actor, Action action, int itemsShown) {

    public enum Action {
        VIEW,
        DOWNLOAD,
        TRANSMIT
    }
}
