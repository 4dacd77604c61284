package dev.bluepost.measurement;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * The compliance officer's roster of eligible professionals (practitioners with an NPI) and the
 * finished visits recorded for each over the last 90 days: the data the measures are computed from.
 */
@Path("/compliance")
@RolesAllowed(Roles.COMPLIANCE)
@Produces(MediaType.TEXT_HTML)
public class CompliancePage {

    public record EpRow(PractitionerView ep, long visits, long uniquePatients) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance roster(List<EpRow> rows, LocalDate from, LocalDate to);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    DirectoryService directory;

    @Inject
    EncounterService encounters;

    @Inject
    Clock clock;

    @GET
    public TemplateInstance roster() {
        Actor actor = currentActor.get();
        LocalDate to = LocalDate.ofInstant(clock.instant(), directory.zoneOf(actor.practiceId()));
        LocalDate from = to.minusDays(89);
        List<EpRow> rows = directory.practitionersOfPractice(actor.practiceId()).stream()
                .filter(PractitionerView::isEligibleProfessional)
                .map(ep -> {
                    EncounterService.VisitCounts counts = encounters.finishedVisits(ep.id(), actor.practiceId(), from, to);
                    return new EpRow(ep, counts.visits(), counts.uniquePatients());
                })
                .toList();
        return Templates.roster(rows, from, to);
    }
}
