package dev.bluepost.measurement;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The admin's county broadband reference data (FCC figures for the broadband exclusion,
 * docs/measures.md §6.2): the data sets on record and the CSV import, whose bad lines are listed by line number.
 */
@Path("/admin/broadband")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class BroadbandPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance broadband(
                List<DataSetRow> dataSets,
                BroadbandImporter.Result result,
                String importedDay,
                List<BadLineRow> badLines,
                String error,
                String errorField,
                String asOf);
    }

    /** A line not loaded, its problem in the reader's language. */
    public record BadLineRow(long line, String problem) {}

    /** A data set as the page shows it: its dates in words. */
    public record DataSetRow(BroadbandImporter.DataSet set, String asOf, String imported) {}

    @Inject DirectoryService directory;

    @Inject ReaderLanguage language;

    @Inject CurrentActor currentActor;

    @Inject BroadbandImporter importer;

    @GET
    public TemplateInstance page() {
        return page(null, null, null, "");
    }

    /** The form sent without a file (not as multipart): nothing to import. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response uploadWithoutFile(@jakarta.ws.rs.FormParam("asOf") String asOf) {
        return html(
                422,
                page(
                        null,
                        words().broadband_file_error(),
                        "files",
                        asOf == null ? "" : asOf.strip()));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm String asOf, @RestForm("files") FileUpload file) {
        Actor actor = currentActor.get();
        String shownDate = asOf == null ? "" : asOf.strip();
        LocalDate date;
        try {
            date = shownDate.isEmpty() ? null : LocalDate.parse(shownDate);
        } catch (DateTimeParseException e) {
            return html(422, page(null, words().broadband_date_error(), "asOf", shownDate));
        }
        if (file == null || file.uploadedFile() == null || file.size() == 0) {
            return html(422, page(null, words().broadband_file_error(), "files", shownDate));
        }
        BroadbandImporter.Result result;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            result = importer.importCsv(actor, date, in);
        } catch (BluepostException e) {
            return html(
                    422,
                    page(null, e.in(language.language()), e.field().orElse("files"), shownDate));
        } catch (IOException e) {
            return html(422, page(null, words().broadband_unreadable(), "files", shownDate));
        }
        return html(
                result.succeeded() ? 200 : 422,
                page(
                        result,
                        result.error() == null ? null : result.error().in(language.language()),
                        result.error() == null ? null : "files",
                        shownDate));
    }

    private ComplianceMessages words() {
        return language.messages(ComplianceMessages.class);
    }

    private TemplateInstance page(
            BroadbandImporter.Result result, String error, String errorField, String asOf) {
        PracticeTimeFormat time =
                PracticeTimeFormat.of(
                        directory.zoneOf(currentActor.get().practiceId()), language.locale());
        List<DataSetRow> sets =
                importer.dataSets().stream()
                        .map(d -> new DataSetRow(d, time.day(d.asOf()), time.when(d.importedAt())))
                        .toList();
        List<BadLineRow> badLines =
                result == null
                        ? List.of()
                        : result.badLines().stream()
                                .map(
                                        b ->
                                                new BadLineRow(
                                                        b.line(),
                                                        b.problem().in(language.language())))
                                .toList();
        return Templates.broadband(
                sets,
                result,
                result == null ? null : time.day(result.asOf()),
                badLines,
                error,
                errorField,
                asOf);
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .entity(page.render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }
}
