package dev.bluepost.directory;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the practice directory page and of relationships (a family member's or caregiver's
 * relationship to the patient, {@link Relationships}) in English ({@code {directory:…}}); Spanish in
 * {@code messages/directory_es.properties}.
 */
@MessageBundle(value = "directory", locale = "en")
public interface DirectoryMessages {

    @Message("Practice directory")
    String title();

    @Message("Time zone")
    String time_zone();

    @Message("Patients")
    String patients();

    @Message(
            "{count} {#if count == 1}test patient{#else}test patients{/if} (never counted in measures)")
    String test_patients(int count);

    @Message("Set up the practice")
    String setup_heading();

    @Message("Triage rules, reply templates, business hours and response-time targets")
    String triage_link();

    @Message("Logins and account support")
    String logins_link();

    @Message("Locations")
    String locations();

    @Message("Name")
    String col_name();

    @Message("County")
    String col_county();

    @Message("State")
    String col_state();

    @Message("Certified EHR technology")
    String col_cehrt();

    @Message("NPI")
    String col_npi();

    @Message("Eligible professional")
    String col_ep();

    @Message("Practitioners")
    String practitioners();

    @Message("Care-team pools")
    String pools();

    @Message("Pool")
    String col_pool();

    @Message("Members")
    String col_members();

    @Message("Yes")
    String yes();

    @Message("No")
    String no();

    @Message("No (staff)")
    String no_staff();

    @Message("Not given")
    String not_given();

    @Message("No members")
    String no_members();

    @Message("Unnamed location")
    String unnamed();

    // relationships of a family member or caregiver to the patient
    @Message("parent")
    String rel_parent();

    @Message("mother")
    String rel_mother();

    @Message("father")
    String rel_father();

    @Message("stepparent")
    String rel_stepparent();

    @Message("adoptive parent")
    String rel_adoptive_parent();

    @Message("legal guardian")
    String rel_guardian();

    @Message("grandparent")
    String rel_grandparent();

    @Message("child")
    String rel_child();

    @Message("spouse or partner")
    String rel_spouse();

    @Message("brother or sister")
    String rel_sibling();

    @Message("family member")
    String rel_family();

    @Message("friend")
    String rel_friend();

    @Message("person with power of attorney")
    String rel_power_of_attorney();

    @Message("caregiver")
    String rel_caregiver();

    // the directory's admin pages (ADR 0042)
    @Message("An NPI is 10 digits with a valid check digit; check the number.")
    String error_npi_invalid();

    @Message("A practitioner has at most one NPI.")
    String error_npi_twice();

    @Message("Another practitioner already has this NPI.")
    String error_npi_taken();

    @Message("Enter a name.")
    String error_name_empty();

    @Message("Choose a time zone from the list.")
    String error_zone_unknown();

    @Message("Enter a number of days from 1 to 3650.")
    String error_reply_window();

    @Message("Choose members among the practitioners of this practice.")
    String error_member_unknown();

    @Message("Enter the date the change took effect, not later than today (for example 3/15/2026).")
    String error_cehrt_date();

    @Message("This entry is not in your practice's directory.")
    String error_not_found();

    @Message("Manage the directory")
    String manage_heading();

    @Message("Practitioners: add, edit, deactivate")
    String manage_practitioners();

    @Message("Locations and their certified EHR technology")
    String manage_locations();

    @Message("Care-team pools and their members")
    String manage_pools();

    @Message("Practice name, reply window and time zone")
    String manage_practice();

    @Message("Business hours and holidays")
    String hours_link();

    @Message("Status")
    String col_status();

    @Message("Actions")
    String col_actions();

    @Message("Active")
    String active();

    @Message("Deactivated")
    String inactive();

    @Message("Retired")
    String retired();

    @Message("Edit")
    String edit();

    @Message("Save")
    String save();

    @Message("Cancel")
    String cancel();

    @Message("Deactivate")
    String deactivate();

    @Message("Reactivate")
    String reactivate();

    @Message("Retire")
    String retire();

    @Message("Bring back")
    String bring_back();

    @Message("Saved.")
    String saved();

    @Message("Back to the practice directory")
    String back_to_directory();

    @Message("Add a practitioner")
    String practitioner_new();

    @Message("Edit a practitioner")
    String practitioner_edit();

    @Message("The name patients and staff see, for example Dr. Ana Ortiz.")
    String practitioner_name_hint();

    @Message("10 digits. Leave empty for staff without an NPI.")
    String npi_hint();

    @Message(
            "Deactivate this practitioner? They stay in past records and measures but cannot be chosen for new work.")
    String deactivate_question();

    @Message("Add a location")
    String location_new();

    @Message("Edit a location")
    String location_edit();

    @Message("Street address")
    String address();

    @Message("City")
    String city();

    @Message("ZIP code")
    String postal_code();

    @Message("Certified EHR technology at this location")
    String cehrt_legend();

    @Message(
            "The measures count an encounter at this location by what was true on the encounter's date.")
    String cehrt_hint();

    @Message("Equipped: practitioners use certified EHR technology here")
    String cehrt_yes();

    @Message("Not equipped")
    String cehrt_no();

    @Message("Date of the change")
    String cehrt_since();

    @Message("Only when you change the answer above. Empty means today.")
    String cehrt_since_hint();

    @Message("Changes of certified EHR technology")
    String cehrt_history();

    @Message("From")
    String col_from();

    @Message("Recorded")
    String col_recorded();

    @Message("From the beginning")
    String since_always();

    @Message("Create a pool")
    String pool_new();

    @Message("Edit a pool")
    String pool_edit();

    @Message("Patients choose pools by this name, for example Billing questions.")
    String pool_name_hint();

    @Message("Members")
    String members_legend();

    @Message("Retire this pool? Patients can no longer choose it; its past messages stay.")
    String retire_question();

    @Message("Practice settings")
    String practice_heading();

    @Message("Practice name")
    String practice_name();

    @Message("Reply window (days)")
    String reply_window();

    @Message(
            "How many days after a conversation's last message a patient may still reply. Empty uses the platform's default.")
    String reply_window_hint();

    @Message("Business hours and holidays are set with the triage rules.")
    String hours_elsewhere();

    @Message("None yet.")
    String none_yet();

    @Message("Open to patients")
    String pool_active();

    @Message("Default")
    String reply_window_default();

    @Message("someone")
    String unknown_person();

    @Message("{days} days")
    String reply_window_days(int days);
}
