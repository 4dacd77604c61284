package dev.bluepost.directory;

import dev.bluepost.directory.DirectoryViews.LocationView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PracticeView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The practice admin's view of the directory: locations, practitioners, pools and patients. */
@Path("/admin")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class DirectoryPage {

    public record PoolRow(PoolView pool, String members) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance directory(
                PracticeView practice,
                List<LocationView> locations,
                List<PractitionerView> practitioners,
                List<PoolRow> pools,
                int patientCount,
                int testPatientCount,
                String zoneName);
    }

    @Inject CurrentActor currentActor;

    @Inject DirectoryService directory;

    @Inject ReaderLanguage reader;

    @GET
    public TemplateInstance directory() {
        Actor actor = currentActor.get();
        PracticeView practice =
                directory
                        .practice(actor.practiceId())
                        .orElseThrow(
                                () ->
                                        BluepostException.notFound(
                                                "Organization", actor.practiceId()));
        List<PractitionerView> practitioners = directory.practitionersOfPractice(practice.id());
        Map<UUID, String> names =
                practitioners.stream()
                        .collect(
                                Collectors.toMap(
                                        PractitionerView::id, PractitionerView::displayName));
        List<PoolRow> pools =
                directory.poolsOfPractice(practice.id()).stream()
                        .map(
                                p ->
                                        new PoolRow(
                                                p,
                                                p.memberIds().stream()
                                                        .filter(names::containsKey)
                                                        .map(names::get)
                                                        .sorted()
                                                        .collect(Collectors.joining(", "))))
                        .toList();
        var patients = directory.patientsOfPractice(practice.id());
        return Templates.directory(
                practice,
                directory.locationsOfPractice(practice.id()),
                practitioners,
                pools,
                patients.size(),
                (int) patients.stream().filter(p -> p.testPatient()).count(),
                zoneName(practice.zone(), reader.locale()));
    }

    /** The practice's time zone as people say it ("Eastern Time (New York)"), never its id. */
    static String zoneName(ZoneId zone, Locale locale) {
        String name = zone.getDisplayName(TextStyle.FULL_STANDALONE, locale);
        if (name.equals(zone.getId())) {
            name = zone.getDisplayName(TextStyle.FULL, locale);
        }
        int slash = zone.getId().lastIndexOf('/');
        String city = slash < 0 ? null : zone.getId().substring(slash + 1).replace('_', ' ');
        return city == null || name.contains(city) ? name : name + " (" + city + ")";
    }
}
