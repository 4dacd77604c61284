package dev.bluepost.fhir;

import dev.bluepost.platform.security.Actor;
import java.time.Instant;
import java.util.UUID;

/**
 * What a bulk export asks of one resource type ({@link FhirResourceHandler#export}): the rows of one
 * practice (or of every practice when {@code practiceId} is null: the system client's
 * {@code Patient/$export}), changed at or after {@code since} when it is given, read with
 * {@code fetchSize} rows per round trip. {@code requester} is who asked (the export runs on its behalf).
 */
public record ExportScope(UUID practiceId, Instant since, int fetchSize, Actor requester) {}
