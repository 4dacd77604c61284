package dev.bluepost.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one rate step measured while it ran (filled concurrently by the sender, the HTTP client and the task watcher). */
final class StepRun {

    final String name;
    final int targetRate;
    final int seconds;
    final long scheduled;
    long startNanos;
    long endNanos;
    String loadAtStart;
    String loadAtEnd;
    Proc.CpuSnapshot cpuAtStart;
    Proc.CpuSnapshot cpuAtEnd;
    long drainNanos = -1;
    int pendingAfterDrain;

    /** Scheduled time → 201 received (includes any lateness of the sender: no coordinated omission). */
    final Recorder created;

    /** Actual send → 201 received. */
    final Recorder service;

    /** 201 received → Task visible to a query (upper bound, poll-quantised). */
    final Recorder taskObserved;

    /** 201 received → Task's created_at (application clock, same machine; lower estimate). */
    final Recorder taskCreatedAt;

    /** 201 received → first automatic reply in the thread visible to a query (upper bound, poll-quantised). */
    final Recorder autoReplyObserved;

    /** 201 received → that reply's created_at (lower estimate). */
    final Recorder autoReplyCreatedAt;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong okInWindow = new AtomicLong();
    final AtomicLong tasksInWindow = new AtomicLong();
    final AtomicLong shed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong lateSends = new AtomicLong();
    final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
    final Map<String, String> errorExamples = new ConcurrentHashMap<>();

    StepRun(String name, int targetRate, int seconds) {
        this.name = name;
        this.targetRate = targetRate;
        this.seconds = seconds;
        this.scheduled = (long) targetRate * seconds;
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, scheduled + 1024);
        created = new Recorder(capacity);
        service = new Recorder(capacity);
        taskObserved = new Recorder(capacity);
        taskCreatedAt = new Recorder(capacity);
        autoReplyObserved = new Recorder(capacity);
        autoReplyCreatedAt = new Recorder(capacity);
    }

    void error(String kind, String example) {
        errors.incrementAndGet();
        errorKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        if (example != null && errorExamples.size() < 5) {
            errorExamples.putIfAbsent(kind, Api.abbreviate(example));
        }
    }

    void taskSeen(long observedNanos, long createdAtMicros, long atNanos) {
        taskObserved.add(observedNanos);
        taskCreatedAt.add(createdAtMicros);
        if (atNanos <= endNanos || endNanos == 0) {
            tasksInWindow.incrementAndGet();
        }
    }

    void autoReplySeen(long observedNanos, long createdAtMicros, long atNanos) {
        autoReplyObserved.add(observedNanos);
        autoReplyCreatedAt.add(createdAtMicros);
    }

    double windowSeconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double okPerSecond() {
        return okInWindow.get() / windowSeconds();
    }

    double tasksPerSecond() {
        return tasksInWindow.get() / windowSeconds();
    }

    long failures() {
        return errors.get() + shed.get();
    }
}
