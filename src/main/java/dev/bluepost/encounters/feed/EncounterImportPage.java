package dev.bluepost.encounters.feed;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.encounters.feed.EncounterImportService.JobView;
import dev.bluepost.encounters.feed.EncounterImportService.Source;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Bulk encounter import for compliance officers and admins: upload an NDJSON file of FHIR
 * Encounters (CSRF-checked multipart form; the upload goes to disk, never into memory), then watch
 * the job's progress bar (updated by {@code /js/encounter-import.js} from the JSON status) and read
 * the lines that were not loaded, by line number.
 */
@Path("/compliance/encounter-imports")
@RolesAllowed({Roles.COMPLIANCE, Roles.ADMIN})
public class EncounterImportPage {

    /**
     * A job as the pages show it: its submission time in the practice's zone, its state and size in words, and
     * why it stopped (if it failed or was interrupted) in words.
     */
    public record JobRow(
            JobView job, String submitted, String state, String size, String failure) {}

    /** A line not loaded, its reason in the reader's language. */
    public record ErrorRow(long line, String reason, String lang) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance imports(List<JobRow> jobs, long maxMegabytes);

        static native TemplateInstance job(JobRow row, JobView job, List<ErrorRow> errors);
    }

    @Inject DirectoryService directory;

    @Inject ReaderLanguage language;

    @Inject EncounterImportService imports;

    @Inject CurrentActor currentActor;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return Templates.imports(
                imports.recent(currentActor.get()).stream().map(this::row).toList(),
                imports.maxBytes() / (1024 * 1024));
    }

    /** The form as browsers send it: the chosen file. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    public Response upload(@RestForm("files") FileUpload file) {
        if (file == null
                || file.uploadedFile() == null
                || (file.fileName() == null || file.fileName().isBlank()) && file.size() == 0) {
            throw chooseFile();
        }
        if (file.size() > imports.maxBytes()) {
            throw EncounterImportService.tooLarge(imports.maxBytes());
        }
        UUID job;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            job = imports.submit(in, file.fileName(), Source.PAGE, currentActor.get());
        } catch (IOException e) {
            throw new IllegalStateException("upload not readable", e);
        }
        return Response.seeOther(URI.create("/compliance/encounter-imports/" + job)).build();
    }

    /** A form without a file (a plain form post): refused with the reason. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response uploadWithoutFile() {
        throw chooseFile();
    }

    private static BluepostException chooseFile() {
        return BluepostException.said(
                        ErrorKind.MALFORMED,
                        EncounterImportMessages.class,
                        EncounterImportMessages::import_choose_file)
                .about("files");
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance job(@PathParam("id") String id) {
        JobView job = imports.job(jobId(id), currentActor.get());
        List<ErrorRow> errors =
                job.errors().stream()
                        .map(
                                e ->
                                        new ErrorRow(
                                                e.line(),
                                                e.in(language.language()),
                                                // a reason without a code (the FHIR parser's, or
                                                // kept before codes) is English: marked so for a
                                                // screen reader
                                                e.problem() == null
                                                                && language.language()
                                                                        != dev.bluepost.platform
                                                                                .i18n.Language
                                                                                .ENGLISH
                                                        ? "en"
                                                        : null))
                        .toList();
        return Templates.job(row(job), job, errors);
    }

    /** The job as JSON, for the progress bar. */
    @GET
    @Path("{id}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public EncounterImportService.JobStatus status(@PathParam("id") String id) {
        return EncounterImportService.JobStatus.of(imports.job(jobId(id), currentActor.get()));
    }

    private JobRow row(JobView job) {
        EncounterImportMessages words = language.messages(EncounterImportMessages.class);
        PracticeTimeFormat time =
                PracticeTimeFormat.of(
                        directory.zoneOf(currentActor.get().practiceId()), language.locale());
        String state =
                switch (job.state()) {
                    case "QUEUED" -> words.state_queued();
                    case "RUNNING" -> words.state_running();
                    case "COMPLETED" -> words.state_completed();
                    case "FAILED" -> words.state_failed();
                    default -> words.state_interrupted();
                };
        // the failure is stored in English; its words follow from the state (one reason per state)
        String failure =
                job.failure() == null
                        ? null
                        : switch (job.state()) {
                            case "FAILED" -> words.import_failed_internal();
                            case "INTERRUPTED" -> words.import_interrupted();
                            default -> job.failure();
                        };
        return new JobRow(
                job,
                time.when(job.submittedAt()),
                state,
                size(job.bytes(), language.locale()),
                failure);
    }

    /** "2.4 MB", "830 kB", "512 bytes". */
    static String size(long bytes, java.util.Locale locale) {
        if (bytes >= 1024 * 1024) {
            return String.format(locale, "%.1f MB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024) {
            return String.format(locale, "%d kB", Math.round(bytes / 1024.0));
        }
        return bytes + " bytes";
    }

    static UUID jobId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("EncounterImport", id));
    }
}
