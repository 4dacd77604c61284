package dev.bluepost.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints the last lines of the child processes' log files (application, broker, database) when a
 * test or a lifecycle method of the class fails. Register it as a static field with
 * {@code @RegisterExtension} and {@link #watch} each log file.
 */
public final class LogTailOnFailure
        implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final int LINES = 80;

    private final List<Path> files = new CopyOnWriteArrayList<>();

    public void watch(Path file) {
        if (!files.contains(file)) {
            files.add(file);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        print(context);
        throw failure;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        print(context);
        throw failure;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(
            ExtensionContext context, Throwable failure) throws Throwable {
        print(context);
        throw failure;
    }

    private void print(ExtensionContext context) {
        StringBuilder out = new StringBuilder();
        for (Path file : files) {
            out.append("\n===== last ")
                    .append(LINES)
                    .append(" lines of ")
                    .append(file)
                    .append(" (")
                    .append(context.getDisplayName())
                    .append(" failed) =====\n")
                    .append(tail(file, LINES));
        }
        System.err.println(out);
    }

    /** The last {@code lines} lines of a file (or a note that it does not exist yet). */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no such file)\n";
        }
        try {
            List<String> all =
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))
                    + "\n";
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }
}
