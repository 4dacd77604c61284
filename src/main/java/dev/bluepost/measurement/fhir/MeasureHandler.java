package dev.bluepost.measurement.fhir;

import dev.bluepost.fhir.FhirOperationDefinition;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.Stored;
import dev.bluepost.measurement.engine.MeasureId;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Measure;

/**
 * The measures as FHIR {@code Measure} resources, for the CapabilityStatement and the generic
 * search ({@code GET /fhir/Measure}); their ids are the platform ids ({@code sm-s2}, …), served by
 * {@link MeasureResource} together with {@code $evaluate-measure}. Read-only.
 */
@ApplicationScoped
public class MeasureHandler implements FhirResourceHandler<Measure>, FhirOperationDefinition {

    @Override
    public String type() {
        return "Measure";
    }

    @Override
    public String resourceType() {
        return "Measure";
    }

    @Override
    public String name() {
        return "evaluate-measure";
    }

    @Override
    public String definitionUrl() {
        return "http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure";
    }

    @Override
    public Class<Measure> resourceClass() {
        return Measure.class;
    }

    @Override
    public Measure read(UUID id, Actor actor) {
        throw BluepostException.notFound("Measure", id);
    }

    @Override
    public Stored<Measure> create(Measure resource, UUID id, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "Measures are defined by the platform; they cannot be created.");
    }

    @Override
    public Stored<Measure> update(
            UUID id, Measure resource, String expectedVersionId, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "Measures are defined by the platform; they cannot be changed.");
    }

    @Override
    public SearchResult<Measure> search(SearchQuery query, Actor actor) {
        if (!query.params().isEmpty()) {
            throw BluepostException.malformed(
                    "Measures are listed whole; search parameters are not supported.");
        }
        List<Measure> all = Arrays.stream(MeasureId.values()).map(MeasureReports::measure).toList();
        return new SearchResult<>(all, all.size());
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of();
    }

    @Override
    public boolean creatable() {
        return false;
    }

    @Override
    public boolean updatable() {
        return false;
    }
}
