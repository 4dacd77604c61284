package dev.bluepost.fhir;

import org.hl7.fhir.r4.model.Resource;

/**
 * Where a handler's bulk export puts what it reads, one resource at a time, as it reads it (the
 * sink writes each to the output at once: a handler never collects a type's rows).
 */
public interface ExportSink<R extends Resource> {

    /** One exported resource. */
    void accept(R resource);

    /** A resource that could not be exported (ids only in {@code diagnostics}, never its content). */
    void problem(String diagnostics);
}
