package dev.bluepost.audit;

import dev.bluepost.platform.PracticeZones;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The practice admin's audit settings: whether access to patient information is recorded (on by
 * default). Switching it is the admin's alone, CSRF-checked, and recorded as AUDIT_RECORDING even
 * when recording is switched off; security events are recorded whatever the setting.
 */
@Path("/admin/audit")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class AuditSettingsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(boolean recorded, String changedAt, boolean saved);
    }

    @Inject CurrentActor currentActor;

    @Inject AuditRecorder audit;

    @Inject PracticeZones directory;

    @Inject ReaderLanguage language;

    @GET
    public TemplateInstance settings(@jakarta.ws.rs.QueryParam("saved") String saved) {
        AuditRecorder.Recording recording = audit.recording(currentActor.get().practiceId());
        return Templates.settings(
                recording.patientAccessRecorded(),
                recording.changedAt() == null
                        ? null
                        : PracticeTimeFormat.of(
                                        directory.zoneOf(currentActor.get().practiceId()),
                                        language.locale())
                                .when(recording.changedAt()),
                saved != null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@FormParam("recording") String recording) {
        Actor admin = currentActor.get();
        boolean on =
                switch (recording == null ? "" : recording) {
                    case "on" -> true;
                    case "off" -> false;
                    default ->
                            throw BluepostException.said(
                                            ErrorKind.MALFORMED,
                                            AuditMessages.class,
                                            AuditMessages::error_recording)
                                    .about("recording");
                };
        audit.setPatientAccessRecording(admin, on);
        Log.infof(
                "audit recording switched by=%s practiceId=%s recorded=%s",
                admin.logId(), admin.practiceId(), on);
        return Response.seeOther(URI.create("/admin/audit?saved=" + (on ? "on" : "off"))).build();
    }
}
