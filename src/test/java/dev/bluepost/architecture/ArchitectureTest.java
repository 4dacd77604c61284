package dev.bluepost.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.Entity;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md ("Dependency rules", "Conventions") that a compiler does not
 * check: deny-by-default endpoints, only crypto touches Bouncy Castle, features keep their entities
 * to themselves, platform depends on no feature, within messaging only the sealing seam encrypts
 * threads, messaging's sub-packages (attachments, emergency access) depend on it one way only, and role suffixes.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.bluepost");
    private static final List<String> FEATURES =
            List.of(
                    "directory",
                    "identity",
                    "encounters",
                    "measurement",
                    "messaging",
                    "triage",
                    "crypto",
                    "demo",
                    "web",
                    "fhir",
                    "audit",
                    "cli",
                    "notification",
                    "bluebutton");
    private static final Set<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS =
            Set.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

    @Test
    void everyEndpointDeclaresWhoMayCallIt() {
        ArchRule rule =
                methods()
                        .that(isHttpEndpoint())
                        .should(declareSecurity())
                        .because(
                                "deny by default: every endpoint states its roles (@RolesAllowed), or that it is public (@PermitAll)");
        rule.check(MAIN);
    }

    @Test
    void onlyCryptoUsesBouncyCastle() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.bluepost.crypto..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.bouncycastle..")
                .check(MAIN);
    }

    @Test
    void platformDependsOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        FEATURES.stream()
                                .map(f -> "dev.bluepost." + f + "..")
                                .toArray(String[]::new))
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheWebShell() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.bluepost.web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.web..")
                .because(
                        "web decides the reader's language and draws the layout on top of every feature; features reach "
                                + "the reader's language through platform.i18n.ReaderLanguage")
                .check(MAIN);
    }

    @Test
    void fhirCoreDependsOnNoDomainFeature() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.fhir..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.bluepost.directory..",
                        "dev.bluepost.messaging..",
                        "dev.bluepost.triage..",
                        "dev.bluepost.encounters..",
                        "dev.bluepost.measurement..",
                        "dev.bluepost.demo..",
                        "dev.bluepost.audit..")
                .because(
                        "features contribute FHIR handlers; the FHIR core knows none of them, and records its interactions "
                                + "through its own FhirInteractionLog, which audit implements (audit.fhir holds the AuditEvent handler)")
                .check(MAIN);
    }

    @Test
    void triageCoreDoesNotDependOnTheConsole() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.triage..")
                .and()
                .resideOutsideOfPackage("dev.bluepost.triage.console..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.triage.console..")
                .because(
                        "the staff console (queue, conversation pages, their service and live updates) sits on top of "
                                + "triage's items, rules and setup")
                .check(MAIN);
    }

    @Test
    void measurementSitsOnTopOfTheFeatures() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.bluepost.measurement..", "dev.bluepost.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.measurement..")
                .because(
                        "measurement counts what the features below it announce (their Kafka event records, encounters, "
                                + "the facts of platform.facts); only its own pages and resources, and the demo loader on top, use it")
                .check(MAIN);
    }

    @Test
    void encountersSitBelowMeasurementAndTheMessageFlow() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.encounters..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.bluepost.measurement..",
                        "dev.bluepost.messaging..",
                        "dev.bluepost.triage..",
                        "dev.bluepost.identity..",
                        "dev.bluepost.notification..",
                        "dev.bluepost.bluebutton..")
                .because(
                        "encounters are the visits an EHR reports; the features that use them (messaging routes by them, "
                                + "measurement counts them, the patient's history shows their documents) sit above; a bulk load tells "
                                + "measurement through encounters.feed.EncounterLoads, which measurement implements")
                .check(MAIN);
    }

    @Test
    void entitiesStayInsideTheirFeature() {
        for (String feature : FEATURES) {
            String own = "dev.bluepost." + feature + "..";
            noClasses()
                    .that()
                    .resideOutsideOfPackage(own)
                    .should()
                    .dependOnClassesThat(entitiesOf(own))
                    .because(
                            "a feature talks to another through that feature's service, never its entities")
                    .allowEmptyShould(true)
                    .check(MAIN);
        }
    }

    @Test
    void onlyNotificationMailsSendsEmail() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("dev.bluepost.notification.NotificationMails")
                .and()
                .doNotHaveFullyQualifiedName(
                        "dev.bluepost.notification.NotificationMails$Templates")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.quarkus.mailer..")
                .because("every e-mail goes through the PHI-free notification templates")
                .check(MAIN);
    }

    @Test
    void notificationsNeverSeeDecryptedMessages() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.notification..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$MessageView")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$ThreadView")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$ThreadSummary")
                .because("notifications are decided from ids; they cannot say what they never read")
                .check(MAIN);
    }

    @Test
    void onlyMessageSealingSealsThreadsWithinMessaging() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.messaging..")
                .and()
                .doNotHaveFullyQualifiedName("dev.bluepost.messaging.MessageSealing")
                .and()
                .doNotHaveFullyQualifiedName("dev.bluepost.messaging.DraftService")
                .and()
                .doNotHaveFullyQualifiedName("dev.bluepost.messaging.DataKeyRotationService")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.bluepost.crypto.EnvelopeCipher")
                .because(
                        "one place knows how a thread's data key and associated data are made; drafts have keys of "
                                + "their own, and the key rotation re-wraps data keys without opening anything (ADR 0037)")
                .check(MAIN);
    }

    @Test
    void emergencyAccessKnowsNothingElseOfMessaging() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.messaging.emergency..")
                .should()
                .dependOnClassesThat(residesInMessagingOutside("dev.bluepost.messaging.emergency"))
                .because(
                        "messaging's thread access asks emergency access whether one is in force and opens it; emergency "
                                + "access is told what it needs (the patient, the reason, how long), so the dependency runs one way")
                .check(MAIN);
    }

    @Test
    void attachmentsKnowNoThreadOrMessage() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.messaging.attachments..")
                .should()
                .dependOnClassesThat(
                        residesInMessagingOutside("dev.bluepost.messaging.attachments")
                                .and(
                                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                                "other than messaging's limits and words",
                                                c ->
                                                        !c.getName()
                                                                        .equals(
                                                                                "dev.bluepost.messaging.MessagingConfig")
                                                                && !c.getName()
                                                                        .startsWith(
                                                                                "dev.bluepost.messaging.MessagingConfig$")
                                                                && !c.getName()
                                                                        .equals(
                                                                                "dev.bluepost.messaging.ThreadMessages"))))
                .because(
                        "messaging checks, names and takes in files through attachments; attachments read only "
                                + "messaging's configured limits (MessagingConfig) and words (ThreadMessages)")
                .check(MAIN);
    }

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.bluepost.(*)..")
                .should()
                .beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void identityKnowsItsSecondFactorOnlyThroughAnInterface() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.identity")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.identity.mfa..")
                .because(
                        "sign-in and account support ask identity.SecondFactors, which identity.mfa implements; "
                                + "the second factor's pages, services and entities depend on identity, not the other way")
                .check(MAIN);
    }

    @Test
    void secondFactorAndAppsDoNotKnowEachOther() {
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.identity.mfa..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.identity.apps..")
                .check(MAIN);
        noClasses()
                .that()
                .resideInAPackage("dev.bluepost.identity.apps..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.bluepost.identity.mfa..")
                .check(MAIN);
    }

    @Test
    void entitiesDoNotTakeTheNamesOfHapiModelClasses() {
        classes()
                .that()
                .areAnnotatedWith(Entity.class)
                .should(
                        new ArchCondition<>(
                                "not share a simple name with a class of org.hl7.fhir.r4.model") {
                            @Override
                            public void check(JavaClass entity, ConditionEvents events) {
                                if (isHapiModelClass(entity.getSimpleName())) {
                                    events.add(
                                            SimpleConditionEvent.violated(
                                                    entity,
                                                    entity.getName()
                                                            + " has the name of "
                                                            + "org.hl7.fhir.r4.model."
                                                            + entity.getSimpleName()
                                                            + "; call it Stored"
                                                            + entity.getSimpleName()
                                                            + " and keep @Entity(name = …)"));
                                }
                            }
                        })
                .because(
                        "code that maps an entity to its FHIR resource would otherwise write one of the two out in full")
                .check(MAIN);
    }

    @Test
    void endpointClassesAreNamedByRole() {
        classes()
                .that()
                .areAnnotatedWith(Path.class)
                .should()
                .haveSimpleNameEndingWith("Resource")
                .orShould()
                .haveSimpleNameEndingWith("Page")
                .check(MAIN);
    }

    @Test
    void kafkaEventsAreVersionedRecordsInEventsPackages() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Event")
                .and()
                .resideInAPackage("..events..")
                .should()
                .beRecords()
                .andShould()
                .implement(dev.bluepost.platform.outbox.DomainEvent.class)
                .check(MAIN);
    }

    @Test
    void scheduledJobsSkipWhileTheApplicationStartsOrStops() {
        // a trigger that fires during shutdown would meet a closed pool and log an error for
        // nothing
        methods()
                .that()
                .areAnnotatedWith(io.quarkus.scheduler.Scheduled.class)
                .should(
                        new ArchCondition<>("skip their run while the application is not running") {
                            @Override
                            public void check(JavaMethod method, ConditionEvents events) {
                                io.quarkus.scheduler.Scheduled scheduled =
                                        method.getAnnotationOfType(
                                                io.quarkus.scheduler.Scheduled.class);
                                if (scheduled.skipExecutionIf()
                                        != io.quarkus.scheduler.Scheduled.ApplicationNotRunning
                                                .class) {
                                    events.add(
                                            SimpleConditionEvent.violated(
                                                    method,
                                                    method.getFullName()
                                                            + " runs even while the application starts or shuts down"));
                                }
                            }
                        })
                .check(MAIN);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaMethod> isHttpEndpoint() {
        return com.tngtech.archunit.base.DescribedPredicate.describe(
                "HTTP endpoints",
                method -> HTTP_METHODS.stream().anyMatch(method::isAnnotatedWith));
    }

    private static ArchCondition<JavaMethod> declareSecurity() {
        return new ArchCondition<>(
                "declare @RolesAllowed, @PermitAll or @DenyAll (on the method or its class)") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                JavaClass owner = method.getOwner();
                boolean declared =
                        isSecured(
                                        method.isAnnotatedWith(RolesAllowed.class),
                                        method.isAnnotatedWith(PermitAll.class),
                                        method.isAnnotatedWith(DenyAll.class))
                                || isSecured(
                                        owner.isAnnotatedWith(RolesAllowed.class),
                                        owner.isAnnotatedWith(PermitAll.class),
                                        owner.isAnnotatedWith(DenyAll.class));
                if (!declared) {
                    events.add(
                            SimpleConditionEvent.violated(
                                    method,
                                    method.getFullName() + " declares no security annotation"));
                }
            }
        };
    }

    private static boolean isSecured(boolean... flags) {
        for (boolean flag : flags) {
            if (flag) {
                return true;
            }
        }
        return false;
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass>
            residesInMessagingOutside(String subPackage) {
        return com.tngtech.archunit.base.DescribedPredicate.describe(
                "reside in messaging outside " + subPackage,
                c ->
                        (c.getPackageName().equals("dev.bluepost.messaging")
                                        || c.getPackageName().startsWith("dev.bluepost.messaging."))
                                && !c.getPackageName().equals(subPackage)
                                && !c.getPackageName().startsWith(subPackage + "."));
    }

    private static boolean isHapiModelClass(String simpleName) {
        try {
            Class.forName(
                    "org.hl7.fhir.r4.model." + simpleName,
                    false,
                    ArchitectureTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> entitiesOf(
            String packagePattern) {
        return com.tngtech.archunit.base.DescribedPredicate.describe(
                "entities of " + packagePattern,
                c ->
                        c.isAnnotatedWith(Entity.class)
                                && c.getPackageName().startsWith(packagePattern.replace("..", "")));
    }
}
