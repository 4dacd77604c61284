package dev.bluepost.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Map;

/**
 * The entry point of the packaged application: without arguments it runs the server; with a
 * command name as its first argument ({@link BluepostCommands}) it runs that command against the
 * configured database and keys and exits. A command needs no HTTP listener (nor the management interface's), no Kafka consumers,
 * no scheduled jobs, no outbox relay and must not take over a running server's import jobs, so
 * they are switched off for it (unless set explicitly): it can run next to the servers, on the same host.
 */
@QuarkusMain
public final class BluepostMain {

    static final Map<String, String> COMMAND_SETTINGS =
            Map.of(
                    "quarkus.http.host-enabled", "false",
                    "quarkus.management.host-enabled", "false",
                    "quarkus.scheduler.enabled", "false",
                    "bluepost.outbox.relay-enabled", "false",
                    "bluepost.encounter-import.recover-at-start", "false",
                    "mp.messaging.incoming.triage-message-events.enabled", "false",
                    "mp.messaging.incoming.console-updates.enabled", "false");

    private BluepostMain() {}

    public static void main(String... args) {
        if (args.length > 0 && BluepostCommands.NAMES.contains(args[0])) {
            COMMAND_SETTINGS.forEach(
                    (key, value) -> {
                        if (System.getProperty(key) == null) {
                            System.setProperty(key, value);
                        }
                    });
        }
        Quarkus.run(BluepostCommands.class, args);
    }
}
