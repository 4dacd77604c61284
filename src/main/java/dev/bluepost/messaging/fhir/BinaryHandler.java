package dev.bluepost.messaging.fhir;

import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.Stored;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.AttachmentContent;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Reference;

/**
 * Binary = the bytes of a message's attachment, read by id only (the {@code url} of a
 * Communication's {@code contentAttachment}). Files are created with their Communication, never on
 * their own; the raw bytes are served by {@link BinaryResource} when the client does not ask for JSON.
 */
@ApplicationScoped
public class BinaryHandler implements FhirResourceHandler<Binary> {

    private final MessageReading reading;

    public BinaryHandler(MessageReading reading) {
        this.reading = reading;
    }

    @Override
    public String type() {
        return "Binary";
    }

    @Override
    public Class<Binary> resourceClass() {
        return Binary.class;
    }

    @Override
    public boolean creatable() {
        return false;
    }

    @Override
    public boolean updatable() {
        return false;
    }

    @Override
    public boolean searchable() {
        return false;
    }

    @Override
    public Binary read(UUID id, Actor actor) {
        return toResource(reading.attachment(id, actor));
    }

    static Binary toResource(AttachmentContent file) {
        Binary binary = new Binary();
        binary.setId("Binary/" + file.attachment().id());
        binary.getMeta().setVersionId("1");
        binary.setContentType(file.attachment().contentType());
        binary.setSecurityContext(new Reference("Communication/" + file.attachment().messageId()));
        binary.setData(file.content());
        return binary;
    }

    @Override
    public Stored<Binary> create(Binary resource, UUID id, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "Binary resources are created with their Communication (payload.contentAttachment).");
    }

    @Override
    public Stored<Binary> update(UUID id, Binary resource, String expectedVersionId, Actor actor) {
        throw new BluepostException(ErrorKind.METHOD_NOT_ALLOWED, "Attachments are never changed.");
    }

    @Override
    public SearchResult<Binary> search(SearchQuery query, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED, "Binary resources are read by id only.");
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of();
    }
}
