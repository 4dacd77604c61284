package dev.bluepost.identity;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of patient enrolment (ADR 0041): the front desk's invitation page and printed letter, and
 * the patient's {@code /activate} pages; Spanish in {@code messages/enrol_es.properties}.
 */
@MessageBundle(value = "enrol", locale = "en")
public interface EnrolMessages {

    // the front desk's invitation

    @Message("Invite to the portal")
    String invite_action();

    @Message("Invite {name} to the portal")
    String invite_title(String name);

    @Message(
            "Issue an activation code. The patient enters it at home with their date of birth to create their own account. The code is shown once, on a letter to print and hand over; it can also be e-mailed to the address on the patient's record.")
    String invite_intro();

    @Message("Born")
    String invite_born();

    @Message("How the patient gets the code")
    String invite_delivery();

    @Message("Print a letter (always)")
    String invite_print();

    @Message("Also e-mail the code to the address on the patient's record")
    String invite_email();

    @Message("The patient's record has no e-mail address, so the code is only printed.")
    String invite_no_email();

    @Message("Language of the letter and the e-mail")
    String invite_language();

    @Message(
            "Issuing a code stops any earlier code of this patient that was not used yet. The code works for {days} days.")
    String invite_replaces(long days);

    @Message("Issue activation code")
    String invite_submit();

    @Message("Back to online access")
    String invite_back();

    // the letter

    @Message("Activation letter for {name}")
    String letter_title(String name);

    @Message(
            "Activation code issued. It is shown only on this page: print the letter now and give it to the patient.")
    String letter_issued();

    @Message("The code was also e-mailed to the address on the patient's record.")
    String letter_emailed();

    @Message("Print the letter")
    String letter_print();

    @Message("To print the letter, use your browser's Print command.")
    String letter_print_hint();

    @Message("Your Bluepost account")
    String letter_heading();

    @Message("For {name}")
    String letter_for(String name);

    @Message(
            "{practice} invites you to send and read secure messages with your care team on Bluepost. To create your account:")
    String letter_intro(String practice);

    @Message("Open this page:")
    String letter_step_open();

    @Message("Enter this activation code and your date of birth:")
    String letter_step_code();

    @Message("Choose a user name and a password.")
    String letter_step_choose();

    @Message(
            "The code works once, until {day}. If it has expired, ask the practice for a new one. Keep this letter private: the code opens an account in your name.")
    String letter_valid(String day);

    // the patient's activation

    @Message("Activate your account")
    String activate_title();

    @Message(
            "Your practice gave you an activation code, on a letter or by e-mail. Enter it with your date of birth to create your account.")
    String activate_intro();

    @Message("Activation code")
    String activate_code();

    @Message(
            "16 letters and digits, for example ABCD-EFGH-JKMN-PQRS. Capitals, spaces and dashes do not matter.")
    String activate_code_hint();

    @Message("Date of birth")
    String activate_birth();

    @Message("For example: January 19 2000")
    String activate_birth_hint();

    @Message("Month")
    String activate_month();

    @Message("- Select -")
    String activate_month_select();

    @Message("Day")
    String activate_day();

    @Message("Year")
    String activate_year();

    @Message("Continue")
    String activate_continue();

    @Message("Already have an account? Sign in")
    String activate_sign_in();

    @Message(
            "This code and date of birth do not match an invitation that can be used. Check them, or ask the practice for a new code.")
    String activate_refused();

    @Message("Enter the activation code from your letter or e-mail.")
    String activate_code_missing();

    @Message("Enter your date of birth: month, day and a four-digit year.")
    String activate_birth_missing();

    @Message("Choose your sign-in details")
    String choose_title();

    @Message("Your code is right. Choose the user name and the password you will sign in with.")
    String choose_intro();

    @Message("User name")
    String choose_username();

    @Message(
            "3 to 64 characters: lower-case letters, digits, '.', '_', '-' or '@'. Your e-mail address works too.")
    String choose_username_hint();

    @Message("Choose a user name.")
    String choose_username_missing();

    @Message("Create my account")
    String choose_submit();

    @Message("Your account is ready")
    String welcome_title();

    @Message("You are signed in. From now on, sign in with your user name and password.")
    String welcome_intro();

    @Message("Protect your account with a second step (optional)")
    String welcome_mfa_heading();

    @Message(
            "With an authenticator app on your phone, signing in also asks for a six-digit code, so a stolen password alone cannot open your account. You can set it up later under Security.")
    String welcome_mfa_text();

    @Message("Set up an authenticator app")
    String welcome_mfa_set_up();

    @Message("Not now: go to my messages")
    String welcome_skip();

    // refusals

    @Message(
            "This patient already has a portal account. If they cannot sign in, they can reset their password from the sign-in page, or a practice admin can help under Logins.")
    String error_has_login();

    @Message(
            "The patient's record has no date of birth, which the patient needs to activate. Add it to the record in the EHR first.")
    String error_no_birth_date();

    @Message(
            "This record is a test patient, inactive, or was merged into another record; invite the patient on their current record.")
    String error_not_current_record();

    @Message("The patient's record has no usable e-mail address. Print the letter instead.")
    String error_no_email();

    @Message("Your login belongs to no practice.")
    String error_no_practice();
}
