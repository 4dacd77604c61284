package dev.bluepost.triage;

import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A practice that got the default rules and templates before automatic replies went once per
 * thread and apart from staff templates: the migrations give its untouched default rules and texts
 * the new defaults (as new rule versions), leave what its admin edited alone, and sort its texts
 * into automatic replies and staff templates.
 */
@QuarkusTest
class DefaultRulesUpgradeIT {

    /** The texts and rules as the defaults installed them before (a practice's stored data, not code). */
    private static final String[][] OLD_TEMPLATES = {
        {
            "Emergency",
            "This is an automatic reply from {practice}. Your message may describe an emergency. Secure messages are not "
                    + "for emergencies: {emergency-help} We have passed your message to our on-call team."
        },
        {
            "Acknowledgement",
            "This is an automatic reply from {practice}. We received your message and will answer by "
                    + "{expected-by}. If your symptoms get worse, call the office or 911."
        },
        {
            "After hours",
            "This is an automatic reply from {practice}. The office is closed now; we open again {next-opening} and "
                    + "will answer by {expected-by}. If this is an emergency, call 911; for a mental health crisis, call or text 988."
        },
        {
            "Refill policy",
            "This is an automatic reply from {practice}. We received your refill request. Refills are processed "
                    + "within 2 business days (by {expected-by}); please allow your pharmacy a day more. Controlled substances need "
                    + "a visit."
        },
        {
            "Welcome",
            "Thank you for using secure messaging with {practice}, {patient}. This is an automatic reply: the care team "
                    + "reads messages during office hours and answers by {expected-by}. Secure messages are not for emergencies: call "
                    + "911 or, for a mental health crisis, 988."
        },
        {
            "Refill sent",
            "Hello {patient}, your refill has been sent to your pharmacy. {staff}, {practice}"
        },
        {
            "Appointment needed",
            "Hello {patient}, we need to see you for this. Please call the office or reply with times that "
                    + "suit you. {staff}, {practice}"
        }
    };

    private static final String[][] OLD_RULES = {
        {
            "Red flags: emergency reply and on-call pool",
            "when message received\nif text has red flag\nthen escalate\n"
                    + "then set due-by in 60 minutes\nthen tag red-flag\nthen reply \"Emergency\"\nstop"
        },
        {
            "Thank you for the first secure message",
            "when message received\nif first message ever\nthen reply \"Welcome\"\n"
                    + "cooldown 3650 days"
        },
        {
            "Refill requests to the Refills pool",
            "when message received\nmatch any\nif category is medication-refill\n"
                    + "if text contains \"refill\", \"refills\", \"renew my prescription\", \"prescription renewal\", \"ran out of\"\n"
                    + "then route to \"Refills\"\nthen set category medication-refill\nthen set due-by in 2 business days\n"
                    + "then tag refill\nthen reply \"Refill policy\"\nstop"
        },
        {
            "After-hours reply",
            "when message received\nif outside business hours\nthen set due-by in 2 business days\n"
                    + "then reply \"After hours\"\nstop"
        },
        {
            "Acknowledgement with the expected reply date",
            "when message received\nthen set due-by in 2 business days\n"
                    + "then reply \"Acknowledgement\" after 5 minutes"
        }
    };

    @Inject IdentityService identities;

    @Inject RuleService rules;

    @Test
    void shouldGiveUntouchedDefaultRulesAndTextsTheNewDefaultsAndLeaveTheAdminsEditsAlone()
            throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection()) {
            Instant installed = Instant.now();
            update(
                    db,
                    "insert into triage_practice (practice_id, defaults_installed, created_at) values (?, ?, ?)",
                    practiceId,
                    Timestamp.from(installed),
                    Timestamp.from(installed));
            for (String[] t : OLD_TEMPLATES) {
                update(
                        db,
                        "insert into triage_template (id, practice_id, name, body, kind, created_at, updated_at) "
                                + "values (?, ?, ?, ?, 'staff', now(), now())",
                        UUID.randomUUID(),
                        practiceId,
                        t[0],
                        t[1]);
            }
            for (int i = 0; i < OLD_RULES.length; i++) {
                update(
                        db,
                        "insert into triage_rule (id, practice_id, rule_key, version, name, position, enabled, current, definition, "
                                + "created_at, created_by) values (?, ?, ?, 1, ?, ?, true, true, ?, now(), 'default rules')",
                        UUID.randomUUID(),
                        practiceId,
                        UUID.randomUUID(),
                        OLD_RULES[i][0],
                        10 * (i + 1),
                        OLD_RULES[i][1]);
            }
            // the admin edited the acknowledgement (a version of their own): the upgrade leaves it
            // as they wrote it
            update(
                    db,
                    "update triage_rule set current = false where practice_id = ? and name = ?",
                    practiceId,
                    "Acknowledgement with the expected reply date");
            update(
                    db,
                    "insert into triage_rule (id, practice_id, rule_key, version, name, position, enabled, current, definition, "
                            + "created_at, created_by) select ?, practice_id, rule_key, 2, name, position, enabled, true, ?, now(), "
                            + "'user:admin' from triage_rule where practice_id = ? and name = ?",
                    UUID.randomUUID(),
                    "when message received\nthen reply \"Acknowledgement\" after 10 minutes",
                    practiceId,
                    "Acknowledgement with the expected reply date");

            for (String migration :
                    List.of(
                            "V202612080300__default_rules_once_per_thread.sql",
                            "V202612080301__separate_automatic_reply_texts.sql")) {
                run(db, migration);
            }
        }

        Map<String, RuleService.RuleView> current = new HashMap<>();
        rules.rules(practiceId).forEach(r -> current.put(r.name(), r));
        Map<String, String> defaults = new HashMap<>();
        DefaultRules.rules("Refills", 2, 5).forEach(r -> defaults.put(r[0], r[1]));
        for (String name :
                List.of(
                        "Red flags: emergency reply and on-call pool",
                        "Thank you for the first secure message",
                        "Refill requests to the Refills pool",
                        "After-hours reply")) {
            assertThat(current.get(name).definition()).as(name).isEqualTo(defaults.get(name));
            assertThat(current.get(name).version()).as(name).isEqualTo(2);
            assertThat(rules.history(practiceId, current.get(name).key())).hasSize(2);
        }
        assertThat(current.get("Acknowledgement with the expected reply date").definition())
                .isEqualTo(
                        "when message received\nthen reply \"Acknowledgement\" after 10 minutes");
        // the welcome now runs after the refill rule and before the after-hours reply
        assertThat(rules.rules(practiceId))
                .extracting(RuleService.RuleView::name)
                .containsExactly(
                        "Red flags: emergency reply and on-call pool",
                        "Refill requests to the Refills pool",
                        "Thank you for the first secure message",
                        "After-hours reply",
                        "Acknowledgement with the expected reply date");
        assertThat(QuarkusTransaction.requiringNew().call(() -> rules.compiled(practiceId)))
                .hasSize(5);

        Map<String, String> automatic = new HashMap<>();
        DefaultRules.AUTOMATIC_TEXTS.forEach(t -> automatic.put(t[0], t[1]));
        assertThat(rules.automaticTexts(practiceId))
                .extracting(RuleService.TemplateView::name)
                .containsExactlyInAnyOrder(
                        "Acknowledgement", "After hours", "Emergency", "Refill policy", "Welcome");
        rules.automaticTexts(practiceId)
                .forEach(t -> assertThat(t.body()).as(t.name()).isEqualTo(automatic.get(t.name())));
        assertThat(rules.templates(practiceId))
                .extracting(RuleService.TemplateView::name)
                .containsExactly("Appointment needed", "Looking into it", "Refill sent");
    }

    private static void run(Connection db, String migration) throws IOException, SQLException {
        String sql;
        try (InputStream in =
                DefaultRulesUpgradeIT.class.getResourceAsStream("/db/migration/" + migration)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(
                false); // as Flyway runs it: one transaction (its temporary table lives until the
        // commit)
        try (var statement = db.createStatement()) {
            statement.execute(sql);
            db.commit();
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    private static void update(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}
