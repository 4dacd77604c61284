package dev.bluepost.messaging.fhir;

import dev.bluepost.crypto.Digests;
import dev.bluepost.fhir.FhirDates;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchPage;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.Stored;
import dev.bluepost.messaging.Message;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.AttachmentView;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.attachments.NewAttachment;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationPayloadComponent;
import org.hl7.fhir.r4.model.Communication.CommunicationPriority;
import org.hl7.fhir.r4.model.Communication.CommunicationStatus;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Message = Communication. Creating one sends a message (encrypted, queued for triage); messages
 * are never edited, so update is not offered. Threads: {@code partOf} = the thread's first
 * message, {@code inResponseTo} = the message answered.
 */
@ApplicationScoped
public class CommunicationHandler implements FhirResourceHandler<Communication> {

    public static final String EXT_SENDER_KIND = FhirUrls.BASE + "/StructureDefinition/sender-kind";
    public static final String EXT_RETRACTION = FhirUrls.BASE + "/StructureDefinition/retraction";
    public static final String EXT_CORRECTS = FhirUrls.BASE + "/StructureDefinition/corrects";
    public static final String EXT_OPENED_BY_CARE_TEAM =
            FhirUrls.BASE + "/StructureDefinition/opened-by-care-team";
    public static final String EXT_READ_BY_PATIENT =
            FhirUrls.BASE + "/StructureDefinition/read-by-patient";

    /** On Attachment: the SHA-256 of the data (base64), the digest the server verifies on every read. */
    public static final String EXT_SHA256 = FhirUrls.BASE + "/StructureDefinition/sha256";

    private final MessageSending sending;
    private final MessageReading reading;
    private final EntityManager em;
    private final PlatformConfig platform;
    private final javax.sql.DataSource dataSource;

    public CommunicationHandler(
            MessageSending sending,
            MessageReading reading,
            EntityManager em,
            PlatformConfig platform,
            javax.sql.DataSource dataSource) {
        this.sending = sending;
        this.reading = reading;
        this.em = em;
        this.platform = platform;
        this.dataSource = dataSource;
    }

    @Override
    public String type() {
        return "Communication";
    }

    @Override
    public Class<Communication> resourceClass() {
        return Communication.class;
    }

    @Override
    public boolean updatable() {
        return false;
    }

    @Override
    public java.util.Optional<SearchParam> patientCompartment(UUID patientId) {
        return java.util.Optional.of(
                new SearchParam("subject", null, List.of("Patient/" + patientId)));
    }

    @Override
    public Communication read(UUID id, Actor actor) {
        return toResource(reading.message(id, actor));
    }

    @Override
    public Stored<Communication> create(Communication resource, UUID id, Actor actor) {
        if (resource.hasStatus() && resource.getStatus() != CommunicationStatus.COMPLETED) {
            throw BluepostException.businessRule(
                    "A new Communication has status 'completed' (messages are recorded once sent).");
        }
        Ref subject = Ref.require(resource.getSubject(), "Communication.subject", "Patient");
        Ref sender =
                Ref.require(
                        resource.getSender(),
                        "Communication.sender",
                        "Patient",
                        "RelatedPerson",
                        "Practitioner",
                        "Device");
        List<Party> recipients = new ArrayList<>();
        for (Reference recipient : resource.getRecipient()) {
            Ref ref =
                    Ref.require(
                            recipient,
                            "Communication.recipient",
                            "Practitioner",
                            "CareTeam",
                            "Patient",
                            "RelatedPerson");
            recipients.add(new Party(ref.type(), ref.id()));
        }
        UUID threadId = null;
        if (resource.hasPartOf()) {
            Ref partOf =
                    Ref.require(
                            resource.getPartOfFirstRep(), "Communication.partOf", "Communication");
            threadId =
                    reading.threadOfMessage(partOf.id(), actor)
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "Communication.partOf refers to "
                                                            + partOf
                                                            + ", which is not known."));
        }
        UUID inResponseTo = null;
        if (resource.hasInResponseTo()) {
            Ref answered =
                    Ref.require(
                            resource.getInResponseToFirstRep(),
                            "Communication.inResponseTo",
                            "Communication");
            UUID answeredThread =
                    reading.threadOfMessage(answered.id(), actor)
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "Communication.inResponseTo refers to "
                                                            + answered
                                                            + ", which is not known."));
            if (threadId == null) {
                threadId = answeredThread;
            }
            inResponseTo = answered.id();
        }
        String text = text(resource);
        String identifierSystem = null;
        String identifierValue = null;
        if (resource.hasIdentifier()) {
            identifierSystem = resource.getIdentifierFirstRep().getSystem();
            identifierValue = resource.getIdentifierFirstRep().getValue();
        }
        NewMessage message =
                new NewMessage(
                        id,
                        subject.id(),
                        new Party(sender.type(), sender.id()),
                        recipients,
                        threadId,
                        inResponseTo,
                        category(resource),
                        resource.hasPriority() ? resource.getPriority().toCode() : null,
                        medium(resource),
                        text,
                        resource.getTopic().getText(),
                        resource.hasSent()
                                ? FhirDates.start(
                                        resource.getSentElement(), platform.defaultTimeZone())
                                : null,
                        resource.hasReceived()
                                ? FhirDates.start(
                                        resource.getReceivedElement(), platform.defaultTimeZone())
                                : null,
                        identifierSystem,
                        identifierValue,
                        null,
                        attachments(resource));
        var sent = sending.send(message, actor);
        return new Stored<>(toResource(sent.message()), sent.created());
    }

    /** A message's identity is its (first) identifier: the same message delivered twice is stored once. */
    @Override
    public java.util.Optional<String> identity(Communication resource) {
        if (!resource.hasIdentifier() || !resource.getIdentifierFirstRep().hasValue()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                SearchValues.identifierToken(
                        resource.getIdentifierFirstRep().getSystem(),
                        resource.getIdentifierFirstRep().getValue()));
    }

    @Override
    public java.util.Optional<Communication> storedDuplicate(Communication resource, Actor actor) {
        if (!resource.hasIdentifier() || !resource.getIdentifierFirstRep().hasValue()) {
            return java.util.Optional.empty();
        }
        return reading.byIdentifier(
                        resource.getIdentifierFirstRep().getSystem(),
                        resource.getIdentifierFirstRep().getValue(),
                        actor)
                .map(this::toResource);
    }

    @Override
    public Stored<Communication> update(
            UUID id, Communication resource, String expectedVersionId, Actor actor) {
        throw new BluepostException(ErrorKind.METHOD_NOT_ALLOWED, "Messages are never edited.");
    }

    private static String text(Communication resource) {
        List<String> parts = new ArrayList<>();
        for (CommunicationPayloadComponent payload : resource.getPayload()) {
            if (payload.hasContentStringType()) {
                parts.add(payload.getContentStringType().getValue());
            } else if (payload.hasContent() && !(payload.getContent() instanceof Attachment)) {
                throw BluepostException.businessRule(
                        "Communication.payload takes contentString (the text) and contentAttachment "
                                + "(files); contentReference is not accepted.");
            }
        }
        if (parts.isEmpty()) {
            throw BluepostException.businessRule(
                    "Communication.payload.contentString is required: the message text.");
        }
        return String.join("\n\n", parts);
    }

    /**
     * The files of {@code payload.contentAttachment}: inline {@code data} only (the server fetches
     * no URL); {@code size} and {@code hash} (SHA-1), when given, must match the data; the type,
     * name and checks are {@code AttachmentPolicy}'s, through the messaging service.
     */
    private static List<NewAttachment> attachments(Communication resource) {
        List<NewAttachment> files = new ArrayList<>();
        for (CommunicationPayloadComponent payload : resource.getPayload()) {
            if (!(payload.getContent() instanceof Attachment attachment)) {
                continue;
            }
            String which = "Communication.payload.contentAttachment " + (files.size() + 1);
            if (!attachment.hasData()) {
                throw BluepostException.businessRule(
                        which
                                + " has no data: files are accepted inline only (base64 in "
                                + "Attachment.data); the server does not fetch Attachment.url.");
            }
            byte[] data = attachment.getData();
            if (attachment.hasSize() && attachment.getSize() != data.length) {
                throw BluepostException.businessRule(
                        which
                                + " gives size "
                                + attachment.getSize()
                                + " but its data has "
                                + data.length
                                + " bytes.");
            }
            if (attachment.hasHash()
                    && !MessageDigest.isEqual(attachment.getHash(), Digests.sha1(data))) {
                throw BluepostException.businessRule(
                        which
                                + " gives a hash that is not the SHA-1 of its data "
                                + "(the data was changed or cut short on the way).");
            }
            files.add(new NewAttachment(attachment.getTitle(), attachment.getContentType(), data));
        }
        return files;
    }

    private static String category(Communication resource) {
        for (CodeableConcept concept : resource.getCategory()) {
            for (Coding coding : concept.getCoding()) {
                if (FhirUrls.CS_MESSAGE_CATEGORY.equals(coding.getSystem())) {
                    return coding.getCode();
                }
            }
        }
        if (resource.hasCategory()) {
            throw BluepostException.businessRule(
                    "Communication.category must use " + FhirUrls.CS_MESSAGE_CATEGORY + ".");
        }
        return null;
    }

    private static String medium(Communication resource) {
        for (CodeableConcept concept : resource.getMedium()) {
            for (Coding coding : concept.getCoding()) {
                if (FhirUrls.PARTICIPATION_MODE.equals(coding.getSystem()) && coding.hasCode()) {
                    return coding.getCode();
                }
            }
        }
        return null;
    }

    public Communication toResource(MessageView m) {
        Communication c = new Communication();
        c.setId("Communication/" + m.id());
        c.getMeta().setVersionId("1");
        c.getMeta()
                .setLastUpdatedElement(
                        new InstantType(
                                Date.from(
                                        m.receivedAt().isAfter(m.sentAt())
                                                ? m.receivedAt()
                                                : m.sentAt())));
        if (m.identifierValue() != null) {
            c.addIdentifier().setSystem(m.identifierSystem()).setValue(m.identifierValue());
        }
        c.setStatus(
                "entered-in-error".equals(m.status())
                        ? CommunicationStatus.ENTEREDINERROR
                        : CommunicationStatus.COMPLETED);
        c.addCategory().addCoding().setSystem(FhirUrls.CS_MESSAGE_CATEGORY).setCode(m.category());
        c.setPriority(CommunicationPriority.fromCode(m.priority()));
        if (m.medium() != null) {
            c.addMedium().addCoding().setSystem(FhirUrls.PARTICIPATION_MODE).setCode(m.medium());
        }
        c.setSubject(new Reference("Patient/" + m.patientId()));
        if (m.topic() != null) {
            c.getTopic().setText(m.topic());
        }
        if (m.partOf() != null) {
            c.addPartOf(new Reference("Communication/" + m.partOf()));
        }
        if (m.inResponseTo() != null) {
            c.addInResponseTo(new Reference("Communication/" + m.inResponseTo()));
        }
        c.setSentElement(new org.hl7.fhir.r4.model.DateTimeType(Date.from(m.sentAt())));
        c.setReceivedElement(new org.hl7.fhir.r4.model.DateTimeType(Date.from(m.receivedAt())));
        c.getSentElement().setTimeZoneZulu(true);
        c.getReceivedElement().setTimeZoneZulu(true);
        m.recipients().forEach(r -> c.addRecipient(new Reference(r.reference())));
        c.setSender(new Reference(m.sender().reference()));
        c.addExtension(EXT_SENDER_KIND, new CodeType(m.senderKind().name()));
        if (m.retracted()) {
            org.hl7.fhir.r4.model.Extension retraction = c.addExtension().setUrl(EXT_RETRACTION);
            retraction.addExtension(
                    "at", new org.hl7.fhir.r4.model.DateTimeType(Date.from(m.retractedAt())));
            if (m.retractionReason() != null) {
                retraction.addExtension("reason", new StringType(m.retractionReason()));
            }
        }
        if (m.correctsMessageId() != null) {
            c.addExtension(EXT_CORRECTS, new Reference("Communication/" + m.correctsMessageId()));
        }
        if (m.openedByCareTeamAt() != null) {
            c.addExtension(
                    EXT_OPENED_BY_CARE_TEAM,
                    new org.hl7.fhir.r4.model.DateTimeType(Date.from(m.openedByCareTeamAt())));
        }
        if (m.readByPatientAt() != null) {
            c.addExtension(
                    EXT_READ_BY_PATIENT,
                    new org.hl7.fhir.r4.model.DateTimeType(Date.from(m.readByPatientAt())));
        }
        c.addPayload().setContent(new StringType(m.text()));
        for (AttachmentView file : m.attachments()) {
            Attachment attachment =
                    new Attachment()
                            .setContentType(file.contentType())
                            .setUrl("Binary/" + file.id())
                            .setSize((int) file.size())
                            .setHash(file.sha1())
                            .setTitle(file.fileName());
            attachment.addExtension(EXT_SHA256, new Base64BinaryType(file.sha256()));
            c.addPayload().setContent(attachment);
        }
        return c;
    }

    /** The practice's own (ADR 0048). */
    @Override
    public java.util.Optional<SearchParam> practiceCompartment(UUID practiceId) {
        return java.util.Optional.of(
                new SearchParam(PRACTICE_CRITERION, null, List.of(practiceId.toString())));
    }

    @Override
    public SearchResult<Communication> search(SearchQuery query, Actor actor) {
        HqlSearch search = new HqlSearch();
        for (SearchParam param : query.params()) {
            switch (param.name()) {
                case "_id" ->
                        search.anyOf(
                                param,
                                v ->
                                        "e.id = "
                                                + search.bind(
                                                        Ids.parse(v)
                                                                .orElse(SearchValues.NO_MATCH)));
                case PRACTICE_CRITERION ->
                        search.and(
                                "e.practiceId = "
                                        + search.bind(
                                                Ids.parse(param.values().get(0))
                                                        .orElse(SearchValues.NO_MATCH)));
                case "subject", "patient" ->
                        search.anyOf(
                                param, v -> "e.patientId = " + search.bind(refId(v, "Patient")));
                case "sender" ->
                        search.anyOf(
                                param,
                                v -> {
                                    Ref ref =
                                            SearchValues.reference(
                                                    v,
                                                    "Patient",
                                                    "RelatedPerson",
                                                    "Practitioner",
                                                    "Device");
                                    return "e.senderType = "
                                            + search.bind(ref.type())
                                            + " and e.senderId = "
                                            + search.bind(ref.id());
                                });
                case "recipient" ->
                        search.anyOf(
                                param,
                                v -> {
                                    Ref ref =
                                            SearchValues.reference(
                                                    v,
                                                    "Practitioner",
                                                    "CareTeam",
                                                    "Patient",
                                                    "RelatedPerson");
                                    return "exists (select 1 from Message x join x.recipients r where x.id = e.id and r.type = "
                                            + search.bind(ref.type())
                                            + " and r.id = "
                                            + search.bind(ref.id())
                                            + ")";
                                });
                case "part-of" ->
                        search.anyOf(
                                param,
                                v -> {
                                    UUID root = refId(v, "Communication");
                                    return "e.threadId = (select t.id from MessageThread t where t.rootMessageId = "
                                            + search.bind(root)
                                            + ") and e.id <> "
                                            + search.bind(root);
                                });
                case "sent" ->
                        search.anyOf(
                                param,
                                v ->
                                        SearchValues.date(v, platform.defaultTimeZone())
                                                .criterion("e.sentAt", search));
                case "received" ->
                        search.anyOf(
                                param,
                                v ->
                                        SearchValues.date(v, platform.defaultTimeZone())
                                                .criterion("e.receivedAt", search));
                case "category" ->
                        search.anyOf(
                                param,
                                v -> "e.category = " + search.bind(SearchValues.token(v).code()));
                case "status" -> search.anyOf(param, v -> "e.status = " + search.bind(v));
                case "identifier" ->
                        search.anyOf(
                                param,
                                v -> {
                                    SearchValues.Token token = SearchValues.token(v);
                                    String clause =
                                            "e.identifierValue = " + search.bind(token.code());
                                    return token.anySystem()
                                            ? clause
                                            : clause
                                                    + " and coalesce(e.identifierSystem, '') = "
                                                    + search.bind(
                                                            token.system() == null
                                                                    ? ""
                                                                    : token.system());
                                });
                default ->
                        throw BluepostException.malformed(
                                "Search parameter '"
                                        + param.name()
                                        + "' is not supported for Communication; see GET /fhir/metadata.");
            }
        }
        SearchPage<Message> matches =
                search.page(em, Message.class, "e.receivedAt, e.createdAt, e.id", query);
        List<Communication> resources = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (query.count() > 0 && query.offset() < matches.total()) {
            reading.views(
                            matches.rows(),
                            actor,
                            id ->
                                    warnings.add(
                                            "Communication/"
                                                    + id
                                                    + " failed its integrity check and is left out of this page (recorded in the audit log)."))
                    .forEach(v -> resources.add(toResource(v)));
        }
        return new SearchResult<>(resources, matches.total(), warnings);
    }

    private static UUID refId(String value, String type) {
        Ref ref = SearchValues.reference(value, type);
        return ref.type().equals(type) ? ref.id() : SearchValues.NO_MATCH;
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of(
                SearchParameterInfo.token("_id", "Logical id"),
                SearchParameterInfo.reference("subject", "The patient the message is about"),
                SearchParameterInfo.reference("patient", "The patient the message is about"),
                SearchParameterInfo.reference(
                        "sender", "Patient, RelatedPerson, Practitioner or Device"),
                SearchParameterInfo.reference(
                        "recipient", "Practitioner, CareTeam, Patient or RelatedPerson"),
                SearchParameterInfo.reference("part-of", "The thread's first message"),
                SearchParameterInfo.date("sent", "When sent"),
                SearchParameterInfo.date("received", "When the platform received it"),
                SearchParameterInfo.token("category", "message-category code"),
                SearchParameterInfo.token("status", "completed or entered-in-error"),
                SearchParameterInfo.token("identifier", "system|value"));
    }

    @Override
    public boolean exportable() {
        return true;
    }

    /**
     * Streams the practice's messages (every practice's for a null practice): a forward-only cursor over
     * their ids ({@code fetchSize} per round trip, one read-only snapshot), decrypted and mapped as a
     * read maps them ({@link #toResource}) a batch of {@code fetchSize} at a time, each batch in a
     * short transaction of its own that forgets its entities when it ends. {@code _since} compares when
     * the platform stored the message or retracted it ({@code sent}/{@code received} may be older:
     * a migration's). A message that fails its integrity check is left out and reported by id.
     */
    @Override
    public void export(
            dev.bluepost.fhir.ExportScope scope, dev.bluepost.fhir.ExportSink<Communication> sink) {
        StringBuilder sql = new StringBuilder("select id from message where true");
        List<Object> parameters = new ArrayList<>();
        if (scope.practiceId() != null) {
            sql.append(" and practice_id = ?");
            parameters.add(scope.practiceId());
        }
        if (scope.since() != null) {
            sql.append(" and (created_at >= ? or retracted_at >= ?)");
            parameters.add(scope.since());
            parameters.add(scope.since());
        }
        dev.bluepost.fhir.ExportRows.idBatches(
                dataSource,
                sql.toString(),
                parameters,
                scope.fetchSize(),
                ids -> exportBatch(ids, scope, sink));
    }

    private void exportBatch(
            List<UUID> ids,
            dev.bluepost.fhir.ExportScope scope,
            dev.bluepost.fhir.ExportSink<Communication> sink) {
        List<Communication> resources =
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    List<Message> messages =
                                            em.createQuery(
                                                            "from Message e where e.id in :ids order by e.receivedAt, e.createdAt, e.id",
                                                            Message.class)
                                                    .setParameter("ids", ids)
                                                    .getResultList();
                                    List<Communication> mapped = new ArrayList<>(messages.size());
                                    reading.views(
                                                    messages,
                                                    scope.requester(),
                                                    id ->
                                                            sink.problem(
                                                                    "Communication/"
                                                                            + id
                                                                            + " failed its integrity check and is left out of the export (recorded in the audit log)."))
                                            .forEach(v -> mapped.add(toResource(v)));
                                    return mapped;
                                });
        resources.forEach(sink::accept);
    }
}
