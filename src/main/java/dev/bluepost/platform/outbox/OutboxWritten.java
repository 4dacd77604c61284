package dev.bluepost.platform.outbox;

/** Fired when a transaction wrote outbox rows; the relay wakes up once it has committed. */
public record OutboxWritten() {}
