package dev.bluepost.testing;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;

/** Test data as FHIR resources: {@code aPatient().managedBy(practice)…}. Every call gives unique identifiers. */
public final class Builders {

    public static final String BASE = "https://fhir.bluepost.dev";
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000);

    private Builders() {}

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static Organization aPractice() {
        Organization org = new Organization().setName("Practice " + SEQUENCE.incrementAndGet());
        org.addIdentifier().setSystem("urn:test:practice").setValue(unique("org"));
        org.addExtension(BASE + "/StructureDefinition/time-zone", new CodeType("America/New_York"));
        return org;
    }

    public static Location aLocation(String practiceRef, boolean cehrt) {
        Location location = new Location().setName("Clinic " + SEQUENCE.incrementAndGet());
        location.setManagingOrganization(new Reference(practiceRef));
        location.getAddress().setDistrict("Franklin").setState("OH");
        location.addExtension(BASE + "/StructureDefinition/cehrt-equipped", new BooleanType(cehrt));
        return location;
    }

    /** An eligible professional with a valid, unique NPI. */
    public static Practitioner anEp(String practiceRef) {
        Practitioner ep = new Practitioner();
        ep.addIdentifier().setSystem(NPI).setValue(validNpi());
        ep.addName().setFamily("Doctor" + SEQUENCE.incrementAndGet()).addGiven("Test");
        if (practiceRef != null) {
            ep.addExtension(BASE + "/StructureDefinition/practice", new Reference(practiceRef));
        }
        return ep;
    }

    public static Patient aPatient(String practiceRef) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:test:mrn").setValue(unique("mrn"));
        patient.addName().setFamily("Patient" + SEQUENCE.incrementAndGet()).addGiven("Test");
        if (practiceRef != null) {
            patient.setManagingOrganization(new Reference(practiceRef));
        }
        return patient;
    }

    public static RelatedPerson aProxy(String patientRef) {
        RelatedPerson proxy = new RelatedPerson().setPatient(new Reference(patientRef));
        proxy.addName().setFamily("Proxy" + SEQUENCE.incrementAndGet()).addGiven("Test");
        proxy.setPeriod(new Period().setStart(Date.from(Instant.now().minusSeconds(86_400))));
        return proxy;
    }

    public static CareTeam aPool(String practiceRef, String name, String... memberRefs) {
        CareTeam pool = new CareTeam().setName(name).setStatus(CareTeam.CareTeamStatus.ACTIVE);
        pool.addManagingOrganization(new Reference(practiceRef));
        for (String member : memberRefs) {
            pool.addParticipant().setMember(new Reference(member));
        }
        return pool;
    }

    public static Encounter aVisit(
            String patientRef,
            String epRef,
            String locationRef,
            String practiceRef,
            Instant start) {
        Encounter visit = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        visit.addIdentifier().setSystem("urn:test:encounter").setValue(unique("enc"));
        visit.getClass_()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("AMB");
        visit.setSubject(new Reference(patientRef));
        visit.addParticipant()
                .setIndividual(new Reference(epRef))
                .addType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
                .setCode("PPRF");
        visit.setPeriod(
                new Period().setStart(Date.from(start)).setEnd(Date.from(start.plusSeconds(1200))));
        if (locationRef != null) {
            visit.addLocation().setLocation(new Reference(locationRef));
        }
        visit.setServiceProvider(new Reference(practiceRef));
        return visit;
    }

    /** A patient's message to a recipient (Practitioner or CareTeam). */
    public static Communication aMessage(String patientRef, String recipientRef, String text) {
        Communication message =
                new Communication().setStatus(Communication.CommunicationStatus.COMPLETED);
        message.addIdentifier().setSystem("urn:test:message").setValue(unique("msg"));
        message.setSubject(new Reference(patientRef));
        message.setSender(new Reference(patientRef));
        message.addRecipient(new Reference(recipientRef));
        message.addCategory()
                .addCoding()
                .setSystem(BASE + "/CodeSystem/message-category")
                .setCode("medical-question");
        message.addPayload().setContent(new StringType(text));
        return message;
    }

    public static Communication sentAt(Communication message, Instant sent) {
        message.setSentElement(new DateTimeType(Date.from(sent)));
        return message;
    }

    /** A 10-digit NPI with a valid check digit (Luhn over 80840 + 9 digits). */
    public static String validNpi() {
        String base = String.format("1%08d", SEQUENCE.incrementAndGet() % 100_000_000);
        for (int check = 0; check < 10; check++) {
            String candidate = base + check;
            if (luhn("80840" + candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no check digit");
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
