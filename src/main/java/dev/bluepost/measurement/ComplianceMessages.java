package dev.bluepost.measurement;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the compliance pages (measures dashboard, a provider's patients, unattributed pool
 * messages, the PDF worksheet, broadband data) in English: {@code {compliance:…}} in
 * templates. Spanish is in {@code messages/compliance_es.properties}.
 */
@MessageBundle(value = "compliance", locale = "en")
public interface ComplianceMessages {

    // ---- dashboard: the form
    @Message("Meaningful Use measures")
    String title();

    @Message("Measure and reporting period")
    String choose_heading();

    @Message("Measure")
    String measure_label();

    @Message("First day")
    String first_day();

    @Message("Last day")
    String last_day();

    @Message("Both days are included, in the practice's time zone.")
    String period_hint();

    @Message("Counting choices")
    String flags_legend();

    @Message(
            "Where CMS leaves the choice to the practice. The defaults suit most practices; every report shows the choices it used.")
    String flags_hint();

    @Message("Show the results")
    String show();

    // ---- the measures, in words
    @Message(
            "Secure messaging, Stage 2: patients who send their provider a message (more than 5 %)")
    String measure_sm_s2();

    @Message("Secure messaging, Modified Stage 2 (2015): messaging fully turned on")
    String measure_sm_ms2_2015();

    @Message(
            "Secure messaging, Modified Stage 2 (2016): the provider writes to at least one patient")
    String measure_sm_ms2_2016();

    @Message(
            "Secure messaging, Modified Stage 2 (2017): the provider writes to more than 5 % of patients")
    String measure_sm_ms2_2017();

    @Message(
            "Secure messaging, Stage 3: the provider writes to patients, or to another provider with the patient included")
    String measure_sm_s3();

    @Message(
            "Online access, Stage 2 measure 1: patients given timely online access (more than 50 %)")
    String measure_pea_s2_m1();

    @Message(
            "Online access, Stage 2 measure 2: patients who view, download or send their information (more than 5 %)")
    String measure_pea_s2_m2();

    // ---- thresholds
    @Message("more than {percent} %")
    String threshold_more_than(int percent);

    @Message("at least 1 patient")
    String threshold_at_least_one();

    @Message("messaging fully turned on (yes or no)")
    String threshold_fully_enabled();

    // ---- counting choices (policy flags), each with a one-line explanation
    @Message("Messages to a shared inbox")
    String flag_pool();

    @Message(
            "Who gets credit when a patient writes to a shared inbox (such as the front desk) instead of a named provider.")
    String flag_pool_hint();

    @Message("Only the provider it was routed or assigned to (default)")
    String flag_pool_assigned();

    @Message("Every provider of the practice who saw the patient")
    String flag_pool_practice();

    @Message("Patients seen only by the provider's clinical staff")
    String flag_staff_visits();

    @Message(
            "Whether a visit with a nurse or assistant working under the provider counts as the provider seeing the patient (CMS FAQ 10665).")
    String flag_staff_visits_hint();

    @Message("Visits at locations without certified EHR")
    String flag_non_cehrt();

    @Message(
            "Whether visits at a location without certified EHR technology count once their information was entered into it, for a provider who meets the 50 % test (CMS FAQ 3077).")
    String flag_non_cehrt_hint();

    @Message("Automatic messages")
    String flag_system();

    @Message(
            "Whether automatic messages (acknowledgements, notices) count as written by the provider in the measures that count the provider's messages.")
    String flag_system_hint();

    @Message("Staff replies on a provider's behalf")
    String flag_staff_for_ep();

    @Message(
            "Whether a reply that staff send on behalf of a named provider counts as written by that provider.")
    String flag_staff_for_ep_hint();

    @Message("When a patient's view or download counts")
    String flag_pea_window();

    @Message(
            "For the online-access measures: when the patient's viewing, downloading or sending must happen to count.")
    String flag_pea_window_hint();

    @Message("From the start of the reporting year to attestation (CMS FAQ 8231, default)")
    String flag_pea_year();

    @Message("Only inside the reporting period")
    String flag_pea_period();

    @Message("Count them")
    String flag_count();

    @Message("Leave them out")
    String flag_leave_out();

    @Message("{choice} (default)")
    String flag_default(String choice);

    // ---- dashboard: the results
    @Message("{from} to {to}")
    String period(String from, String to);

    @Message(
            "To meet the measure: {threshold}. Met or not met is decided by exact comparison; percentages are rounded for display only.")
    String threshold_rule(String threshold);

    @Message(
            "Messages counted up to {when}: every message received before then is in these numbers.")
    String counted_up_to(String when);

    @Message("Some messages are not counted yet")
    String pending_title();

    @Message(
            "{count} messages or routings were accepted a moment ago and are not counted yet, so the numbers may be too low. Show the results again in a few seconds.")
    String pending_text(long count);

    @Message("Check the reporting period")
    String warnings_title();

    @Message("The report still runs.")
    String warnings_after();

    @Message("The period runs into {year}: a reporting period lies within one calendar year.")
    String period_crosses_year(int year);

    @Message(
            "2014: Medicare providers beyond their first year of meaningful use report a fixed calendar quarter; any 90 days is only for first-year providers.")
    String period_quarter_2014();

    @Message(
            "2014: the reporting period is a calendar quarter (returning Medicare providers) or any 90 days in a row (first-year providers); this one has {days} days.")
    String period_quarter_or_90_2014(long days);

    @Message(
            "{year}: the reporting period is any 90 days in a row within the year; this one has {days} days.")
    String period_90_days(int year, long days);

    @Message(
            "2017: a 90-day period is only for Medicaid providers in their first year of meaningful use; everyone else reports the full calendar year.")
    String period_90_only_medicaid_2017();

    @Message(
            "2017: the reporting period is the full calendar year (90 days in a row for Medicaid providers in their first year); this one has {days} days.")
    String period_full_year_2017(long days);

    @Message(
            "{year}: the period has {days} days, fewer than the 90 days in a row of the shortest reporting period.")
    String period_shorter_than_90(int year, long days);

    @Message(
            "This is the Stage 2 measure (program years up to 2014); from 2015 Modified Stage 2 applies.")
    String period_stage_2_after_2014();

    @Message("This is the {expected} measure; the period is in {year}.")
    String period_wrong_year(int expected, int year);

    @Message(
            "This is the 2017 measure (also Medicaid Modified Stage 2 in 2018); the period is in {year}.")
    String period_ms2_2017_wrong_year(int year);

    @Message("This is a Stage 3 measure (from 2016); the period is in {year}.")
    String period_stage_3_before_2016(int year);

    @Message(
            "2018 Stage 3 threshold: the 25 % finalized in 2015 is used; whether Medicaid used 5 % is not confirmed by a CMS source.")
    String period_stage_3_2018();

    @Message("This measure cannot be met on this portal")
    String not_available_title();

    @Message(
            "The measure counts patients who can view, download and send their information to a third party; this portal does not offer sending, so it counts nobody.")
    String not_available_reason();

    @Message(
            "The numbers below show who was seen; each provider's patient page shows how many were given timely access to what is available.")
    String not_available_more();

    @Message(
            "{count} of the {seen} patients were given timely access to view and download their information (not counted).")
    String timely_access(long count, long seen);

    @Message("Counting choices used")
    String flags_in_force();

    @Message("Results per eligible professional")
    String table_caption();

    @Message("Eligible professional")
    String col_ep();

    @Message("Patients who count")
    String col_numerator();

    @Message("Patients seen")
    String col_denominator();

    @Message("Percentage")
    String col_percent();

    @Message("Result")
    String col_result();

    @Message("Exclusions the provider may claim")
    String col_exclusions();

    @Message("Visits at certified-EHR locations")
    String col_cehrt();

    @Message("Patients still needed")
    String col_short();

    @Message("Details")
    String col_details();

    @Message("Met")
    String met();

    @Message("Not met")
    String not_met();

    @Message("Not met (not available)")
    String not_met_not_available();

    @Message("None")
    String none();

    @Message("{percent} ({cehrt} of {all} visits)")
    String cehrt_share(String percent, long cehrt, long all);

    @Message("Below the 50 % a meaningful user needs")
    String cehrt_too_low();

    @Message(
            "Only {cehrt} of {all} visits were at locations with certified EHR technology; at least 50 % are needed to be a meaningful user.")
    String cehrt_too_low_warning(long cehrt, long all);

    @Message("Patients")
    String link_patients();

    @Message("PDF worksheet")
    String link_worksheet();

    @Message("of {name}")
    String link_of(String name);

    @Message("No eligible professionals (providers with an NPI) in this practice yet.")
    String no_eps();

    @Message("Download this table (CSV)")
    String export_csv();

    @Message("Pool messages not credited to any provider")
    String unattributed_link();

    @Message(
            "Each bar is a provider's percentage; the dashed line is the threshold. Hatched bars marked \"not met\" are below it.")
    String chart_caption();

    @Message("Percentage per provider against the threshold ({threshold})")
    String chart_title(String threshold);

    @Message("met")
    String chart_met();

    @Message("not met")
    String chart_not_met();

    @Message("nobody seen")
    String chart_nobody_seen();

    @Message("threshold: {threshold}")
    String chart_threshold(String threshold);

    // ---- exclusions, in words
    @Message("No office visits in the period")
    String exclusion_no_office_visits();

    @Message("Little broadband where the provider sees patients")
    String exclusion_broadband();

    @Message("Neither orders nor creates the information patients would see")
    String exclusion_neither_orders_nor_creates();

    @Message("Secure messaging fully turned on")
    String exclusion_fully_enabled();

    @Message("May claim it")
    String eligible();

    @Message("Does not qualify")
    String not_eligible();

    @Message("{count} office visits with the provider in the period.")
    String evidence_office_visits(long count);

    @Message("Secure messaging has been on for the provider's practice since {day}.")
    String evidence_enabled_since(String day);

    @Message("Secure messaging is not turned on for the provider's practice.")
    String evidence_not_enabled();

    @Message(
            "{count} of the provider's visits in the period have visit documents posted (the provider attests this; evidence only).")
    String evidence_visit_documents(long count);

    @Message(
            "{count} of {all} encounters in counties where less than 50 % of housing units have {mbps} Mbps broadband.")
    String evidence_broadband(long count, long all, int mbps);

    @Message("FCC data set as of {asOf}, the latest available on {day}.")
    String evidence_broadband_data_set(String asOf, String day);

    @Message("No FCC data set was available on {day}.")
    String evidence_broadband_no_data_set(String day);

    @Message("Counties: {counties}.")
    String evidence_broadband_counties(String counties);

    @Message("No broadband data for: {counties}.")
    String evidence_broadband_unknown(String counties);

    // ---- one provider
    @Message("Measures")
    String crumb_measures();

    @Message("NPI {npi}")
    String npi(String npi);

    @Message("Patients who count, of patients seen")
    String row_counts();

    @Message("{numerator} of {denominator} ({percent})")
    String counts(long numerator, long denominator, String percent);

    @Message("Threshold")
    String row_threshold();

    @Message("Not available")
    String row_not_available();

    @Message("Office visits in the period")
    String row_office_visits();

    @Message("Visits at certified-EHR locations")
    String row_cehrt();

    @Message("Fully turned on")
    String row_fully_enabled();

    @Message("Calculated")
    String row_as_of();

    @Message("Messages counted up to")
    String row_counted_up_to();

    @Message("Warning")
    String row_warning();

    @Message("Exclusions")
    String exclusions_heading();

    @Message(
            "The provider claims an exclusion at attestation; Bluepost never applies one by itself.")
    String exclusions_hint();

    @Message("Exclusion")
    String col_exclusion();

    @Message("Can the provider claim it?")
    String col_eligible();

    @Message("Why")
    String col_evidence();

    @Message("Download the attestation worksheet (PDF)")
    String worksheet_link();

    @Message("What it would take")
    String what_if();

    @Message("The threshold is met.")
    String what_if_met();

    @Message(
            "No number of patients can meet this measure until Bluepost lets patients send their information on.")
    String what_if_not_available();

    @Message("{count} more of this provider's patients must be counted to meet it.")
    String what_if_short(long count);

    @Message("{count} patients seen are not counted yet.")
    String what_if_invite(int count);

    @Message("They have not sent this provider a secure message in the period: invite them.")
    String what_if_invite_sm_s2();

    @Message("Seen, not counted yet")
    String list_invite();

    @Message("Patients who count")
    String list_numerator();

    @Message("Patients seen")
    String list_denominator();

    @Message("Seen only at locations without certified EHR")
    String list_excluded();

    @Message("{count} patients")
    String patient_count(int count);

    @Message("Download as CSV")
    String list_csv();

    @Message("Patient")
    String col_patient();

    @Message("Born")
    String col_born();

    @Message("Visits that count")
    String col_visits();

    @Message("Messages or actions that count")
    String col_events();

    @Message("outside the reporting period")
    String outside_period();

    @Message("Unknown patient")
    String unknown_patient();

    // ---- unattributed pool messages
    @Message("Pool messages not credited to any provider")
    String unattributed_title();

    @Message(
            "Secure messages that patients or their representatives sent to a shared inbox (a pool such as the front desk) from {from} to {to} and that were never routed or assigned to a provider during the period.")
    String unattributed_intro(String from, String to);

    @Message(
            "With the default counting choice a pool message counts for a provider only once it is routed or assigned to one.")
    String unattributed_rule();

    @Message("Pool messages of the period")
    String unattributed_caption();

    @Message("Received")
    String col_received();

    @Message("Pool")
    String col_pool();

    @Message("None: every pool message of the period reached a provider.")
    String unattributed_none();

    // ---- the PDF worksheet
    @Message("Meaningful Use attestation worksheet")
    String pdf_title();

    @Message("Eligible professional")
    String pdf_ep();

    @Message("Practice")
    String pdf_practice();

    @Message("Measure")
    String pdf_measure();

    @Message("EHR reporting period")
    String pdf_period();

    @Message("{from} to {to}, both days included, in the practice's time zone")
    String pdf_period_value(String from, String to);

    @Message("Numerator (patients who count)")
    String pdf_numerator();

    @Message("Denominator (patients seen)")
    String pdf_denominator();

    @Message("{percent} (for display; met or not met is decided by exact comparison)")
    String pdf_percent_value(String percent);

    @Message("Generated")
    String pdf_generated();

    @Message(
            "{when}. Some messages were not counted yet: print the worksheet again in a few seconds.")
    String pdf_pending(String when);

    @Message("Exclusions (claimed by the provider at attestation, never applied automatically)")
    String pdf_exclusions();

    @Message("Counting choices used")
    String pdf_flags();

    @Message("Warnings")
    String pdf_warnings();

    @Message("Page {page}")
    String pdf_page(int page);

    // ---- words the broadband page shares with the encounter imports
    @Message("Import")
    String imports_submit();

    @Message("Not loaded")
    String col_not_loaded();

    @Message("Lines not loaded")
    String job_errors();

    @Message("Line")
    String col_line();

    // ---- broadband data
    @Message("County broadband data")
    String broadband_title();

    @Message(
            "The FCC figures behind the broadband exclusion: for each county, the share of housing units with at least 3 Mbps and at least 4 Mbps broadband. A report uses the latest data set whose as-of date is on or before the first day of its reporting period, and names that date in the exclusion's evidence.")
    String broadband_intro();

    @Message("Imported the data set as of {day}: {loaded} counties loaded.")
    String broadband_imported(String day, long loaded);

    @Message("It replaces the earlier data set of that date.")
    String broadband_replaced();

    @Message("{count} lines not loaded (below).")
    String broadband_rejected(long count);

    @Message("{count} lines in all; the first 200 are listed.")
    String broadband_more(long count);

    @Message("Import a data set")
    String broadband_import();

    @Message("As-of date")
    String broadband_as_of();

    @Message("When the FCC published the figures.")
    String broadband_as_of_hint();

    @Message("CSV file")
    String broadband_file();

    @Message(
            "First line: state,county,share_3mbps,share_4mbps (optionally fips), in any order. Shares as fractions (0.734) or percentages (73.4%). Importing the same as-of date again replaces that data set.")
    String broadband_file_hint();

    @Message("Give the as-of date as YYYY-MM-DD.")
    String broadband_date_error();

    @Message("Choose the CSV file to import.")
    String broadband_file_error();

    @Message("The file could not be read.")
    String broadband_unreadable();

    @Message("Data sets")
    String broadband_sets();

    @Message("Give the data set's as-of date (YYYY-MM-DD): the date the FCC published the figures.")
    String broadband_as_of_missing();

    @Message("The as-of date lies in the future.")
    String broadband_as_of_future();

    @Message("Line {line}: {problem} The first line must be the header.")
    String broadband_header_unreadable(long line, String problem);

    @Message(
            "The first line must be the header: state,county,share_3mbps,share_4mbps (and optionally fips), in any order.")
    String broadband_header();

    @Message(
            "The file is not UTF-8 text (near line {line}); save it as CSV (UTF-8) and import it again. Nothing was imported.")
    String broadband_not_utf8(long line);

    @Message("The file is empty.")
    String broadband_empty();

    @Message("No line of the file could be loaded; nothing was imported.")
    String broadband_nothing_loaded();

    @Message("Expected {expected} fields, found {found}.")
    String broadband_line_fields(int expected, int found);

    @Message("The state must be a two-letter code (e.g. IL).")
    String broadband_line_state();

    @Message("The county name is required (at most 100 characters).")
    String broadband_line_county();

    @Message("The county FIPS code must have five digits.")
    String broadband_line_fips();

    @Message("{column} must be a number from 0 to 1, or a percentage such as 73.4%.")
    String broadband_line_share_number(String column);

    @Message("{column} must lie between 0 and 1 (0 % and 100 %).")
    String broadband_line_share_range(String column);

    @Message("{column} has more than six decimals (as a fraction).")
    String broadband_line_share_decimals(String column);

    @Message("The county {county}, {state} is already on line {first}.")
    String broadband_line_repeated(String county, String state, long first);

    @Message("Text after a closing quote.")
    String broadband_line_after_quote();

    @Message("A quote is not closed.")
    String broadband_line_open_quote();

    @Message("No broadband data yet: reports cannot show the broadband exclusion's evidence.")
    String broadband_none();

    @Message("As of")
    String col_as_of();

    @Message("Imported")
    String col_imported();

    @Message("Counties")
    String col_counties();

    @Message("Problem")
    String col_problem();

    @Message("There is a problem")
    String error_heading();

    @Message("Measure reports are for system clients and compliance officers.")
    String error_reports_not_allowed();

    @Message("A reporting period needs periodStart and periodEnd (YYYY-MM-DD).")
    String error_period_missing();

    @Message("The reporting period is reversed: periodEnd {end} is before periodStart {start}.")
    String error_period_reversed(String start, String end);

    @Message("The parameter {name} (YYYY-MM-DD) is required.")
    String error_parameter_required(String name);

    @Message("The parameter {name} must be a date YYYY-MM-DD.")
    String error_parameter_not_date(String name);

    @Message("The parameter {name} is not a valid date.")
    String error_parameter_invalid_date(String name);

    @Message("The parameter {name} must be true or false.")
    String error_parameter_boolean(String name);

    @Message("The parameter {name} must be one of {allowed}.")
    String error_parameter_one_of(String name, String allowed);
}
