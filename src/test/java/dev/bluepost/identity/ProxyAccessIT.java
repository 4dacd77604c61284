package dev.bluepost.identity;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy acts for the patient under their own login; messages record the RelatedPerson as sender
 * on the patient's behalf; the authorization's period (end inclusive, in the practice's zone)
 * decides access, and its end ends access at once.
 */
@QuarkusTest
class ProxyAccessIT {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldRecordProxyAsSenderOnBehalfOfPatientUntilAuthorizationEnds() {
        PracticeFixture practice = PracticeFixture.create(identities);
        LocalDate today = LocalDate.now(NEW_YORK);
        // late on the authorization's last day (all steps fit in one session's idle time)
        clock.set(today.atTime(23, 40).atZone(NEW_YORK).toInstant());
        RelatedPerson parent = aProxy(practice.patient);
        parent.setPeriod(
                new Period()
                        .setStartElement(new DateTimeType(today.minusYears(1).toString()))
                        .setEndElement(new DateTimeType(today.toString())));
        String proxyId = Api.create(parent);
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        UUID userId =
                identities.createUser(
                        new IdentityService.NewUser(
                                login,
                                PracticeFixture.PASSWORD,
                                "A Parent",
                                Set.of(Role.PROXY),
                                null,
                                null,
                                null,
                                Set.of(UUID.fromString(proxyId))));
        assertThat(identities.activeAuthorizations(userId))
                .singleElement()
                .satisfies(a -> assertThat(a.id().toString()).isEqualTo(proxyId));

        WebSession proxy = WebSession.signIn(login, PracticeFixture.PASSWORD);
        proxy.get("/patient").then().statusCode(200).body(containsString("You are acting for"));
        proxy.get("/patient/messages/new");
        proxy.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "appointment",
                                "subject",
                                "Check-up",
                                "text",
                                "Can my daughter come in next week?"))
                .then()
                .statusCode(303);
        fhir().get("/fhir/Communication?subject=" + practice.patient)
                .then()
                .body("total", is(1))
                .body("entry[0].resource.sender.reference", equalTo("RelatedPerson/" + proxyId))
                .body("entry[0].resource.extension[0].valueCode", equalTo("PROXY"));

        // the authorization runs through the whole of its last day, then ends at once
        clock.set(today.atTime(23, 59).atZone(NEW_YORK).toInstant());
        proxy.get("/patient").then().statusCode(200);
        clock.set(today.plusDays(1).atStartOfDay(NEW_YORK).toInstant().plus(Duration.ofMinutes(1)));
        proxy.get("/patient").then().statusCode(403);
        proxy.get("/proxy/choose")
                .then()
                .statusCode(200)
                .body(containsString("no authorization in force"));
        assertThat(identities.activeAuthorizations(userId)).isEmpty();
    }
}
