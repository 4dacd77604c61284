package dev.bluepost.measurement;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The words of the staff's online-access page, in English; Spanish in {@code messages/access_es.properties}. */
@MessageBundle(value = "access", locale = "en")
public interface OnlineAccessMessages {

    @Message("Online access")
    String title();

    @Message(
            "Which patients can view, download and send their health information online. When a patient does not want a portal account, give them their user ID, password and the instructions to sign in later, then record it here.")
    String intro();

    @Message("Recorded: credentials and instructions given to {name}.")
    String recorded(String name);

    @Message("Find a patient")
    String find_label();

    @Message("Find")
    String find();

    @Message("No patients found.")
    String none();

    @Message("Patients and their online access")
    String caption();

    @Message("Patient")
    String col_patient();

    @Message("Born")
    String col_born();

    @Message("Online access")
    String col_access();

    @Message("Record")
    String col_record();

    @Message("Credentials and instructions given")
    String given();

    @Message("to {name}")
    String given_to(String name);

    @Message("Showing the first 200 of {total} patients; narrow the search to find others.")
    String truncated(int total);

    @Message("Credentials and instructions given {when}")
    String kind_credentials(String when);

    @Message("Portal account activated {when}")
    String kind_portal(String when);

    @Message("No online access yet")
    String no_access();

    @Message(
            "This record is a test patient or was merged into another record; record the access on the patient's current record.")
    String error_not_current_record();

    @Message("Your login belongs to no practice.")
    String error_no_practice();
}
