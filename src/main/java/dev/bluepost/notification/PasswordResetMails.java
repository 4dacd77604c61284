package dev.bluepost.notification;

import dev.bluepost.identity.PasswordResetMail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * E-mails a password reset link once the transaction that stored its digest has committed (a link
 * that was rolled back is never sent). Not queued in {@code notification}: the token must not be
 * stored, so an e-mail the server refuses is not retried; the person asks for a new link (ADR 0040).
 */
@ApplicationScoped
public class PasswordResetMails {

    private final NotificationMails mails;

    public PasswordResetMails(NotificationMails mails) {
        this.mails = mails;
    }

    void onLinkIssued(@Observes(during = TransactionPhase.AFTER_SUCCESS) PasswordResetMail reset) {
        mails.sendPasswordReset(reset);
    }
}
