package dev.bluepost.notification;

import static dev.bluepost.notification.NotificationChecks.awaitDecided;
import static dev.bluepost.notification.NotificationChecks.awaitMails;
import static dev.bluepost.notification.NotificationChecks.patientWrites;
import static dev.bluepost.notification.NotificationChecks.staffReplies;
import static dev.bluepost.notification.NotificationChecks.staffStartsThread;
import static dev.bluepost.notification.NotificationChecks.uniqueAddress;
import static dev.bluepost.notification.NotificationChecks.userId;
import static dev.bluepost.testing.Builders.aPool;
import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications are PHI-free by construction, and this proves it three ways: every notification
 * template takes only {@link NotificationContent}, whose fields cannot hold PHI, and its source uses
 * only allowed expressions (and fixed sentences of {@link MailMessages}, whose messages take no parameter); every template, rendered, says nothing but fixed text, the count and
 * the link; and the real flow (patient writes, clinician answers, digest, reminder, proxy) e-mails
 * nothing of the message text, subject, clinician, pool, practice, patient or proxy.
 */
@QuarkusTest
class NotificationTemplatesIT {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates/NotificationMails");

    /** Everything a notification template may write: the content's three safe properties, and the singular/plural switch. */
    private static final Set<String> ALLOWED_EXPRESSIONS =
            Set.of(
                    "{content.link}",
                    "{content.count}",
                    "{content.subject}",
                    "{#if content.single}",
                    "{#else}",
                    "{/if}");

    /** A fixed sentence of the e-mail bundle in the recipient's language: a message without parameters. */
    private static final Pattern FIXED_SENTENCE = Pattern.compile("\\{mail:[a-z_]+}");

    private static final Pattern EXPRESSION = Pattern.compile("\\{[^{}]*}");

    @Inject IdentityService identities;

    @Inject NotificationService notifications;

    @Inject NotificationMails mails;

    @Inject DailyDigests digests;

    @Inject UnreadReminders reminders;

    @Inject NotificationConfig config;

    @Inject MockMailbox mailbox;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldGiveEveryTemplateOnlyTheContentTypeThatCannotHoldPhi() throws IOException {
        Method[] templates = NotificationMails.Templates.class.getDeclaredMethods();
        assertThat(templates).hasSameSizeAs(NotificationKind.values());
        for (Method template : templates) {
            assertThat(Modifier.isStatic(template.getModifiers()))
                    .as(template.getName() + " is a checked template")
                    .isTrue();
            assertThat(template.getReturnType())
                    .isEqualTo(io.quarkus.mailer.MailTemplate.MailTemplateInstance.class);
            assertThat(template.getParameterTypes())
                    .as(template.getName() + " parameters")
                    .containsExactly(NotificationContent.class);
        }
        assertThat(
                        Arrays.stream(NotificationContent.class.getRecordComponents())
                                .map(NotificationTemplatesIT::describe))
                .as("the only data a notification may carry")
                .containsExactly(
                        "kind:" + NotificationKind.class.getName(),
                        "count:int",
                        "link:java.lang.String");
        assertThat(instanceFields(NotificationContent.class))
                .containsExactlyInAnyOrder("kind", "count", "link");
        assertThat(NotificationKind.class.isEnum()).isTrue();
        assertThat(instanceFields(NotificationKind.class)).containsExactly("subject");
        for (NotificationKind kind : NotificationKind.values()) {
            assertThat(
                            NotificationMails.template(
                                    mails.content(kind, 1, NotificationMails.Audience.PATIENT)))
                    .isNotNull();
        }

        // the e-mails' sentences in every language are fixed: no message of the bundle takes a
        // parameter
        assertThat(MailMessages.class.getDeclaredMethods())
                .allMatch(m -> m.getParameterCount() == 0);

        // the linter: the template files are exactly the checked ones, and use only the allowed
        // expressions
        Set<String> expectedFiles = new TreeSet<>();
        Arrays.stream(templates)
                .forEach(
                        t ->
                                expectedFiles.addAll(
                                        List.of(t.getName() + ".txt", t.getName() + ".html")));
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            Set<String> present =
                    files.map(f -> f.getFileName().toString())
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(present).isEqualTo(expectedFiles);
        }
        for (String file : expectedFiles) {
            Matcher expression =
                    EXPRESSION.matcher(
                            Files.readString(TEMPLATES.resolve(file), StandardCharsets.UTF_8));
            while (expression.find()) {
                if (FIXED_SENTENCE.matcher(expression.group()).matches()) {
                    continue;
                }
                assertThat(ALLOWED_EXPRESSIONS)
                        .as("expression %s in %s", expression.group(), file)
                        .contains(expression.group());
            }
        }
    }

    @Test
    void shouldRenderEveryTemplateAsFixedTextWithOnlyTheCountAndTheLink() {
        for (NotificationKind kind : NotificationKind.values()) {
            int many = kind == NotificationKind.DIGEST ? 4217 : 1;
            int others = kind == NotificationKind.DIGEST ? 5313 : 1;
            Mail patientMail =
                    sendAndRead(mails.content(kind, many, NotificationMails.Audience.PATIENT));
            Mail staffMail =
                    sendAndRead(mails.content(kind, others, NotificationMails.Audience.STAFF));
            String patientLink = config.publicUrl() + "/patient";
            String staffLink = config.publicUrl() + "/staff/queue";

            assertThat(patientMail.getSubject())
                    .isEqualTo(kind.subject())
                    .isEqualTo(staffMail.getSubject());
            assertThat(patientMail.getText()).contains(patientLink);
            assertThat(patientMail.getHtml()).contains("href=\"" + patientLink + "\"");
            assertThat(staffMail.getText()).contains(staffLink);
            // the rendered e-mail is a function of (kind, count, link) alone
            assertThat(normalized(patientMail.getText(), patientLink, many))
                    .isEqualTo(normalized(staffMail.getText(), staffLink, others));
            assertThat(normalized(patientMail.getHtml(), patientLink, many))
                    .isEqualTo(normalized(staffMail.getHtml(), staffLink, others));
            if (kind == NotificationKind.DIGEST) {
                assertThat(patientMail.getText()).contains("4217 new secure messages");
                assertThat(
                                sendAndRead(
                                                mails.content(
                                                        kind,
                                                        1,
                                                        NotificationMails.Audience.PATIENT))
                                        .getText())
                        .contains("1 new secure message is waiting");
            }
            assertThat(patientMail.getAttachments()).isEmpty();
        }
        // the link cannot carry anything but the inbox page
        String base = config.publicUrl();
        for (String link :
                List.of(
                        base + "/patient/threads/" + UUID.randomUUID(),
                        base + "/patient?thread=1",
                        base + "/patient#x",
                        "javascript:alert(1)//patient",
                        base + "/patient/../staff/queue",
                        base + "/threads/42/patient",
                        "https://evil.example/x@" + base.replaceFirst("https?://", "") + "/patient",
                        "")) {
            assertThatThrownBy(() -> new NotificationContent(NotificationKind.NEW_MESSAGE, 1, link))
                    .as(link)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(
                        () ->
                                new NotificationContent(
                                        NotificationKind.DIGEST, 0, base + "/patient"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverEmailTheMessageSubjectPeopleOrPlacesThroughTheRealFlow() throws IOException {
        PracticeFixture practice = PracticeFixture.create(identities);
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String poolName = "Oncology " + marker;
        String pool =
                "CareTeam/"
                        + Api.create(
                                aPool(practice.practice, poolName, practice.ep, practice.staff));
        RelatedPerson proxyResource = aProxy(practice.patient);
        String proxyRecord = Api.create(proxyResource);
        String proxyLogin = "proxy-" + marker;
        String proxyAddress = uniqueAddress("proxy");
        UUID proxyUser =
                identities.createUser(
                        new IdentityService.NewUser(
                                proxyLogin,
                                PracticeFixture.PASSWORD,
                                "A Parent",
                                Set.of(Role.PROXY),
                                null,
                                null,
                                null,
                                Set.of(UUID.fromString(proxyRecord)),
                                proxyAddress));
        UUID patientUser = userId(identities, practice.patientLogin);
        String patientAddress = uniqueAddress("patient");
        identities.changeEmail(patientUser, patientAddress);
        notifications.savePreferences(
                identities.actorFor(proxyUser, null).orElseThrow(),
                proxyAddress,
                Frequency.DAILY_DIGEST);

        List<String> secrets =
                new ArrayList<>(
                        List.of(
                                "BODY" + marker,
                                "SUBJECT" + marker,
                                "REPLY" + marker,
                                "NEWBODY" + marker,
                                "NEWSUBJECT" + marker,
                                poolName,
                                "Oncology",
                                practice.patientLogin,
                                proxyLogin,
                                Api.read(Organization.class, practice.practice).getName(),
                                Api.read(Practitioner.class, practice.ep)
                                        .getNameFirstRep()
                                        .getFamily(),
                                Api.read(Practitioner.class, practice.staff)
                                        .getNameFirstRep()
                                        .getFamily(),
                                Api.read(Patient.class, practice.patient)
                                        .getNameFirstRep()
                                        .getFamily(),
                                proxyResource.getNameFirstRep().getFamily(),
                                "medical-question",
                                "Medical question"));

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String threadId =
                patientWrites(patient, pool, "SUBJECT" + marker, "I feel unwell BODY" + marker);
        WebSession doctor = WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD);
        UUID reply = staffReplies(doctor, threadId, "Please come in tomorrow REPLY" + marker);
        String second =
                staffStartsThread(
                        doctor,
                        practice.patient,
                        "NEWSUBJECT" + marker,
                        "Your scan NEWBODY" + marker);
        UUID secondMessage = NotificationChecks.latestMessage(second);
        awaitDecided(reply);
        awaitDecided(secondMessage);
        awaitMails(mailbox, patientAddress, 2);

        // the proxy's digest the next morning, and the patient's reminders after the unread days
        ZoneId zone = ZoneId.of("America/New_York");
        clock.set(
                LocalDate.now(zone)
                        .plusDays(1)
                        .atTime(config.digestTime().plusMinutes(1))
                        .atZone(zone)
                        .toInstant());
        digests.run();
        clock.set(Instant.now().plus(Duration.ofDays(3)));
        reminders.run();
        List<Mail> sent = new ArrayList<>(awaitMails(mailbox, patientAddress, 4));
        sent.addAll(
                awaitMails(
                        mailbox,
                        proxyAddress,
                        3)); // digest, then two reminders (the threads are not sensitive)
        assertThat(sent)
                .extracting(Mail::getSubject)
                .contains(
                        NotificationKind.NEW_MESSAGE.subject(),
                        NotificationKind.DIGEST.subject(),
                        NotificationKind.UNREAD_REMINDER.subject());

        for (Mail mail : sent) {
            String everything =
                    String.join(
                                    "\n",
                                    mail.getSubject(),
                                    mail.getText(),
                                    mail.getHtml(),
                                    String.valueOf(mail.getFrom()),
                                    mail.getHeaders().toString())
                            .toLowerCase(Locale.ROOT);
            for (String secret : secrets) {
                assertThat(everything)
                        .as("an e-mail (%s)", mail.getSubject())
                        .doesNotContain(secret.toLowerCase(Locale.ROOT));
            }
            assertThat(everything)
                    .doesNotContain(
                            threadId, second, reply.toString(), practice.patient.substring(8));
            assertThat(mail.getAttachments()).isEmpty();
        }
        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("notification sent");
        for (String secret :
                Stream.concat(
                                secrets.stream().filter(s -> !s.equals("medical-question")),
                                Stream.of(patientAddress, proxyAddress))
                        .toList()) {
            assertThat(log).as("the application log").doesNotContain(secret);
        }
    }

    private Mail sendAndRead(NotificationContent content) {
        String address = uniqueAddress("render");
        mails.send(address, content);
        List<Mail> received = mailbox.getMailsSentTo(address);
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    private static String normalized(String rendered, String link, int count) {
        return rendered.replace(link, "<link>").replace(String.valueOf(count), "<count>");
    }

    private static String describe(RecordComponent component) {
        return component.getName() + ":" + component.getType().getName();
    }

    private static List<String> instanceFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .map(Field::getName)
                .toList();
    }
}
