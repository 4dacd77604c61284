package dev.bluepost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Readings from /proc: resident set size (VmRSS) of a process, CPU ticks of processes and of the
 * machine, and the load average. A sampler thread records the app's and the broker's RSS twice a second.
 */
final class Proc {

    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux x86-64). */
    static final double HZ = 100.0;

    record RssSample(long nanos, long appKb, long kafkaKb, long appThreads) {}

    /** CPU ticks of the parties of a run at one moment. */
    record CpuSnapshot(
            long nanos,
            long app,
            long kafka,
            long postgres,
            long driver,
            long machineBusy,
            long machineTotal) {}

    private final long appPid;
    private final long kafkaPid;
    private final long driverPid = ProcessHandle.current().pid();
    private final List<RssSample> samples = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private Thread thread;

    Proc(long appPid, long kafkaPid) {
        this.appPid = appPid;
        this.kafkaPid = kafkaPid;
    }

    void start() {
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                Map<String, Long> app = status(appPid);
                                samples.add(
                                        new RssSample(
                                                System.nanoTime(),
                                                app.getOrDefault("VmRSS", -1L),
                                                rssKb(kafkaPid),
                                                app.getOrDefault("Threads", -1L)));
                                try {
                                    Thread.sleep(500);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    List<RssSample> samplesBetween(long fromNanos, long toNanos) {
        List<RssSample> between = new ArrayList<>();
        for (RssSample s : samples) {
            if (s.nanos() >= fromNanos && s.nanos() <= toNanos) {
                between.add(s);
            }
        }
        return between;
    }

    long appPeakKb() {
        return status(appPid).getOrDefault("VmHWM", -1L);
    }

    long appRssKb() {
        return rssKb(appPid);
    }

    CpuSnapshot cpu() {
        long postgres = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] stat = stat(Long.parseLong(name));
                if (stat != null && stat[1].equals("(postgres)")) {
                    postgres += ticks(stat);
                }
            }
        } catch (IOException e) {
            postgres = -1;
        }
        long busy = 0;
        long total = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            busy = total = -1;
        }
        return new CpuSnapshot(
                System.nanoTime(),
                ticks(stat(appPid)),
                ticks(stat(kafkaPid)),
                postgres,
                ticks(stat(driverPid)),
                busy,
                total);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long rssKb(long pid) {
        return pid <= 0 ? -1 : status(pid).getOrDefault("VmRSS", -1L);
    }

    private static Map<String, Long> status(long pid) {
        Map<String, Long> values = new HashMap<>();
        if (pid <= 0) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    values.put(
                            line.substring(0, colon),
                            Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
                } else if (line.startsWith("Threads:")) {
                    values.put("Threads", Long.parseLong(line.substring(colon + 1).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return values;
    }

    /** Fields of /proc/<pid>/stat, with the command name (field 2) kept whole even if it contains spaces. */
    private static String[] stat(long pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            String[] rest = text.substring(close + 2).trim().split("\\s+");
            String[] fields = new String[rest.length + 2];
            fields[0] = text.substring(0, open).trim();
            fields[1] = text.substring(open, close + 1);
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime (fields 14 and 15, 1-based). */
    private static long ticks(String[] stat) {
        if (stat == null || stat.length < 15) {
            return 0;
        }
        return Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
    }
}
