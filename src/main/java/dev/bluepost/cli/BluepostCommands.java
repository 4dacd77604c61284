package dev.bluepost.cli;

import dev.bluepost.audit.AuditReader;
import dev.bluepost.audit.ChainVerification;
import dev.bluepost.messaging.DataKeyRotationService;
import dev.bluepost.messaging.DataKeyRotationService.RotationReport;
import dev.bluepost.platform.security.Actor;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.util.Set;

/**
 * Dispatches on the first argument: none runs the server until it is stopped; {@code rotate-kek}
 * and {@code verify-audit} are operator commands that print counts and ids (never content) and
 * exit with 0 when all went well (docs/operations.md).
 */
@Singleton
@Unremovable
public class BluepostCommands implements QuarkusApplication {

    static final String ROTATE_KEK = "rotate-kek";
    static final String VERIFY_AUDIT = "verify-audit";
    static final Set<String> NAMES = Set.of(ROTATE_KEK, VERIFY_AUDIT);
    static final int DEFAULT_BATCH_SIZE = 200;

    /** How the audit log names the operator's command (there is no login behind it). */
    static final Actor OPERATOR = Actor.system("command:" + ROTATE_KEK);

    private final DataKeyRotationService rotation;
    private final AuditReader auditReader;
    private final PrintStream out = System.out;

    public BluepostCommands(DataKeyRotationService rotation, AuditReader auditReader) {
        this.rotation = rotation;
        this.auditReader = auditReader;
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return switch (args[0]) {
            case ROTATE_KEK -> rotateKek(args);
            case VERIFY_AUDIT -> verifyAudit();
            default -> usage("unknown command: " + args[0]);
        };
    }

    private int rotateKek(String... args) {
        int batchSize = DEFAULT_BATCH_SIZE;
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--batch-size=")) {
                try {
                    batchSize = Integer.parseInt(args[i].substring("--batch-size=".length()));
                } catch (NumberFormatException e) {
                    return usage("--batch-size needs a number");
                }
            } else {
                return usage("unknown option: " + args[i]);
            }
        }
        if (batchSize < 1) {
            return usage("--batch-size must be at least 1");
        }
        RotationReport report = rotation.rotate(batchSize, OPERATOR);
        if (!report.missingKekIds().isEmpty()) {
            out.println(
                    "rotate-kek: nothing changed. Data keys are wrapped by KEKs that are not configured: "
                            + String.join(", ", report.missingKekIds())
                            + ". Configure each as bluepost.crypto.retired-keks.<id> and run again.");
            return 2;
        }
        out.printf(
                "rotate-kek: active KEK %s; re-wrapped %d data keys in %d batches; failed %d; still wrapped by other KEKs %d%n",
                report.activeKekId(),
                report.rewrapped(),
                report.batches(),
                report.failedThreads().size(),
                report.remaining());
        report.failedThreads()
                .forEach(
                        ref ->
                                out.println(
                                        "rotate-kek: data key of "
                                                + ref
                                                + " failed its integrity check"));
        if (!report.complete()) {
            out.println(
                    "rotate-kek: incomplete. Keep the retired KEKs configured; run the command again"
                            + (report.failedThreads().isEmpty()
                                    ? "."
                                    : " after investigating the failed threads and notes."));
            return 1;
        }
        out.println(
                "rotate-kek: complete. Every data key is wrapped by " + report.activeKekId() + ".");
        return 0;
    }

    private int verifyAudit() {
        ChainVerification result = auditReader.verify();
        out.println("verify-audit: " + result.summary());
        return result.intact() ? 0 : 1;
    }

    private int usage(String problem) {
        out.println("bluepost: " + problem);
        out.println("usage: java -jar quarkus-run.jar                       run the server");
        out.println(
                "       java -jar quarkus-run.jar rotate-kek [--batch-size=N]   re-wrap data keys under the active KEK");
        out.println(
                "       java -jar quarkus-run.jar verify-audit          check the audit log's hash chain");
        return 64;
    }
}
