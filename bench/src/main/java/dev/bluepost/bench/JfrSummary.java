package dev.bluepost.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording of the application: samples
 * per thread group, per component (by the packages on the stack, inclusive) and the top methods by
 * self samples. Usage: {@code java -cp … dev.bluepost.bench.JfrSummary app.jfr [top]}.
 */
public final class JfrSummary {

    /** Components by package prefix, checked in order against every frame of a stack (inclusive counts). */
    private static final List<String[]> COMPONENTS =
            List.of(
                    new String[] {"HAPI FHIR parse/encode", "ca.uhn.fhir."},
                    new String[] {"Hibernate ORM", "org.hibernate."},
                    new String[] {"PostgreSQL JDBC", "org.postgresql."},
                    new String[] {"Agroal pool", "io.agroal."},
                    new String[] {"Narayana JTA", "com.arjuna."},
                    new String[] {"Kafka clients", "org.apache.kafka."},
                    new String[] {"SmallRye messaging", "io.smallrye.reactive.messaging."},
                    new String[] {"Jackson", "com.fasterxml.jackson."},
                    new String[] {
                        "JWT verify (smallrye-jwt/jose4j)", "org.jose4j.", "io.smallrye.jwt."
                    },
                    new String[] {
                        "JCA crypto (AES-GCM, SHA-256, RSA)", "com.sun.crypto.", "sun.security."
                    },
                    new String[] {"Bouncy Castle", "org.bouncycastle."},
                    new String[] {"Logging", "org.jboss.logmanager.", "org.jboss.logging."},
                    new String[] {"Vert.x / Netty", "io.vertx.", "io.netty."},
                    new String[] {"RESTEasy Reactive", "org.jboss.resteasy."},
                    new String[] {"Bluepost code", "dev.bluepost."});

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> components = new LinkedHashMap<>();
        Map<String, Integer> selfMethods = new HashMap<>();
        Map<String, Integer> bluepostInclusive = new HashMap<>();
        int total = 0;
        Map<String, Double> threadCpu = new HashMap<>();
        double gcCpuSeconds = 0;
        int cores = Runtime.getRuntime().availableProcessors();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String eventType = event.getEventType().getName();
            if (eventType.equals("jdk.ThreadCPULoad") && event.getThread("eventThread") != null) {
                // a fraction of the whole machine over the period (10 s in the "profile" settings)
                double share = event.getFloat("user") + event.getFloat("system");
                threadCpu.merge(
                        threadGroup(event.getThread("eventThread").getJavaName()),
                        share * cores * 10.0,
                        Double::sum);
                continue;
            }
            if (eventType.equals("jdk.GCCPUTime")) {
                gcCpuSeconds += (event.getLong("userTime") + event.getLong("systemTime")) / 1e9;
                continue;
            }
            if (!eventType.equals("jdk.ExecutionSample")) {
                continue;
            }
            total++;
            String thread =
                    event.getThread("sampledThread") == null
                            ? "?"
                            : event.getThread("sampledThread").getJavaName();
            threads.merge(threadGroup(thread), 1, Integer::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            selfMethods.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            Set<String> seenMethods = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                for (String[] component : COMPONENTS) {
                    for (int i = 1; i < component.length; i++) {
                        if (type.startsWith(component[i]) && seen.add(component[0])) {
                            components.merge(component[0], 1, Integer::sum);
                        }
                    }
                }
                if (type.startsWith("dev.bluepost.") && seenMethods.add(name(frame))) {
                    bluepostInclusive.merge(name(frame), 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d execution samples in %s%n%n", total, file);
        double threadTotal = threadCpu.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(
                "== CPU seconds by thread group (jdk.ThreadCPULoad, assuming 10 s periods and %d cores): %.0f s in all; GC (jdk.GCCPUTime) %.1f s%n",
                cores, threadTotal, gcCpuSeconds);
        threadCpu.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e ->
                                System.out.printf(
                                        "%8.1f s  %5.1f%%  %s%n",
                                        e.getValue(),
                                        100 * e.getValue() / threadTotal,
                                        e.getKey()));
        System.out.println();
        print("samples by thread group", threads, total, top);
        print(
                "samples by component on the stack (inclusive; a sample can count for several)",
                components,
                total,
                top);
        print("Bluepost methods on the stack (inclusive)", bluepostInclusive, total, top);
        print("top methods by self samples", selfMethods, total, top);
    }

    private static String threadGroup(String thread) {
        return thread.replaceAll("[-#]?\\d+$", "")
                .replaceAll("-\\d+-", "-N-")
                .replaceAll("\\d+", "N");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println("== " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e ->
                                System.out.printf(
                                        "%6d  %5.1f%%  %s%n",
                                        e.getValue(), 100.0 * e.getValue() / total, e.getKey()));
        System.out.println();
    }
}
