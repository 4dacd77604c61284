package dev.bluepost.fhir;

import org.hl7.fhir.r4.model.Resource;

/** The outcome of a create or update: the resource as now stored, and whether it was newly created. */
public record Stored<R extends Resource>(R resource, boolean created) {}
