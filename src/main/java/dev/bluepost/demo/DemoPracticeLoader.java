package dev.bluepost.demo;

import dev.bluepost.encounters.VisitDocumentService;
import dev.bluepost.fhir.FhirOperations;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.TransactionProcessor;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.IdentityService.NewUser;
import dev.bluepost.measurement.BroadbandImporter;
import dev.bluepost.measurement.PatientAccessService;
import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadActions;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

/**
 * Loads the demo practice (demo profile only, idempotent): Riverbend Family Medicine in
 * America/New_York with two locations (one without certified EHR technology), three EPs, a
 * front-desk staff member, compliance officer and admin logins, 40 patients (one a child with a
 * parent proxy, one a test patient), the pools "Front desk", "Refills" and "On call" (the three
 * doctors), the default triage rules and response-time targets (SLA) as a practice would set them,
 * visits over the last 120 days, and a few threads (one a red flag nearing its on-call target).
 * The directory goes in as one FHIR transaction, exactly as an EHR would send it; threads are sent
 * through the messaging service, so they reach the queue through Kafka like any other message. All
 * people are fictitious.
 */
@ApplicationScoped
public class DemoPracticeLoader {

    static final String DEMO_SYSTEM = "https://bluepost.dev/demo";

    /** The demo's registered patient app (application.properties, demo and dev profiles). */
    static final String DEMO_APP = "demo-app";

    /** A second demo app, which alice connected and disconnected (her page's "Recently ended"). */
    static final String DEMO_DIARY = "demo-diary";

    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final String[] GIVEN = {
        "Alice", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas",
        "Keiko", "Luis", "Maya", "Nikolai", "Olivia", "Pavel", "Quinn", "Rosa", "Samir", "Tara"
    };
    private static final String[] FAMILY = {
        "Nguyen",
        "Okafor",
        "Schmidt",
        "Patel",
        "Garcia",
        "Kowalski",
        "Haddad",
        "Moreau",
        "Lindqvist",
        "Tanaka"
    };

    private final TransactionProcessor transactions;
    private final FhirOperations fhir;
    private final IdentityService identities;
    private final MessageSending sending;
    private final ThreadActions threadActions;
    private final dev.bluepost.triage.TriageSetup triage;
    private final dev.bluepost.triage.SlaService sla;
    private final dev.bluepost.directory.DirectoryService directory;
    private final PatientAccessService patientAccess;
    private final VisitDocumentService visitDocuments;
    private final BroadbandImporter broadband;
    private final DemoConfig config;
    private final Clock clock;
    private final int port;
    private final dev.bluepost.identity.apps.AppAuthorizationService appAuthorizations;

    public DemoPracticeLoader(
            TransactionProcessor transactions,
            FhirOperations fhir,
            IdentityService identities,
            MessageSending sending,
            ThreadActions threadActions,
            dev.bluepost.triage.TriageSetup triage,
            DemoConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.http.port") int port,
            PatientAccessService patientAccess,
            VisitDocumentService visitDocuments,
            BroadbandImporter broadband,
            dev.bluepost.triage.SlaService sla,
            dev.bluepost.directory.DirectoryService directory,
            dev.bluepost.identity.apps.AppAuthorizationService appAuthorizations) {
        this.appAuthorizations = appAuthorizations;
        this.sla = sla;
        this.directory = directory;
        this.broadband = broadband;
        this.patientAccess = patientAccess;
        this.visitDocuments = visitDocuments;
        this.transactions = transactions;
        this.fhir = fhir;
        this.identities = identities;
        this.sending = sending;
        this.threadActions = threadActions;
        this.triage = triage;
        this.config = config;
        this.clock = clock;
        this.port = port;
    }

    void onStart(@Observes @Priority(5000) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        boolean loaded =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        fhir.findOne(
                                                        "Organization",
                                                        "identifier=" + DEMO_SYSTEM + "|practice",
                                                        Actor.system("demo-loader"))
                                                .isPresent());
        if (!loaded) {
            long started = System.nanoTime();
            load();
            Log.infof("demo practice loaded in %d ms", (System.nanoTime() - started) / 1_000_000);
        }
        boolean peaLoaded =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        fhir.findOne(
                                                        "DocumentReference",
                                                        "identifier="
                                                                + DEMO_SYSTEM
                                                                + "/document|DOC-ALICE",
                                                        Actor.system("demo-loader"))
                                                .isPresent());
        if (!peaLoaded) {
            loadPatientAccess();
        }
        if (broadband.dataSets().isEmpty()) {
            loadBroadband();
        }
        UUID practice =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Organization",
                                                        "identifier=" + DEMO_SYSTEM + "|practice",
                                                        Actor.system("demo-loader"))));
        configureTriage(practice); // also on an installation loaded before the demo had it
        connectDemoApp();
        printWelcome();
    }

    private void load() {
        Actor system = Actor.system("demo-loader");
        Random random = new Random(20261122L);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Map<String, Resource> entries = new LinkedHashMap<>();

        Organization practice = new Organization().setName("Riverbend Family Medicine");
        practice.addIdentifier().setSystem(DEMO_SYSTEM).setValue("practice");
        practice.addExtension(FhirUrls.EXT_TIME_ZONE, new CodeType(ZONE.getId()));
        entries.put("practice", practice);

        Location main = location("Main Street Clinic", "Franklin", true);
        Location satellite = location("Riverside Satellite Office", "Pike", false);
        entries.put("loc-main", main);
        entries.put("loc-satellite", satellite);

        String[][] eps = {
            {"Rivera", "Sofia", "1234567893"},
            {"Chen", "Marcus", "1245319599"},
            {"Okonkwo", "Adaeze", "1679576722"}
        };
        for (int i = 0; i < eps.length; i++) {
            Practitioner ep = new Practitioner();
            ep.addIdentifier().setSystem(FhirUrls.NPI_SYSTEM).setValue(eps[i][2]);
            ep.addName().setFamily(eps[i][0]).addGiven(eps[i][1]).addPrefix("Dr.");
            ep.addExtension(FhirUrls.EXT_PRACTICE, ref("practice"));
            entries.put("ep-" + i, ep);
        }
        Practitioner frontDesk = new Practitioner();
        frontDesk.addIdentifier().setSystem(DEMO_SYSTEM).setValue("staff-frontdesk");
        frontDesk.addName().setFamily("Brooks").addGiven("Jamie");
        frontDesk.addExtension(FhirUrls.EXT_PRACTICE, ref("practice"));
        entries.put("staff-frontdesk", frontDesk);

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
        for (int i = 0; i < 40; i++) {
            Patient patient = new Patient();
            patient.addIdentifier()
                    .setSystem(DEMO_SYSTEM + "/mrn")
                    .setValue(String.format("MRN%05d", 1001 + i));
            String given = GIVEN[i % GIVEN.length];
            String family = FAMILY[(i * 7 + i / GIVEN.length) % FAMILY.length];
            patient.addName().setFamily(family).addGiven(given);
            LocalDate birth =
                    i == 1
                            ? today.minusYears(12).minusDays(40)
                            : today.minusYears(22 + random.nextInt(60))
                                    .minusDays(random.nextInt(365));
            patient.setBirthDate(Date.from(birth.atStartOfDay(ZONE).toInstant()));
            patient.setGender(
                    i % 2 == 0
                            ? Enumerations.AdministrativeGender.FEMALE
                            : Enumerations.AdministrativeGender.MALE);
            patient.addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                    .setValue(
                            given.toLowerCase() + "." + family.toLowerCase() + i + "@example.org");
            patient.setManagingOrganization(ref("practice"));
            if (i == 39) {
                patient.getMeta().addTag(FhirUrls.ACT_REASON, "HTEST", "test health data");
            }
            entries.put("patient-" + i, patient);
        }

        RelatedPerson parent = new RelatedPerson();
        parent.addIdentifier().setSystem(DEMO_SYSTEM).setValue("proxy-parent");
        parent.setPatient(ref("patient-1"));
        parent.addName()
                .setFamily(((Patient) entries.get("patient-1")).getNameFirstRep().getFamily())
                .addGiven("Morgan");
        parent.addRelationship()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode")
                .setCode("PRN")
                .setDisplay("parent");
        parent.setPeriod(
                new Period()
                        .setStart(Date.from(today.minusYears(5).atStartOfDay(ZONE).toInstant())));
        entries.put("proxy-parent", parent);

        entries.put("pool-frontdesk", pool("Front desk", "staff-frontdesk"));
        entries.put("pool-refills", pool("Refills", "staff-frontdesk", "ep-0"));
        // red flags go here (the default rules escalate to "On call"): the three doctors take turns
        // on call
        entries.put("pool-oncall", pool("On call", "ep-0", "ep-1", "ep-2"));

        int encounter = 0;
        for (int i = 0; i < 40; i++) {
            int visits = 1 + random.nextInt(3);
            for (int v = 0; v < visits; v++) {
                int ep = (i + v) % 3;
                LocalDate day = today.minusDays(1 + random.nextInt(119));
                boolean atSatellite = random.nextInt(6) == 0;
                boolean cancelled = random.nextInt(10) == 0;
                Encounter visit = new Encounter();
                visit.addIdentifier()
                        .setSystem(DEMO_SYSTEM + "/encounter")
                        .setValue("ENC" + (++encounter));
                visit.setStatus(
                        cancelled
                                ? Encounter.EncounterStatus.CANCELLED
                                : Encounter.EncounterStatus.FINISHED);
                visit.getClass_()
                        .setSystem(FhirUrls.ACT_CODE)
                        .setCode(random.nextInt(8) == 0 ? "VR" : "AMB");
                visit.setSubject(ref("patient-" + i));
                visit.addParticipant()
                        .setIndividual(ref("ep-" + ep))
                        .addType()
                        .addCoding()
                        .setSystem(FhirUrls.PARTICIPATION_TYPE)
                        .setCode("PPRF");
                LocalTime time = LocalTime.of(8 + random.nextInt(9), random.nextInt(4) * 15);
                visit.setPeriod(
                        new Period()
                                .setStart(Date.from(day.atTime(time).atZone(ZONE).toInstant()))
                                .setEnd(
                                        Date.from(
                                                day.atTime(time.plusMinutes(20))
                                                        .atZone(ZONE)
                                                        .toInstant())));
                visit.addLocation().setLocation(ref(atSatellite ? "loc-satellite" : "loc-main"));
                visit.setServiceProvider(ref("practice"));
                entries.put("encounter-" + encounter, visit);
            }
        }

        entries.forEach(
                (key, resource) ->
                        bundle.addEntry()
                                .setFullUrl(urn(key))
                                .setResource(resource)
                                .getRequest()
                                .setMethod(Bundle.HTTPVerb.POST)
                                .setUrl(resource.fhirType()));
        Bundle response =
                QuarkusTransaction.requiringNew()
                        .call(() -> transactions.process(bundle, system, "urn:demo/"));
        Map<String, UUID> ids = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(entries.keySet());
        for (int i = 0; i < keys.size(); i++) {
            String location = response.getEntry().get(i).getResponse().getLocation();
            ids.put(keys.get(i), UUID.fromString(location.split("/")[1]));
        }
        createLogins(
                ids,
                (Patient) entries.get("patient-0"),
                (Patient) entries.get("patient-2"),
                (RelatedPerson) entries.get("proxy-parent"));
        // the default triage rules and templates, and the response-time targets, before the first
        // message arrives
        triage.installDefaults(ids.get("practice"));
        configureTriage(ids.get("practice"));
        createThreads(ids);
    }

    /**
     * Triage as a practice sets it up beyond the defaults (once; also on an installation loaded
     * before the demo had it): the on-call pool staffed by the practice's doctors, and response-time
     * targets (SLA) for its pools — on call 60 minutes around the clock, the front desk one business
     * day, refills two — so that waiting messages get their warnings and escalations.
     */
    void configureTriage(UUID practice) {
        Actor system = Actor.system("demo-loader");
        Actor admin =
                new Actor(null, "demo-loader", Set.of(Role.ADMIN), practice, null, null, null);
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            if (!sla.targets(practice).isEmpty()) {
                                return;
                            }
                            UUID onCall =
                                    directory
                                            .poolByName(practice, "On call")
                                            .map(p -> p.id())
                                            .orElseThrow(
                                                    () ->
                                                            new IllegalStateException(
                                                                    "the demo practice has no on-call pool"));
                            if (directory.pool(onCall).orElseThrow().memberIds().isEmpty()) {
                                CareTeam pool =
                                        (CareTeam) fhir.read("CareTeam", onCall.toString(), system);
                                directory.practitionersOfPractice(practice).stream()
                                        .filter(p -> p.active() && p.isEligibleProfessional())
                                        .forEach(
                                                p ->
                                                        pool.addParticipant()
                                                                .setMember(
                                                                        new Reference(
                                                                                "Practitioner/"
                                                                                        + p.id())));
                                fhir.update("CareTeam", onCall.toString(), pool, null, system);
                            }
                            sla.save(practice, onCall, null, 60, 60, 20, admin);
                            directory
                                    .poolByName(practice, "Front desk")
                                    .ifPresent(
                                            p ->
                                                    sla.save(
                                                            practice, p.id(), null, 540, 540, 60,
                                                            admin));
                            directory
                                    .poolByName(practice, "Refills")
                                    .ifPresent(
                                            p ->
                                                    sla.save(
                                                            practice, p.id(), null, 1080, 540, 120,
                                                            admin));
                            Log.infof("demo triage configured practiceId=%s", practice);
                        });
    }

    /**
     * The demo patient app ({@code bluepost.security.apps.demo-app}, when it is registered) connected
     * for alice and for the parent (for the child), so that their "Connected apps" page lists it: on
     * every start when it is not connected (a lasting grant, 13 months); and alice's connection of
     * the demo diary app ({@code demo-diary}), which she disconnected three days ago. No token exists for these; the demo app gets its own
     * through the authorization-code flow (README).
     */
    private void connectDemoApp() {
        // a lasting grant (offline_access: 13 months) of every scope patient apps are offered (ADR
        // 0047)
        String scope =
                "patient/Communication.crs patient/DocumentReference.rs patient/Encounter.rs patient/Patient.rs "
                        + "launch/patient offline_access";
        identities
                .findByUsername("alice")
                .ifPresent(
                        alice -> {
                            if (!appAuthorizations.connected(alice.id(), DEMO_APP)) {
                                appAuthorizations.connectForDemo(
                                        DEMO_APP,
                                        alice.id(),
                                        Role.PATIENT,
                                        alice.patientId(),
                                        null,
                                        scope,
                                        Duration.ofMinutes(12),
                                        Duration.ofMinutes(3),
                                        null,
                                        null);
                            }
                            if (appAuthorizations.connectionsOf(alice.id()).stream()
                                    .noneMatch(c -> DEMO_DIARY.equals(c.clientId()))) {
                                Duration authorized = Duration.ofDays(3).plusMinutes(40);
                                appAuthorizations.connectForDemo(
                                        DEMO_DIARY,
                                        alice.id(),
                                        Role.PATIENT,
                                        alice.patientId(),
                                        null,
                                        "patient/Communication.rs",
                                        authorized,
                                        authorized.minusMinutes(5),
                                        authorized.minusMinutes(25),
                                        dev.bluepost.identity.apps.AppAuthorizationService
                                                .DISCONNECTED);
                            }
                        });
        identities
                .findByUsername("parent")
                .ifPresent(
                        parent ->
                                parent.relatedPersonIds().stream()
                                        .findFirst()
                                        .flatMap(directory::relatedPerson)
                                        .ifPresent(
                                                child -> {
                                                    if (!appAuthorizations.connected(
                                                            parent.id(), DEMO_APP)) {
                                                        appAuthorizations.connectForDemo(
                                                                DEMO_APP,
                                                                parent.id(),
                                                                Role.PROXY,
                                                                child.patientId(),
                                                                child.id(),
                                                                scope,
                                                                Duration.ofMinutes(20),
                                                                null,
                                                                null,
                                                                null);
                                                    }
                                                }));
    }

    private void createLogins(
            Map<String, UUID> ids, Patient alice, Patient carla, RelatedPerson parent) {
        String password = config.password();
        UUID practice = ids.get("practice");
        user(
                "frontdesk",
                "Jamie Brooks",
                Set.of(Role.FRONT_DESK),
                practice,
                ids.get("staff-frontdesk"),
                null,
                Set.of());
        user(
                "dr.rivera",
                "Dr. Sofia Rivera",
                Set.of(Role.PROVIDER),
                practice,
                ids.get("ep-0"),
                null,
                Set.of());
        user(
                "dr.chen",
                "Dr. Marcus Chen",
                Set.of(Role.PROVIDER),
                practice,
                ids.get("ep-1"),
                null,
                Set.of());
        user(
                "dr.okonkwo",
                "Dr. Adaeze Okonkwo",
                Set.of(Role.PROVIDER),
                practice,
                ids.get("ep-2"),
                null,
                Set.of());
        // the compliance officer's address receives the emergency-access notices (in the demo's
        // mock mailbox)
        identities.createUser(
                new NewUser(
                        "compliance",
                        password,
                        "Pat Compliance",
                        Set.of(Role.COMPLIANCE),
                        practice,
                        null,
                        null,
                        Set.of(),
                        "compliance@example.org"));
        user("admin", "Robin Admin", Set.of(Role.ADMIN), practice, null, null, Set.of());
        // alice's own address: the demo's "Forgot your password?" link goes there (the console's
        // mock mailbox)
        identities.createUser(
                new NewUser(
                        "alice",
                        password,
                        alice.getNameFirstRep().getNameAsSingleString(),
                        Set.of(Role.PATIENT),
                        null,
                        null,
                        ids.get("patient-0"),
                        Set.of(),
                        "alice@example.org"));
        user(
                "carla",
                carla.getNameFirstRep().getNameAsSingleString(),
                Set.of(Role.PATIENT),
                null,
                null,
                ids.get("patient-2"),
                Set.of());
        // patients' notifications go to the address on their record; the parent's login has its own
        identities.createUser(
                new NewUser(
                        "parent",
                        config.password(),
                        parent.getNameFirstRep().getNameAsSingleString(),
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(ids.get("proxy-parent")),
                        "parent@example.org"));
        Log.debugf(
                "demo logins created with the configured demo password (%d characters)",
                password.length());
    }

    private void user(
            String username,
            String displayName,
            Set<Role> roles,
            UUID practice,
            UUID practitioner,
            UUID patient,
            Set<UUID> proxies) {
        identities.createUser(
                new NewUser(
                        username,
                        config.password(),
                        displayName,
                        roles,
                        practice,
                        practitioner,
                        patient,
                        proxies));
    }

    private void createThreads(Map<String, UUID> ids) {
        UUID practice = ids.get("practice");
        Party frontDeskPool = new Party(Party.CARE_TEAM, ids.get("pool-frontdesk"));
        Party refills = new Party(Party.CARE_TEAM, ids.get("pool-refills"));
        Party drRivera = new Party(Party.PRACTITIONER, ids.get("ep-0"));

        UUID alice = ids.get("patient-0");
        Actor aliceActor = new Actor(null, null, Set.of(Role.PATIENT), practice, null, alice, null);
        var question =
                sending.send(
                                NewMessage.fromPage(
                                        alice,
                                        new Party(Party.PATIENT, alice),
                                        List.of(drRivera),
                                        null,
                                        null,
                                        MessageCategory.MEDICAL_QUESTION.code(),
                                        "Since starting the new blood pressure medication I feel a bit dizzy "
                                                + "in the mornings. Should I keep taking it?",
                                        "Dizziness with new medication"),
                                aliceActor)
                        .message();
        Actor rivera =
                new Actor(null, null, Set.of(Role.PROVIDER), practice, ids.get("ep-0"), null, null);
        sending.send(
                NewMessage.fromPage(
                        alice,
                        drRivera,
                        List.of(new Party(Party.PATIENT, alice)),
                        question.threadId(),
                        question.id(),
                        question.category(),
                        "Thanks for letting me know. Please keep taking it, stand up slowly, "
                                + "and check your blood pressure each morning this week. Send me the readings on Friday.",
                        null),
                rivera);

        // a conversation Alice marks sensitive: Dr. Rivera's alone; another clinician needs
        // emergency access (ADR 0026)
        var privateMatter =
                sending.send(
                                NewMessage.fromPage(
                                        alice,
                                        new Party(Party.PATIENT, alice),
                                        List.of(drRivera),
                                        null,
                                        null,
                                        MessageCategory.MEDICAL_QUESTION.code(),
                                        "I would rather discuss this with you only: could we talk about "
                                                + "changing my birth control at the next visit?",
                                        "A private question"),
                                aliceActor)
                        .message();
        threadActions.markSensitive(privateMatter.threadId(), true, aliceActor);

        UUID carla = ids.get("patient-2");
        Actor carlaActor = new Actor(null, null, Set.of(Role.PATIENT), practice, null, carla, null);
        sending.send(
                NewMessage.fromPage(
                        carla,
                        new Party(Party.PATIENT, carla),
                        List.of(refills),
                        null,
                        null,
                        MessageCategory.MEDICATION_REFILL.code(),
                        "Could you renew my inhaler prescription? I have two puffs left.",
                        "Inhaler refill"),
                carlaActor);

        // a red flag that came in through the patient app before the demo started: the on-call
        // team's clock
        // (60 minutes, around the clock) is close to running out, so the queue shows its SLA
        // warning at once
        UUID dev = ids.get("patient-3");
        java.time.Instant arrived = clock.instant().minus(java.time.Duration.ofMinutes(45));
        sending.send(
                new NewMessage(
                        null,
                        dev,
                        new Party(Party.PATIENT, dev),
                        List.of(frontDeskPool),
                        null,
                        null,
                        MessageCategory.MEDICAL_QUESTION.code(),
                        "routine",
                        null,
                        "Since this morning I have chest pain when I climb "
                                + "the stairs, and now also when I sit still.",
                        "Chest pain",
                        arrived,
                        arrived,
                        null,
                        null,
                        null,
                        List.of()),
                Actor.system("demo-loader"));

        UUID child = ids.get("patient-1");
        UUID proxy = ids.get("proxy-parent");
        Actor parentActor = new Actor(null, null, Set.of(Role.PROXY), practice, null, child, proxy);
        sending.send(
                NewMessage.fromPage(
                        child,
                        new Party(Party.RELATED_PERSON, proxy),
                        List.of(frontDeskPool),
                        null,
                        null,
                        MessageCategory.APPOINTMENT.code(),
                        "My son needs a sports physical before the season starts in three weeks. "
                                + "Do you have a Saturday slot?",
                        "Sports physical"),
                parentActor);
    }

    /**
     * Patient Electronic Access on the demo practice (once; also on an installation loaded before
     * it existed): six patients seen on the last business day, whose visit documents the EHR posts
     * through FHIR and four of whom opted out and were given their credentials; a document for
     * Alice's and for the child's last visit; Alice downloads hers, the parent views the child's,
     * two of the recent patients view theirs — all through the same services the pages use.
     */
    private void loadPatientAccess() {
        Actor system = Actor.system("demo-loader");
        UUID practice =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Organization",
                                                        "identifier=" + DEMO_SYSTEM + "|practice",
                                                        system)));
        UUID mainLocation =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Location",
                                                        "name:exact=Main Street Clinic&organization=Organization/"
                                                                + practice,
                                                        system)));
        String[] npis = {"1234567893", "1245319599", "1679576722"};
        List<UUID> eps = new ArrayList<>();
        for (String npi : npis) {
            eps.add(
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            idOf(
                                                    fhir.findOne(
                                                            "Practitioner",
                                                            "identifier="
                                                                    + FhirUrls.NPI_SYSTEM
                                                                    + "|"
                                                                    + npi,
                                                            system))));
        }
        LocalDate lastBusinessDay = LocalDate.ofInstant(clock.instant(), ZONE).minusDays(1);
        while (lastBusinessDay.getDayOfWeek() == java.time.DayOfWeek.SATURDAY
                || lastBusinessDay.getDayOfWeek() == java.time.DayOfWeek.SUNDAY) {
            lastBusinessDay = lastBusinessDay.minusDays(1);
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String[][] recent = {
            {"Uma", "Lindqvist"},
            {"Victor", "Tanaka"},
            {"Wen", "Moreau"},
            {"Ximena", "Haddad"},
            {"Yusuf", "Patel"},
            {"Zoe", "Garcia"}
        };
        for (int i = 0; i < recent.length; i++) {
            String mrn = String.format("MRN%05d", 1101 + i);
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(DEMO_SYSTEM + "/mrn").setValue(mrn);
            patient.addName().setFamily(recent[i][1]).addGiven(recent[i][0]);
            patient.setBirthDate(
                    Date.from(
                            LocalDate.of(1960 + 5 * i, 1 + i, 10 + i)
                                    .atStartOfDay(ZONE)
                                    .toInstant()));
            patient.setManagingOrganization(new Reference("Organization/" + practice));
            bundle.addEntry()
                    .setFullUrl(urn("recent-patient-" + i))
                    .setResource(patient)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient")
                    .setIfNoneExist("identifier=" + DEMO_SYSTEM + "/mrn|" + mrn);
            LocalTime time = LocalTime.of(9 + i, 0);
            Encounter visit = new Encounter();
            visit.addIdentifier().setSystem(DEMO_SYSTEM + "/encounter").setValue("ENC-RECENT-" + i);
            visit.setStatus(Encounter.EncounterStatus.FINISHED);
            visit.getClass_().setSystem(FhirUrls.ACT_CODE).setCode("AMB");
            visit.setSubject(ref("recent-patient-" + i));
            visit.addParticipant()
                    .setIndividual(new Reference("Practitioner/" + eps.get(i % 3)))
                    .addType()
                    .addCoding()
                    .setSystem(FhirUrls.PARTICIPATION_TYPE)
                    .setCode("PPRF");
            visit.setPeriod(
                    new Period()
                            .setStart(
                                    Date.from(
                                            lastBusinessDay.atTime(time).atZone(ZONE).toInstant()))
                            .setEnd(
                                    Date.from(
                                            lastBusinessDay
                                                    .atTime(time.plusMinutes(20))
                                                    .atZone(ZONE)
                                                    .toInstant())));
            visit.addLocation().setLocation(new Reference("Location/" + mainLocation));
            visit.setServiceProvider(new Reference("Organization/" + practice));
            bundle.addEntry()
                    .setFullUrl(urn("recent-encounter-" + i))
                    .setResource(visit)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Encounter")
                    .setIfNoneExist("identifier=" + DEMO_SYSTEM + "/encounter|ENC-RECENT-" + i);
            bundle.addEntry()
                    .setFullUrl(urn("recent-document-" + i))
                    .setResource(
                            visitDocument(
                                    "DOC-RECENT-" + i,
                                    ref("recent-patient-" + i),
                                    ref("recent-encounter-" + i),
                                    lastBusinessDay.atTime(time.plusHours(2)),
                                    "After-visit summary",
                                    "After-visit summary\n\nReason for visit: annual check-up.\n"
                                            + "Plan: keep up the good work; next check-up in a year.\n"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("DocumentReference")
                    .setIfNoneExist("identifier=" + DEMO_SYSTEM + "/document|DOC-RECENT-" + i);
        }
        UUID alice =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Patient",
                                                        "identifier="
                                                                + DEMO_SYSTEM
                                                                + "/mrn|MRN01001",
                                                        system)));
        UUID child =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Patient",
                                                        "identifier="
                                                                + DEMO_SYSTEM
                                                                + "/mrn|MRN01002",
                                                        system)));
        UUID aliceVisit = lastFinishedVisit(alice, system);
        UUID childVisit = lastFinishedVisit(child, system);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
        if (aliceVisit != null) {
            bundle.addEntry()
                    .setResource(
                            visitDocument(
                                    "DOC-ALICE",
                                    new Reference("Patient/" + alice),
                                    new Reference("Encounter/" + aliceVisit),
                                    today.minusDays(1).atTime(8, 0),
                                    "Lab results",
                                    "Lab results\n\nCholesterol panel: within the normal range.\n"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("DocumentReference")
                    .setIfNoneExist("identifier=" + DEMO_SYSTEM + "/document|DOC-ALICE");
        }
        if (childVisit != null) {
            bundle.addEntry()
                    .setResource(
                            visitDocument(
                                    "DOC-CHILD",
                                    new Reference("Patient/" + child),
                                    new Reference("Encounter/" + childVisit),
                                    today.minusDays(1).atTime(8, 30),
                                    "Immunization record",
                                    "Immunization record\n\nAll vaccines up to date for the child's age.\n"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("DocumentReference")
                    .setIfNoneExist("identifier=" + DEMO_SYSTEM + "/document|DOC-CHILD");
        }
        Bundle response =
                QuarkusTransaction.requiringNew()
                        .call(() -> transactions.process(bundle, system, "urn:demo/"));
        List<UUID> recentPatients = new ArrayList<>();
        List<UUID> recentDocuments = new ArrayList<>();
        for (int i = 0; i < recent.length; i++) {
            recentPatients.add(idAt(response, 3 * i));
            recentDocuments.add(idAt(response, 3 * i + 2));
        }
        UUID frontDesk =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Practitioner",
                                                        "identifier="
                                                                + DEMO_SYSTEM
                                                                + "|staff-frontdesk",
                                                        system)));
        Actor frontDeskActor =
                new Actor(
                        null,
                        "demo-loader",
                        Set.of(Role.FRONT_DESK),
                        practice,
                        frontDesk,
                        null,
                        null);
        for (int i = 0; i < 4; i++) {
            patientAccess.credentialsGiven(
                    frontDeskActor, recentPatients.get(i)); // they opted out of a portal account
        }
        for (int i = 0; i < 2; i++) {
            visitDocuments.open(
                    new Actor(
                            null,
                            "demo-loader",
                            Set.of(Role.PATIENT),
                            practice,
                            null,
                            recentPatients.get(i),
                            null),
                    recentDocuments.get(i),
                    false);
        }
        int next = 3 * recent.length;
        if (aliceVisit != null) {
            visitDocuments.open(
                    new Actor(
                            null, "demo-loader", Set.of(Role.PATIENT), practice, null, alice, null),
                    idAt(response, next++),
                    true);
        }
        if (childVisit != null) {
            UUID proxy =
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            idOf(
                                                    fhir.findOne(
                                                            "RelatedPerson",
                                                            "identifier="
                                                                    + DEMO_SYSTEM
                                                                    + "|proxy-parent",
                                                            system)));
            visitDocuments.open(
                    new Actor(
                            null, "demo-loader", Set.of(Role.PROXY), practice, null, child, proxy),
                    idAt(response, next),
                    false);
        }
        Log.infof(
                "demo patient electronic access loaded: %d recent visits with documents",
                recent.length);
    }

    /** County broadband figures for the demo's two counties (fictitious numbers), as the admin would import them. */
    private void loadBroadband() {
        String csv =
                """
                state,county,fips,share_3mbps,share_4mbps
                OH,Franklin,39049,0.97,0.95
                OH,Pike,39131,41.5%,33.0%
                """;
        UUID practice =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        idOf(
                                                fhir.findOne(
                                                        "Organization",
                                                        "identifier=" + DEMO_SYSTEM + "|practice",
                                                        Actor.system("demo-loader"))));
        Actor admin =
                new Actor(null, "demo-loader", Set.of(Role.ADMIN), practice, null, null, null);
        BroadbandImporter.Result result =
                broadband.importCsv(
                        admin,
                        LocalDate.ofInstant(clock.instant(), ZONE).minusYears(1).withDayOfYear(1),
                        new java.io.ByteArrayInputStream(
                                csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Log.infof("demo broadband data set loaded: %d counties", result.loaded());
    }

    private UUID lastFinishedVisit(UUID patient, Actor system) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            var result =
                                    fhir.search(
                                            "Encounter",
                                            dev.bluepost.fhir.SearchQuery.parse(
                                                    "subject=Patient/"
                                                            + patient
                                                            + "&status=finished&_count=500"),
                                            system);
                            return result.page().stream()
                                    .map(r -> (Encounter) r)
                                    .filter(
                                            e ->
                                                    e.getLocationFirstRep()
                                                                    .getLocation()
                                                                    .getReference()
                                                            != null)
                                    .max(
                                            java.util.Comparator.comparing(
                                                    e -> e.getPeriod().getStart()))
                                    .map(e -> UUID.fromString(e.getIdElement().getIdPart()))
                                    .orElse(null);
                        });
    }

    private static org.hl7.fhir.r4.model.DocumentReference visitDocument(
            String identifier,
            Reference subject,
            Reference encounter,
            java.time.LocalDateTime available,
            String title,
            String text) {
        org.hl7.fhir.r4.model.DocumentReference document =
                new org.hl7.fhir.r4.model.DocumentReference();
        document.addIdentifier().setSystem(DEMO_SYSTEM + "/document").setValue(identifier);
        document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        document.setSubject(subject);
        document.getContext().addEncounter(encounter);
        document.setDate(Date.from(available.atZone(ZONE).toInstant()));
        document.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setTitle(title)
                .setData(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return document;
    }

    private static UUID idOf(java.util.Optional<Resource> resource) {
        return UUID.fromString(
                resource.orElseThrow(() -> new IllegalStateException("demo resource missing"))
                        .getIdElement()
                        .getIdPart());
    }

    private static UUID idAt(Bundle response, int index) {
        return UUID.fromString(
                response.getEntry().get(index).getResponse().getLocation().split("/")[1]);
    }

    private void printWelcome() {
        String url = "http://localhost:" + port + "/";
        String password = config.password();
        System.out.println(
                """

                ==========================================================================
                 Bluepost demo is running:  %s
                 Every demo login uses the password:  %s
                   patient         alice         (also: carla)
                   parent proxy    parent        (acts for a child patient)
                   front desk      frontdesk
                   providers       dr.rivera     dr.chen     dr.okonkwo
                   compliance      compliance
                   admin           admin
                 Staff logins set up an authenticator app (TOTP) at their first sign-in:
                 scan the QR code, or e.g.  oathtool --totp -b KEY  with the key shown.
                 Forgot your password?  alice@example.org : the reset link is printed
                 here (mock mailbox).  Logins, roles, deactivation:  %sadmin/logins
                 FHIR API:  %sfhir/metadata   (token: POST %soauth/token)
                 Health:    %sq/health/ready
                ==========================================================================
                """
                        .formatted(url, password, url, url, url, url));
    }

    private Location location(String name, String county, boolean cehrt) {
        Location location = new Location().setName(name);
        location.setManagingOrganization(ref("practice"));
        location.getAddress().setDistrict(county).setState("OH").setCity("Riverbend");
        location.addExtension(FhirUrls.EXT_CEHRT_EQUIPPED, new BooleanType(cehrt));
        return location;
    }

    private CareTeam pool(String name, String... members) {
        CareTeam pool = new CareTeam().setName(name).setStatus(CareTeam.CareTeamStatus.ACTIVE);
        pool.addManagingOrganization(ref("practice"));
        for (String member : members) {
            pool.addParticipant().setMember(ref(member));
        }
        return pool;
    }

    private static Reference ref(String key) {
        return new Reference(urn(key));
    }

    private static String urn(String key) {
        return "urn:uuid:"
                + UUID.nameUUIDFromBytes(
                        ("bluepost-demo:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
