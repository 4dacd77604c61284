package dev.bluepost.notification;

import dev.bluepost.identity.ActivationCodeMail;
import dev.bluepost.identity.PasswordResetMail;
import dev.bluepost.platform.i18n.Language;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Renders and sends notification e-mails; the only class that talks to the mailer. Every template
 * takes one {@link NotificationContent} and nothing else (Qute checks the expressions against that
 * type at build time), and the subject line is the kind's constant: what a notice says cannot
 * depend on a message, a thread or a person.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // checks the public URL at start-up, not at the first e-mail
public class NotificationMails {

    /** RFC 3834: an automatic message; auto-responders must not answer it. */
    static final String AUTO_SUBMITTED = "auto-generated";

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** The notification templates ({@code templates/NotificationMails/<name>.txt} and {@code .html}). */
    @CheckedTemplate
    static class Templates {
        static native MailTemplateInstance newMessage(NotificationContent content);

        static native MailTemplateInstance digest(NotificationContent content);

        static native MailTemplateInstance unreadReminder(NotificationContent content);

        static native MailTemplateInstance emergencyAccess(NotificationContent content);
    }

    /** Who an e-mail is for decides which inbox page its link opens. */
    public enum Audience {
        PATIENT("/patient"),
        STAFF("/staff/queue"),
        /** A compliance officer, told of an emergency access: the review page. */
        COMPLIANCE("/compliance/emergency-access");

        private final String path;

        Audience(String path) {
            this.path = path;
        }
    }

    /**
     * What the password reset e-mail says (ADR 0040): the login's user name, the link (the public URL,
     * {@code /login/reset?token=} and the link's token) and how many minutes it works.
     */
    public record ResetLinkContent(String username, String link, long minutes) {}

    /** The password reset e-mail's text and HTML ({@code templates/AccountMails/}), words from {@link ResetMailMessages}. */
    @CheckedTemplate(basePath = "AccountMails")
    static class AccountTemplates {
        static native TemplateInstance passwordResetText(ResetLinkContent content);

        static native TemplateInstance passwordResetHtml(ResetLinkContent content);

        static native TemplateInstance activationCodeText(ActivationCodeContent content);

        static native TemplateInstance activationCodeHtml(ActivationCodeContent content);
    }

    /**
     * What the activation code e-mail says (ADR 0041): the practice's name, the activation page (the
     * public URL and {@code /activate}), the code and its last day; no name, no date of birth.
     */
    public record ActivationCodeContent(String practice, String link, String code, String day) {}

    private final String publicUrl;
    private final ReactiveMailer mailer;

    public NotificationMails(NotificationConfig config, ReactiveMailer mailer) {
        this.mailer = mailer;
        this.publicUrl = config.publicUrl().strip().replaceAll("/+$", "");
        for (Audience audience : Audience.values()) {
            if (!NotificationContent.INBOX_LINK.matcher(publicUrl + audience.path).matches()) {
                throw new IllegalStateException(
                        "bluepost.notifications.public-url (BLUEPOST_PUBLIC_URL) must be "
                                + "scheme://host[:port], e.g. https://messages.example.org; Bluepost is served at the root of its host");
            }
        }
    }

    /** The content of a notice; the link is built here from configuration, never from data. */
    public NotificationContent content(NotificationKind kind, int count, Audience audience) {
        return new NotificationContent(kind, count, publicUrl + audience.path);
    }

    /** Hands one e-mail in English to the mail server (or the mock mailbox); throws when it is not accepted. */
    public void send(String address, NotificationContent content) {
        send(address, content, Language.ENGLISH);
    }

    /**
     * Hands one e-mail, in the recipient's language, to the mail server (or the mock mailbox); throws
     * when it is not accepted. The language picks fixed sentences ({@link MailMessages}), nothing else.
     */
    public void send(String address, NotificationContent content, Language language) {
        send(address, content, language, null);
    }

    /**
     * As {@link #send(String, NotificationContent, Language)}, with a {@code Message-ID} made of the
     * notice's id: the same notice always carries the same id (an opaque UUID, nothing about the person).
     */
    public void send(
            String address,
            NotificationContent content,
            Language language,
            java.util.UUID notificationId) {
        Mail mail = new Mail().addHeader("Auto-Submitted", AUTO_SUBMITTED);
        if (notificationId != null) {
            mail.addHeader("Message-ID", "<" + notificationId + "@notification.bluepost>");
        }
        template(content)
                .setAttribute(TemplateInstance.LOCALE, language.locale())
                .mail(mail)
                .to(address)
                .subject(subject(content.kind(), language))
                .send()
                .await()
                .atMost(SEND_TIMEOUT);
    }

    /**
     * Hands a password reset e-mail to the mail server (or the mock mailbox) without waiting for it:
     * asking for a link takes the same time whether or not one is sent. Neither the address nor the
     * link is ever logged; a refused hand-over is logged by class name, and the person asks again.
     */
    public void sendPasswordReset(PasswordResetMail reset) {
        ResetLinkContent content =
                new ResetLinkContent(
                        reset.username(),
                        publicUrl + "/login/reset?token=" + reset.token(),
                        reset.validFor().toMinutes());
        Mail mail =
                new Mail()
                        .addHeader("Auto-Submitted", AUTO_SUBMITTED)
                        .addTo(reset.address())
                        .setSubject(reset.language().messages(ResetMailMessages.class).subject())
                        .setText(
                                AccountTemplates.passwordResetText(content)
                                        .setAttribute(
                                                TemplateInstance.LOCALE, reset.language().locale())
                                        .render())
                        .setHtml(
                                AccountTemplates.passwordResetHtml(content)
                                        .setAttribute(
                                                TemplateInstance.LOCALE, reset.language().locale())
                                        .render());
        mailer.send(mail)
                .subscribe()
                .with(
                        done -> Log.infof("password reset e-mail handed over"),
                        failure ->
                                Log.warnf(
                                        "password reset e-mail not accepted: %s",
                                        failure.getClass().getName()));
    }

    /**
     * Hands an activation code e-mail to the mail server (or the mock mailbox) without waiting for it.
     * Neither the address nor the code is ever logged; a refused hand-over is logged by class name,
     * and the front desk issues a new code.
     */
    public void sendActivationCode(ActivationCodeMail code) {
        ActivationCodeContent content =
                new ActivationCodeContent(
                        code.practice(),
                        publicUrl + "/activate",
                        code.code(),
                        dev.bluepost.platform.i18n.PracticeTimeFormat.longDay(
                                code.expiresOn(), code.language().locale()));
        Mail mail =
                new Mail()
                        .addHeader("Auto-Submitted", AUTO_SUBMITTED)
                        .addTo(code.address())
                        .setSubject(code.language().messages(EnrolMailMessages.class).subject())
                        .setText(
                                AccountTemplates.activationCodeText(content)
                                        .setAttribute(
                                                TemplateInstance.LOCALE, code.language().locale())
                                        .render())
                        .setHtml(
                                AccountTemplates.activationCodeHtml(content)
                                        .setAttribute(
                                                TemplateInstance.LOCALE, code.language().locale())
                                        .render());
        mailer.send(mail)
                .subscribe()
                .with(
                        done -> Log.infof("activation code e-mail handed over"),
                        failure ->
                                Log.warnf(
                                        "activation code e-mail not accepted: %s",
                                        failure.getClass().getName()));
    }

    /**
     * A copy of their health information that a patient (or proxy) asked, after a warning that it
     * leaves the secure system, to send to an ordinary e-mail address (docs/adr/0046): the only
     * e-mail with health information in it, sent because the patient chose it. Throws when the mail
     * server does not accept it. Nothing of it is logged.
     */
    public void sendPatientCopy(
            String address,
            String subject,
            String text,
            String fileName,
            String contentType,
            byte[] file) {
        Mail mail =
                new Mail()
                        .addHeader("Auto-Submitted", AUTO_SUBMITTED)
                        .addTo(address)
                        .setSubject(subject)
                        .setText(text)
                        .addAttachment(fileName, file, contentType);
        mailer.send(mail).await().atMost(SEND_TIMEOUT);
    }

    /** The kind's fixed subject line in a language. */
    static String subject(NotificationKind kind, Language language) {
        MailMessages words = language.messages(MailMessages.class);
        return switch (kind) {
            case NEW_MESSAGE -> words.subject_new_message();
            case DIGEST -> words.subject_digest();
            case UNREAD_REMINDER -> words.subject_unread_reminder();
            case EMERGENCY_ACCESS -> words.subject_emergency_access();
        };
    }

    static MailTemplateInstance template(NotificationContent content) {
        return switch (content.kind()) {
            case NEW_MESSAGE -> Templates.newMessage(content);
            case DIGEST -> Templates.digest(content);
            case UNREAD_REMINDER -> Templates.unreadReminder(content);
            case EMERGENCY_ACCESS -> Templates.emergencyAccess(content);
        };
    }
}
