package dev.bluepost.identity.apps;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of the practice's "Connected systems" pages (/admin/integrations: backend clients,
 * ADR 0048) in English ({@code {integrations:…}}); Spanish in {@code messages/integrations_es.properties}.
 */
@MessageBundle(value = "integrations", locale = "en")
public interface IntegrationMessages {

    @Message("Connected systems")
    String title();

    @Message(
            "Systems of your practice, such as your electronic health record, can read your practice's information "
                    + "through the FHIR API. Each one proves who it is with a signed request, made with a private key that "
                    + "stays with that system. Here you register the matching public keys.")
    String intro();

    @Message("Add a system")
    String add();

    @Message("System")
    String col_name();

    @Message("Client ID")
    String col_client_id();

    @Message("Keys")
    String col_keys();

    @Message("Status")
    String col_status();

    @Message("Actions")
    String col_actions();

    @Message("Allowed")
    String status_enabled();

    @Message("Turned off")
    String status_disabled();

    @Message("No system is connected yet.")
    String none_yet();

    @Message("Change keys")
    String edit();

    @Message("Turn off")
    String disable();

    @Message(
            "Turn off this system? It can no longer get access, and the access it has ends within a minute.")
    String disable_question();

    @Message("Allow again")
    String enable();

    @Message("Saved.")
    String saved();

    @Message("Register a system")
    String new_heading();

    @Message("Change a system's keys")
    String edit_heading();

    @Message("Name")
    String name_label();

    @Message("A name your staff will recognize, for example the name of your health record system.")
    String name_hint();

    @Message("Public keys")
    String keys_label();

    @Message(
            "Paste the public keys as a JSON Web Key Set, as the system's vendor gives them. Each key needs an ID (kid). "
                    + "RSA keys need at least 2048 bits; elliptic-curve keys use P-256 or P-384. Never paste a private key.")
    String keys_hint();

    @Message("Save")
    String save();

    @Message("Cancel")
    String cancel();

    @Message("What the system needs")
    String details_heading();

    @Message("Token address")
    String token_url();

    @Message("It can read")
    String reads_label();

    @Message(
            "Your practice's patients, messages, visits, staff, locations, care teams, tasks, visit documents, audit trail and measure reports. Nothing of other practices. It cannot change anything.")
    String reads_text();

    @Message("Back to the list")
    String back();

    @Message("Enter a name for the system.")
    String error_name_empty();

    @Message("The name can have at most 200 characters.")
    String error_name_long();

    @Message("Paste the system's public keys.")
    String error_keys_empty();

    @Message(
            "This is not a JSON Web Key Set. It must be a JSON object with a list named keys, holding one to ten keys.")
    String error_keys_not_jwks();

    @Message(
            "This contains a private key. Never share a private key: keep it with the system, and paste only the public keys.")
    String error_keys_private();

    @Message("Every key needs an ID (kid).")
    String error_keys_kid();

    @Message("Two keys have the same ID (kid). Each key needs its own.")
    String error_keys_kid_twice();

    @Message("An RSA key is too short. RSA keys need at least 2048 bits.")
    String error_keys_rsa_short();

    @Message("Only RSA keys and elliptic-curve keys on P-256 or P-384 can be used.")
    String error_keys_type();

    @Message("This system is not one of your practice's.")
    String error_not_found();

    @Message("Only a practice's administrator can manage its connected systems.")
    String error_not_allowed();

    @Message("Connected systems")
    String nav();

    @Message(
            "Paste the whole set of public keys the system uses from now on: a key you leave out stops working.")
    String keys_replace_hint();
}
