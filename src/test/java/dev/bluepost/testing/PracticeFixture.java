package dev.bluepost.testing;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

/**
 * A small practice created the way an integrator would (FHIR API as the system client), plus logins:
 * an EP who saw the patient, a front-desk staff member, a "Front desk" pool, two patients.
 * References are {@code Type/id}; logins share {@link #PASSWORD}.
 */
public final class PracticeFixture {

    public static final String PASSWORD = "fixture-password-1";

    public final String practice;
    public final String location;
    public final String ep;
    public final String staff;
    public final String pool;
    public final String patient;
    public final String otherPatient;
    public final String patientLogin;
    public final String otherPatientLogin;
    public final String frontDeskLogin;
    public final String providerLogin;

    private PracticeFixture(IdentityService identities) {
        practice = "Organization/" + Api.create(aPractice());
        location = "Location/" + Api.create(aLocation(practice, true));
        ep = "Practitioner/" + Api.create(anEp(practice));
        var staffResource = anEp(practice);
        staffResource.getIdentifier().clear();
        staff = "Practitioner/" + Api.create(staffResource);
        pool = "CareTeam/" + Api.create(aPool(practice, "Front desk", staff));
        patient = "Patient/" + Api.create(aPatient(practice));
        otherPatient = "Patient/" + Api.create(aPatient(practice));
        Api.create(
                aVisit(patient, ep, location, practice, Instant.now().minus(10, ChronoUnit.DAYS)));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        patientLogin = "patient-" + suffix;
        otherPatientLogin = "other-" + suffix;
        frontDeskLogin = "desk-" + suffix;
        providerLogin = "doc-" + suffix;
        identities.createUser(
                new IdentityService.NewUser(
                        patientLogin,
                        PASSWORD,
                        "Fixture Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        id(patient),
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        otherPatientLogin,
                        PASSWORD,
                        "Other Patient",
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        id(otherPatient),
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        frontDeskLogin,
                        PASSWORD,
                        "Front Desk",
                        Set.of(Role.FRONT_DESK),
                        id(practice),
                        id(staff),
                        null,
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        providerLogin,
                        PASSWORD,
                        "Doctor",
                        Set.of(Role.PROVIDER),
                        id(practice),
                        id(ep),
                        null,
                        Set.of()));
    }

    public static PracticeFixture create(IdentityService identities) {
        return new PracticeFixture(identities);
    }

    public static UUID id(String reference) {
        return UUID.fromString(reference.substring(reference.indexOf('/') + 1));
    }
}
