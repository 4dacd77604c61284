package dev.bluepost.measurement.engine;

import java.util.Set;
import java.util.UUID;

/** An EP (eligible professional: a practitioner with an NPI) in scope of a report, with the practices they work for. */
public record Ep(UUID id, String npi, String name, Set<UUID> practiceIds) {}
