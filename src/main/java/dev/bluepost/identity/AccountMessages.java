package dev.bluepost.identity;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the sign-in, account and login-administration pages in English ({@code {account:…}});
 * Spanish in {@code messages/account_es.properties}.
 */
@MessageBundle(value = "account", locale = "en")
public interface AccountMessages {

    // ---- how times and dates are written (java.time patterns)
    @Message("EEE, MMM d, yyyy, h:mm a")
    String datetime_pattern();

    @Message("MMM d, yyyy")
    String date_pattern();

    // ---- sign-in
    @Message("Sign in")
    String login_title();

    @Message("Sign in to Bluepost")
    String login_heading();

    @Message("Write to your care team, read their answers and see your visit documents, securely.")
    String login_intro();

    @Message("User name")
    String login_username();

    @Message("Password")
    String login_password();

    @Message("Show password")
    String login_show_password();

    @Message("Hide password")
    String login_hide_password();

    @Message("Sign in")
    String login_submit();

    @Message(
            "Forgot your user name or password? Call the practice: they can help you sign in again.")
    String login_forgot();

    @Message("Enter your user name.")
    String login_username_missing();

    @Message("Enter your password.")
    String login_password_missing();

    @Message(
            "The user name or password is not correct. After repeated failures, sign-in is paused for a while; if you cannot sign in, contact the practice.")
    String login_refused();

    @Message(
            "You were signed out automatically because there was no activity for a while. Sign in again to continue.")
    String login_timed_out();

    @Message("You have signed out.")
    String login_signed_out();

    // ---- second step of sign-in
    @Message("Second step of sign-in")
    String challenge_title();

    @Message("Enter your code")
    String challenge_heading();

    @Message(
            "Your password was accepted. Open your authenticator app and enter the 6-digit code it shows for Bluepost.")
    String challenge_intro();

    @Message("Code")
    String challenge_code();

    @Message("Lost your phone? Enter one of your recovery codes instead (each works once).")
    String challenge_code_hint();

    @Message("Continue")
    String challenge_submit();

    @Message("Enter the code from your authenticator app, or one of your recovery codes.")
    String challenge_code_missing();

    @Message(
            "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.")
    String challenge_code_wrong();

    // ---- setting up the authenticator app
    @Message("Set up sign-in with an authenticator app")
    String enrol_title();

    @Message("Staff accounts need a second step at sign-in. Set it up now to continue.")
    String enrol_required();

    @Message("Install an authenticator app on your phone (any app for time-based codes).")
    String enrol_step_install();

    @Message("Scan this QR code with the app, or type the key below.")
    String enrol_step_scan();

    @Message("Enter the 6-digit code the app shows.")
    String enrol_step_code();

    @Message("QR code for your authenticator app")
    String enrol_qr();

    @Message("Key")
    String enrol_key();

    @Message("Time-based, 6 digits, a new code every 30 seconds.")
    String enrol_key_hint();

    @Message("Code from the app")
    String enrol_code();

    @Message("6 digits, without spaces.")
    String enrol_code_hint();

    @Message("Turn on")
    String enrol_submit();

    @Message("Enter the 6-digit code your authenticator app shows.")
    String code_missing();

    // ---- recovery codes
    @Message("Your recovery codes")
    String codes_title();

    @Message("Sign-in with an authenticator app is on.")
    String codes_enrolled();

    @Message("New recovery codes are ready. Your old ones no longer work.")
    String codes_replaced();

    @Message(
            "Write these codes down or print them, and keep them somewhere safe. Each one lets you sign in once without your phone. They are shown only now.")
    String codes_intro();

    @Message("I have saved them: continue")
    String codes_continue();

    // ---- sign-in and security
    @Message("Sign-in and security")
    String security_title();

    @Message("Authenticator app")
    String security_app_heading();

    @Message("On: sign-in asks for a code from your authenticator app.")
    String security_on();

    @Message("Unused recovery codes: {count}.")
    String security_unused_codes(long count);

    @Message(
            "A code from an authenticator app on your phone makes your account much harder to break into.")
    String security_off();

    @Message("Set up an authenticator app")
    String security_set_up();

    @Message("Recovery codes")
    String security_codes_heading();

    @Message(
            "Running out, or afraid someone saw them? Get a new set: it replaces all your unused codes.")
    String security_codes_hint();

    @Message("Get new recovery codes")
    String security_codes_button();

    @Message(
            "Replace all your unused recovery codes with new ones? The old ones stop working at once. Enter a code from your app to confirm it is you.")
    String security_codes_question();

    @Message("Yes, get new codes")
    String security_codes_yes();

    @Message("Turn off the second step")
    String security_off_heading();

    @Message("Turn off")
    String security_off_button();

    @Message(
            "Turn off the second step at sign-in? Your account will then be protected by your password alone. Enter a code from your app to confirm it is you.")
    String security_off_question();

    @Message("Yes, turn it off")
    String security_off_yes();

    @Message("Staff logins always keep the second step at sign-in.")
    String security_staff_keep();

    @Message("Password")
    String security_password_heading();

    @Message("Change your password")
    String security_change_password();

    @Message("You signed in with a recovery code; it cannot be used again.")
    String notice_recovery_used();

    @Message("Sign-in with an authenticator app is turned off.")
    String notice_mfa_removed();

    // ---- password
    @Message("Change your password")
    String password_title();

    @Message("Password changed. Your other sessions were signed out.")
    String password_saved();

    @Message(
            "Use {min} to {max} characters. Any characters work, spaces too: a few unrelated words make a strong password that is easy to remember. Passwords that are common or known from breaches are refused.")
    String password_rules(int min, int max);

    @Message("Current password")
    String password_current();

    @Message("New password")
    String password_new();

    @Message("New password again")
    String password_confirm();

    @Message("Change password")
    String password_submit();

    @Message("Enter your current password.")
    String password_current_missing();

    @Message("Enter a new password.")
    String password_new_missing();

    @Message("The two new passwords are not the same. Type the same password in both boxes.")
    String password_mismatch();

    // ---- refusals of the services, on the field they are about
    @Message("A user name has 3 to 64 characters: lowercase letters, digits, '.', '_', '-' or '@'.")
    String error_username_format();

    @Message("That user name is already taken. Choose another.")
    String error_username_taken();

    @Message("Enter the name shown in Bluepost (at most 100 characters).")
    String error_display_name();

    @Message("Enter one e-mail address, such as name@example.org.")
    String error_email();

    @Message("A patient's login stands for their patient record: choose it under Patients.")
    String error_patient_record();

    @Message(
            "A family member's or caregiver's login stands for their authorization: choose it under Family members and caregivers.")
    String error_proxy_record();

    @Message(
            "Providers and front-desk staff stand for their practitioner record, which signs their replies: choose it under Practitioners.")
    String error_practitioner_record();

    @Message("A provider's login needs a practitioner with an NPI.")
    String error_practitioner_npi();

    @Message("That practitioner does not work for this practice.")
    String error_practitioner_practice();

    @Message("Choose a record of this practice.")
    String error_record_unknown();

    @Message("Choose a role.")
    String error_role();

    @Message(
            "A password has {min} to {max} characters. Any characters are allowed, spaces too: a few unrelated words make a good one.")
    String error_password_length(int min, int max);

    @Message("That password is on a list of commonly used or breached passwords. Choose another.")
    String error_password_common();

    @Message(
            "A password that repeats or counts up one character (like aaaaaaaa or 12345678) is too easy to guess.")
    String error_password_sequence();

    @Message("A password must not be the user name.")
    String error_password_username();

    @Message("The new password is the same as the current one.")
    String error_password_same();

    @Message("The current password is not correct.")
    String error_current_password();

    @Message("That code is not right. Enter the 6-digit code your authenticator app shows now.")
    String error_code_wrong();

    @Message("The set-up took too long. Scan the new QR code below and enter the code it shows.")
    String error_enrolment_restart();

    @Message("No second factor is set up for this login.")
    String error_no_second_factor();

    @Message("Staff logins must keep their second factor.")
    String error_staff_keep();

    @Message("Another practice administrator must reset your own second factor.")
    String error_reset_own();

    @Message("That login has no second factor to reset.")
    String error_reset_nothing();

    @Message("That login is not locked and has no failed sign-ins to clear.")
    String error_unlock_nothing();

    @Message("No login of this practice has that user name.")
    String error_unknown_login();

    @Message("A login needs at least one person role (SYSTEM is for clients).")
    String error_role_none();

    @Message("A login is either a patient's, a proxy's or a staff member's, not several.")
    String error_role_several();

    @Message("A staff login names the practice (Organization) it works for.")
    String error_staff_practice();

    @Message("A second factor is already set up for this login.")
    String error_already_enrolled();

    @Message("Only a practice admin may do this.")
    String error_admin_only();

    @Message("This form has expired or did not come from this site. Reload the page and try again.")
    String error_form_expired();

    @Message("Choose Allow or Deny.")
    String error_consent_choose();

    @Message(
            "Only patients, and the people they authorize, can connect apps to Bluepost. Sign out, then sign in with a patient's or a proxy's login.")
    String error_consent_patients_only();

    @Message(
            "This app is not registered with Bluepost (unknown or missing client_id), so it cannot connect.")
    String error_app_unknown();

    @Message(
            "The address this app asked to return to (redirect_uri) is not registered for it, so Bluepost will not send you there.")
    String error_app_redirect();

    // ---- app consent
    @Message("Connect {app}")
    String consent_title(String app);

    @Message("Allow {app} to connect to your Bluepost account?")
    String consent_heading(String app);

    @Message("The app will act for the patient you choose below, under your own login.")
    String consent_for_proxy();

    @Message("The app will act for {name}.")
    String consent_for_patient(String name);

    @Message("If you allow it, the app may:")
    String consent_abilities();

    @Message("Read your messages with the care team")
    String ability_read_own();

    @Message("Read the patient's messages with the care team")
    String ability_read_patient();

    @Message("Send messages to your care team for you")
    String ability_send_own();

    @Message(
            "Send messages to the patient's care team, recorded as sent by you on the patient's behalf")
    String ability_send_patient();

    @Message("See your patient record details (name, date of birth, contact details)")
    String ability_record_own();

    @Message("See the patient's record details (name, date of birth, contact details)")
    String ability_record_patient();

    @Message(
            "Access lasts at most one hour; after that the app must ask again. It cannot see other patients' information or change your login.")
    String consent_limits();

    @Message("After you choose, you will return to {host}.")
    String consent_return(String host);

    @Message(
            "You have no authorization in force to act for a patient, so you cannot allow this app. If you think this is wrong, contact the practice.")
    String consent_no_authorization();

    @Message("Patient the app acts for")
    String consent_patient_legend();

    @Message("You are their {relationship}")
    String consent_relationship(String relationship);

    @Message("Allow")
    String consent_allow();

    @Message("Deny")
    String consent_deny();

    // ---- logins (practice administration)
    @Message("Logins")
    String logins_title();

    @Message("Logins of this practice")
    String logins_caption();

    @Message(
            "Login {username} created. Give the person their user name and initial password through a channel you trust.")
    String logins_created(String username);

    @Message(
            "Second factor reset for {username}. Their sessions have ended: staff set up a new one at their next sign-in; patients and family members may set one up again under Security.")
    String logins_reset_done(String username);

    @Message("{username} is unlocked: the failed sign-ins are cleared.")
    String logins_unlocked(String username);

    @Message("User name")
    String col_username();

    @Message("Name")
    String col_name();

    @Message("Role")
    String col_role();

    @Message("Stands for")
    String col_record();

    @Message("E-mail for notifications")
    String col_email();

    @Message("Second factor")
    String col_second_factor();

    @Message("Sign-in")
    String col_sign_in();

    @Message("Support")
    String col_support();

    @Message("Set up")
    String second_factor_on();

    @Message("Not set up")
    String second_factor_off();

    @Message("Locked until {when}")
    String lock_until(String when);

    @Message("1 failed sign-in")
    String lock_failed_one();

    @Message("{count} failed sign-ins")
    String lock_failed_many(int count);

    @Message("Normal")
    String lock_none();

    @Message("None")
    String none();

    @Message("Reset second factor")
    String reset_button();

    @Message(
            "Reset the second factor of {username}? Their sessions end, and they must set up an authenticator app again.")
    String reset_question(String username);

    @Message("Yes, reset it")
    String reset_yes();

    @Message("Unlock")
    String unlock_button();

    @Message("Unlock {username}? Do this only once you know it is the person themself.")
    String unlock_question(String username);

    @Message("Yes, unlock")
    String unlock_yes();

    @Message("No logins yet.")
    String logins_none();

    @Message(
            "Reset the second factor when someone lost their authenticator app and recovery codes: their sessions end, and staff set up a new one at their next sign-in. Unlock a login that was locked after repeated failed sign-ins once you know it is the person themself. Both are recorded in the audit log.")
    String logins_support_hint();

    @Message("New login")
    String new_login_heading();

    @Message("3 to 64 characters: lowercase letters, digits, '.', '_', '-' or '@'.")
    String field_username_hint();

    @Message("Name shown in Bluepost")
    String field_display_name();

    @Message("None (compliance officers and practice administrators)")
    String record_none();

    @Message(
            "A patient's login stands for their patient record, a family member's or caregiver's for their authorization; providers and front-desk staff need their practitioner record, which signs their replies.")
    String record_hint();

    @Message("Practitioners")
    String group_practitioners();

    @Message("Patients")
    String group_patients();

    @Message("Family members and caregivers")
    String group_proxies();

    @Message("{name} (NPI {npi})")
    String record_practitioner_npi(String name, String npi);

    @Message("{name}, born {date}")
    String record_patient_born(String name, String date);

    @Message("{name}, for {patient}")
    String record_proxy_for(String name, String patient);

    @Message("E-mail for notifications (optional)")
    String field_email();

    @Message(
            "Notifications only say that a new message is waiting, with a link to sign in. Without an address, a patient's login uses the address on their patient record; the person can change it under Notifications.")
    String field_email_hint();

    @Message("Initial password")
    String field_initial_password();

    @Message("At least {min} characters.")
    String field_initial_password_hint(int min);

    @Message("Create login")
    String create_submit();

    // ---- account lifecycle: password reset, admin actions, sessions (ADR 0040)
    @Message("Forgot your password? Get a reset link by e-mail")
    String forgot_link();

    @Message("Reset your password")
    String forgot_title();

    @Message(
            "Enter the e-mail address your Bluepost notices go to. If it belongs to a login, we e-mail a link to choose a new password. The link works once, for {minutes} minutes.")
    String forgot_intro(long minutes);

    @Message("E-mail address")
    String forgot_email();

    @Message("For example, name@example.org.")
    String forgot_email_hint();

    @Message("E-mail me a link")
    String forgot_submit();

    @Message("Enter your e-mail address.")
    String forgot_email_missing();

    @Message("Check your e-mail")
    String forgot_sent_title();

    @Message(
            "If a Bluepost login uses that address, an e-mail with a link to choose a new password is on its way. The link works once, for {minutes} minutes.")
    String forgot_sent(long minutes);

    @Message(
            "No e-mail after a few minutes? Look in your spam folder. Only a few links are sent per hour; if you still cannot sign in, call the practice.")
    String forgot_sent_help();

    @Message("Back to sign in")
    String forgot_back();

    @Message("Choose a new password")
    String reset_title();

    @Message(
            "Choose a new password for your Bluepost login. Afterwards you are signed out everywhere, and apps you connected must be allowed again.")
    String reset_intro();

    @Message("Save new password")
    String reset_submit();

    @Message("This link cannot be used")
    String reset_invalid_title();

    @Message(
            "The link was used already, has expired, or was not copied whole. Nothing was changed. Ask for a new link: each one works once, for a short time.")
    String reset_invalid();

    @Message("Ask for a new link")
    String reset_again();

    @Message("Your password was changed")
    String reset_done_title();

    @Message(
            "You were signed out everywhere, and connected apps were disconnected. Sign in with your new password.")
    String reset_done();

    @Message("Deactivated")
    String status_deactivated();

    @Message(
            "When someone leaves, deactivate their login: every session and connected app ends at once and sign-in is refused. A practice always keeps at least one active administrator. Every change is recorded in the audit log.")
    String logins_lifecycle_hint();

    @Message("Change roles")
    String roles_button();

    @Message("Roles of {username}")
    String roles_legend(String username);

    @Message("A change applies from the person's next page.")
    String roles_hint();

    @Message("Save roles")
    String roles_save();

    @Message("Send password reset")
    String reset_link_button();

    @Message(
            "E-mail {username} a link to choose a new password? Their current password keeps working until they use the link.")
    String reset_link_question(String username);

    @Message("Yes, send the link")
    String reset_link_yes();

    @Message("Sign out everywhere")
    String end_sessions_button();

    @Message("Sign {username} out of every browser and app now?")
    String end_sessions_question(String username);

    @Message("Yes, sign out everywhere")
    String end_sessions_yes();

    @Message("Deactivate")
    String deactivate_button();

    @Message(
            "Deactivate {username}? They are signed out of every browser and app at once and cannot sign in until the login is reactivated.")
    String deactivate_question(String username);

    @Message("Yes, deactivate")
    String deactivate_yes();

    @Message("Reactivate")
    String reactivate_button();

    @Message("Reactivate {username}? They can sign in again with their password.")
    String reactivate_question(String username);

    @Message("Yes, reactivate")
    String reactivate_yes();

    @Message("The roles of {username} were changed.")
    String logins_roles_done(String username);

    @Message("{username} was deactivated: signed out everywhere, and sign-in is refused.")
    String logins_deactivated(String username);

    @Message("{username} can sign in again.")
    String logins_reactivated(String username);

    @Message("A password reset link was e-mailed to {username}.")
    String logins_reset_sent(String username);

    @Message("{username} was signed out everywhere.")
    String logins_sessions_ended(String username);

    @Message("Your sessions")
    String sessions_title();

    @Message(
            "These browsers are signed in to your login now. Sign out any you do not recognize, then change your password.")
    String sessions_intro();

    @Message("Browsers signed in now")
    String sessions_caption();

    @Message("Browser and device")
    String col_device();

    @Message("Signed in")
    String col_signed_in();

    @Message("Last activity")
    String col_last_activity();

    @Message("This device")
    String this_device();

    @Message("Sign out")
    String session_end();

    @Message("Sign out {device}? Whoever uses it must sign in again.")
    String session_end_question(String device);

    @Message("Yes, sign it out")
    String session_end_yes();

    @Message("Sign out all other sessions")
    String sessions_end_others();

    @Message("Sign out every browser but this one?")
    String sessions_end_others_question();

    @Message("Yes, sign out the others")
    String sessions_end_others_yes();

    @Message("That session was signed out.")
    String sessions_ended_one();

    @Message("Other sessions signed out: {count}.")
    String sessions_ended_many(int count);

    @Message("That session had already ended.")
    String sessions_gone();

    @Message("{browser} on {os}")
    String device_on(String browser, String os);

    @Message("A browser")
    String device_unknown_browser();

    @Message("an unknown device")
    String device_unknown_os();

    @Message(
            "This password reset link cannot be used: it was used already, has expired, or was not copied whole.")
    String error_reset_link_invalid();

    @Message(
            "Only a staff login's roles can be changed: a patient's or a family member's login stands for their record.")
    String error_roles_staff_only();

    @Message("Choose at least one role.")
    String error_roles_none();

    @Message("The login already has exactly these roles.")
    String error_roles_unchanged();

    @Message("That login is deactivated already.")
    String error_already_inactive();

    @Message("That login is active already.")
    String error_already_active();

    @Message("Reactivate the login before sending it a password reset link.")
    String error_reset_inactive();

    @Message(
            "That login has no e-mail address to send the link to. Add one under Notifications, or give the person a new login.")
    String error_reset_no_address();

    @Message("End your own sessions on the Your sessions page: this would also sign you out here.")
    String error_end_own_sessions();

    @Message(
            "This is the practice's last active administrator. Give another login the administrator role first.")
    String error_last_admin();

    @Message("Connected apps")
    String apps_title();

    @Message(
            "These apps can use your account now, because you allowed them. If you no longer use or do not recognize one, disconnect it: it loses access at once.")
    String apps_intro();

    @Message(
            "No app is connected to your account now. An app connects when you allow it on the page it sends you to.")
    String apps_none();

    @Message("What it may do")
    String apps_may();

    @Message("Whose record")
    String apps_record();

    @Message("Authorized")
    String apps_authorized();

    @Message("Last used")
    String apps_last_used();

    @Message("Not used yet")
    String apps_not_used();

    @Message("The last use is recorded to within {minutes} minutes.")
    String apps_precision(int minutes);

    @Message("Disconnect")
    String apps_disconnect();

    @Message(
            "Disconnect {app}? It loses access at once. To use it again, you must allow it again from the app.")
    String apps_disconnect_question(String app);

    @Message("Yes, disconnect")
    String apps_disconnect_yes();

    @Message("The app was disconnected. It can no longer use your account.")
    String apps_disconnected();

    @Message("That app's access had already ended.")
    String apps_already_ended();

    @Message("Recently ended")
    String apps_ended_title();

    @Message("Apps whose access ended in the last {days} days, and why.")
    String apps_ended_intro(int days);

    @Message("Apps whose access ended")
    String apps_ended_caption();

    @Message("App")
    String apps_col_app();

    @Message("Ended")
    String apps_col_ended();

    @Message("Why")
    String apps_col_why();

    @Message("You disconnected it")
    String apps_why_disconnected();

    @Message("Your password was changed")
    String apps_why_password_changed();

    @Message("Your password was reset")
    String apps_why_password_reset();

    @Message("Your login was deactivated")
    String apps_why_login_deactivated();

    @Message("The practice signed your login out everywhere")
    String apps_why_ended_by_admin();

    @Message("Its one-time sign-in code was used twice, so it was stopped for safety")
    String apps_why_code_reused();

    @Message("Its access ran out after {minutes} minutes; the app must ask you again")
    String apps_why_expired(long minutes);

    @Message("An app that is no longer registered")
    String apps_unknown_app();

    @Message("Choose an app to disconnect.")
    String error_apps_choose();

    // ---- SMART App Launch 2: per-scope consent, grant lifetime (ADR 0047)
    @Message("Read the list of your visits (dates, clinicians, places)")
    String ability_visits_own();

    @Message("Read the list of the patient's visits (dates, clinicians, places)")
    String ability_visits_patient();

    @Message(
            "Read the visit documents your care team made available to you, such as visit summaries")
    String ability_documents_own();

    @Message(
            "Read the visit documents the care team made available to the patient, such as visit summaries")
    String ability_documents_patient();

    @Message("Choose what the app may do")
    String consent_choose_legend();

    @Message("Uncheck anything you do not want to allow. The app gets only what stays checked.")
    String consent_choose_hint();

    @Message("How long may the app have access?")
    String consent_lifetime_legend();

    @Message("Just this once")
    String consent_lifetime_once();

    @Message("For one hour. After that, the app must ask you again.")
    String consent_lifetime_once_hint();

    @Message("For 13 months")
    String consent_lifetime_months();

    @Message(
            "The app stays connected without asking again. You can disconnect it at any time under Connected apps.")
    String consent_lifetime_months_hint();

    @Message("The app cannot see other patients' information or change your login.")
    String consent_limits_other();

    @Message("Choose at least one thing the app may do, or choose Deny.")
    String error_consent_no_scope();

    @Message("Choose how long the app may have access.")
    String error_consent_lifetime();

    @Message("Access")
    String apps_access();

    @Message("Until {date}")
    String apps_access_until(String date);

    @Message("Just this once (one hour)")
    String apps_access_once();

    @Message("The 13 months you allowed ended; the app must ask you again")
    String apps_why_grant_ended();

    @Message("One of its renewal codes was used twice, so it was stopped for safety")
    String apps_why_refresh_reused();

    @Message("The app ended its own access")
    String apps_why_revoked_by_app();
}
