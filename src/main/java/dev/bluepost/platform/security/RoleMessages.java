package dev.bluepost.platform.security;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The roles in the words a practice uses, for every page that names a role (the logins list, the audit report,
 * a patient's access log): one wording, in English here and in Spanish in {@code messages/roles_es.properties}.
 * {@link Role#inWords} picks the message of a role.
 */
@MessageBundle(value = "roles", locale = "en")
public interface RoleMessages {

    @Message("Patient")
    String patient();

    @Message("Family member or caregiver")
    String proxy();

    @Message("Provider")
    String provider();

    @Message("Front desk")
    String front_desk();

    @Message("Compliance officer")
    String compliance();

    @Message("Practice administrator")
    String admin();

    @Message("Connected system")
    String system();

    @Message("Practice's connected system")
    String practice_client();
}
