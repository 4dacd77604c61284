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

    @Message("{count} {#if count == 1}test patient{#else}test patients{/if} (never counted in measures)")
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
}
