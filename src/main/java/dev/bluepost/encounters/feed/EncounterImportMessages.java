package dev.bluepost.encounters.feed;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the encounter imports (the page, a job's progress and the reasons a line was not
 * loaded) in English: {@code {imports:…}} in templates. Spanish is in {@code messages/imports_es.properties}.
 */
@MessageBundle(value = "imports", locale = "en")
public interface EncounterImportMessages {

    @Message("Import encounters")
    String imports_title();

    @Message(
            "Upload the visits your EHR exports as a file of FHIR R4 Encounter resources, one per line (NDJSON), at most {megabytes} MB. Each visit needs an identifier (a system and a value): importing the same visit again updates it instead of adding it twice. Lines that cannot be loaded are listed by line number; every other line loads.")
    String imports_intro(long megabytes);

    @Message("File of visits (NDJSON)")
    String imports_file();

    @Message("Ends in .ndjson or .jsonl.")
    String imports_file_hint();

    @Message("Import")
    String imports_submit();

    @Message("Recent imports")
    String imports_recent();

    @Message("No imports yet.")
    String imports_none();

    @Message("Submitted")
    String col_submitted();

    @Message("File")
    String col_file();

    @Message("State")
    String col_state();

    @Message("Lines")
    String col_lines();

    @Message("Loaded")
    String col_loaded();

    @Message("Not loaded")
    String col_not_loaded();

    @Message("Sent by the EHR through the FHIR API")
    String imports_from_api();

    @Message("Waiting to start")
    String state_queued();

    @Message("Importing")
    String state_running();

    @Message("Finished")
    String state_completed();

    @Message("Failed")
    String state_failed();

    @Message("Interrupted")
    String state_interrupted();

    @Message("Encounter import")
    String job_title();

    @Message("{size} · submitted {when}")
    String job_meta(String size, String when);

    @Message("Progress")
    String job_progress();

    @Message("State:")
    String job_state();

    @Message("lines read")
    String job_lines();

    @Message("loaded")
    String job_loaded();

    @Message("new")
    String job_created();

    @Message("changed")
    String job_updated();

    @Message("unchanged")
    String job_unchanged();

    @Message("not loaded")
    String job_failed();

    @Message("Every line was loaded.")
    String job_no_errors();

    @Message("Lines not loaded")
    String job_errors();

    @Message("Line")
    String col_line();

    @Message("Why")
    String col_reason();

    @Message("The first {shown} of {all} are shown.")
    String job_errors_more(int shown, int all);

    @Message("All imports")
    String job_all();

    @Message("The line is longer than {kilobytes} KB.")
    String import_line_too_long(String kilobytes);

    @Message("The line is not JSON.")
    String import_line_not_json();

    @Message("The line is not a JSON object.")
    String import_line_not_object();

    @Message("The line has no resourceType; an Encounter was expected.")
    String import_line_no_resource_type();

    @Message("The line is a {type}, not an Encounter.")
    String import_line_not_encounter(String type);

    @Message("The line is a resource, not an Encounter.")
    String import_line_not_encounter_unnamed();

    @Message(
            "Encounter.identifier with a system and a value is required: it is how a repeated delivery is recognised.")
    String import_line_no_identifier();

    @Message(
            "Encounter.serviceProvider is Organization/{practice}, not the practice of the person importing.")
    String import_line_other_practice(String practice);

    @Message(
            "The database refused this encounter (a record it refers to may have changed meanwhile); import it again.")
    String import_line_database_refused();

    @Message(
            "The server stopped while this import ran. Import the file again: lines already loaded are not duplicated.")
    String import_interrupted();

    @Message(
            "The import stopped on an internal error; lines loaded before it stay loaded. Import the file again to finish it.")
    String import_failed_internal();

    @Message("Choose an NDJSON file of FHIR Encounters to import.")
    String import_choose_file();

    @Message(
            "The file is larger than {megabytes} MB. Split it into smaller NDJSON files (whole lines) and import each.")
    String import_too_large(long megabytes);

    @Message("Only a compliance officer or admin of a practice may import its encounters.")
    String import_not_allowed();
}
