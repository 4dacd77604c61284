package dev.bluepost.architecture;

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
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules of docs/architecture.md ("Dependency rules", "Conventions") that a compiler does not
 * check: deny-by-default endpoints, only crypto touches Bouncy Castle, features keep their entities
 * to themselves, platform depends on no feature, within messaging only the sealing seam encrypts
 * threads, and role suffixes.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.bluepost");
    private static final List<String> FEATURES = List.of("directory", "identity", "measurement", "messaging", "triage", "crypto",
            "demo", "web", "fhir", "audit", "cli", "notification", "bluebutton");
    private static final Set<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS =
            Set.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

    @Test
    void everyEndpointDeclaresWhoMayCallIt() {
        ArchRule rule = methods().that(isHttpEndpoint())
                .should(declareSecurity())
                .because("deny by default: every endpoint states its roles (@RolesAllowed), or that it is public (@PermitAll)");
        rule.check(MAIN);
    }

    @Test
    void onlyCryptoUsesBouncyCastle() {
        noClasses().that().resideOutsideOfPackage("dev.bluepost.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .check(MAIN);
    }

    @Test
    void platformDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.bluepost.platform..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES.stream().map(f -> "dev.bluepost." + f + "..")
                        .toArray(String[]::new))
                .check(MAIN);
    }

    @Test
    void nothingDependsOnTheWebShell() {
        noClasses().that().resideOutsideOfPackage("dev.bluepost.web..")
                .should().dependOnClassesThat().resideInAPackage("dev.bluepost.web..")
                .because("web decides the reader's language and draws the layout on top of every feature; features reach "
                        + "the reader's language through platform.i18n.ReaderLanguage")
                .check(MAIN);
    }

    @Test
    void fhirCoreDependsOnNoDomainFeature() {
        noClasses().that().resideInAPackage("dev.bluepost.fhir..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bluepost.directory..", "dev.bluepost.messaging..",
                        "dev.bluepost.triage..", "dev.bluepost.measurement..", "dev.bluepost.demo..", "dev.bluepost.audit..")
                .because("features contribute FHIR handlers; the FHIR core knows none of them, and records its interactions "
                        + "through its own FhirInteractionLog, which audit implements (audit.fhir holds the AuditEvent handler)")
                .check(MAIN);
    }

    @Test
    void triageCoreDoesNotDependOnTheConsole() {
        noClasses().that().resideInAPackage("dev.bluepost.triage..")
                .and().resideOutsideOfPackage("dev.bluepost.triage.console..")
                .should().dependOnClassesThat().resideInAPackage("dev.bluepost.triage.console..")
                .because("the staff console (queue, conversation pages, their service and live updates) sits on top of "
                        + "triage's items, rules and setup")
                .check(MAIN);
    }

    @Test
    void entitiesStayInsideTheirFeature() {
        for (String feature : FEATURES) {
            String own = "dev.bluepost." + feature + "..";
            noClasses().that().resideOutsideOfPackage(own)
                    .should().dependOnClassesThat(entitiesOf(own))
                    .because("a feature talks to another through that feature's service, never its entities")
                    .allowEmptyShould(true)
                    .check(MAIN);
        }
    }

    @Test
    void onlyNotificationMailsSendsEmail() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.bluepost.notification.NotificationMails")
                .and().doNotHaveFullyQualifiedName("dev.bluepost.notification.NotificationMails$Templates")
                .should().dependOnClassesThat().resideInAPackage("io.quarkus.mailer..")
                .because("every e-mail goes through the PHI-free notification templates")
                .check(MAIN);
    }

    @Test
    void notificationsNeverSeeDecryptedMessages() {
        noClasses().that().resideInAPackage("dev.bluepost.notification..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$MessageView")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$ThreadView")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.bluepost.messaging.MessageViews$ThreadSummary")
                .because("notifications are decided from ids; they cannot say what they never read")
                .check(MAIN);
    }

    @Test
    void onlyMessageSealingSealsThreadsWithinMessaging() {
        noClasses().that().resideInAPackage("dev.bluepost.messaging..")
                .and().doNotHaveFullyQualifiedName("dev.bluepost.messaging.MessageSealing")
                .and().doNotHaveFullyQualifiedName("dev.bluepost.messaging.DraftService")
                .and().doNotHaveFullyQualifiedName("dev.bluepost.messaging.DataKeyRotationService")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.bluepost.crypto.EnvelopeCipher")
                .because("one place knows how a thread's data key and associated data are made; drafts have keys of "
                        + "their own, and the key rotation re-wraps data keys without opening anything (ADR 0037)")
                .check(MAIN);
    }

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.bluepost.(*)..")
                .should().beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void endpointClassesAreNamedByRole() {
        classes().that().areAnnotatedWith(Path.class)
                .should().haveSimpleNameEndingWith("Resource").orShould().haveSimpleNameEndingWith("Page")
                .check(MAIN);
    }

    @Test
    void kafkaEventsAreVersionedRecordsInEventsPackages() {
        classes().that().haveSimpleNameEndingWith("Event").and().resideInAPackage("..events..")
                .should().beRecords()
                .andShould().implement(dev.bluepost.platform.outbox.DomainEvent.class)
                .check(MAIN);
    }

    @Test
    void scheduledJobsSkipWhileTheApplicationStartsOrStops() {
        // a trigger that fires during shutdown would meet a closed pool and log an error for nothing
        methods().that().areAnnotatedWith(io.quarkus.scheduler.Scheduled.class)
                .should(new ArchCondition<>("skip their run while the application is not running") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        io.quarkus.scheduler.Scheduled scheduled = method.getAnnotationOfType(io.quarkus.scheduler.Scheduled.class);
                        if (scheduled.skipExecutionIf() != io.quarkus.scheduler.Scheduled.ApplicationNotRunning.class) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName()
                                    + " runs even while the application starts or shuts down"));
                        }
                    }
                })
                .check(MAIN);
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaMethod> isHttpEndpoint() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("HTTP endpoints",
                method -> HTTP_METHODS.stream().anyMatch(method::isAnnotatedWith));
    }

    private static ArchCondition<JavaMethod> declareSecurity() {
        return new ArchCondition<>("declare @RolesAllowed, @PermitAll or @DenyAll (on the method or its class)") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                JavaClass owner = method.getOwner();
                boolean declared = isSecured(method.isAnnotatedWith(RolesAllowed.class), method.isAnnotatedWith(PermitAll.class),
                        method.isAnnotatedWith(DenyAll.class))
                        || isSecured(owner.isAnnotatedWith(RolesAllowed.class), owner.isAnnotatedWith(PermitAll.class),
                        owner.isAnnotatedWith(DenyAll.class));
                if (!declared) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName() + " declares no security annotation"));
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

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> entitiesOf(String packagePattern) {
        return com.tngtech.archunit.base.DescribedPredicate.describe("entities of " + packagePattern,
                c -> c.isAnnotatedWith(Entity.class) && c.getPackageName().startsWith(packagePattern.replace("..", "")));
    }
}
