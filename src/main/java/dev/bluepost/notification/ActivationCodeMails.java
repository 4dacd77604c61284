package dev.bluepost.notification;

import dev.bluepost.identity.ActivationCodeMail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * E-mails an activation code once the transaction that stored its digest has committed (a code that
 * was rolled back is never sent). Not queued: the code must not be stored, so an e-mail the server
 * refuses is not retried; the front desk issues a new code (ADR 0041).
 */
@ApplicationScoped
public class ActivationCodeMails {

    private final NotificationMails mails;

    public ActivationCodeMails(NotificationMails mails) {
        this.mails = mails;
    }

    void onCodeIssued(@Observes(during = TransactionPhase.AFTER_SUCCESS) ActivationCodeMail code) {
        mails.sendActivationCode(code);
    }
}
