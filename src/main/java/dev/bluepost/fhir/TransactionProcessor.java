package dev.bluepost.fhir;

import ca.uhn.fhir.util.FhirTerser;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Processes a FHIR {@code transaction} Bundle all-or-nothing in one database transaction:
 * {@code POST} entries (with {@code urn:uuid:} fullUrls that other entries reference, and optional
 * {@code ifNoneExist}), {@code PUT} entries (by id, or conditional {@code Type?criteria}), and
 * {@code GET} entries, evaluated after the writes. Every reference to a fullUrl of the Bundle is
 * rewritten to the id the server assigned, and conditional references ({@code Type?criteria}) are
 * resolved to their single match. Writes run in dependency order, so an entry may reference one
 * that comes later in the Bundle.
 */
@ApplicationScoped
public class TransactionProcessor {

    private final FhirOperations operations;
    private final FhirRegistry registry;
    private final FhirJson json;
    private final FhirReferences references;

    public TransactionProcessor(
            FhirOperations operations,
            FhirRegistry registry,
            FhirJson json,
            FhirReferences references) {
        this.operations = operations;
        this.registry = registry;
        this.json = json;
        this.references = references;
    }

    /** One entry's plan: what to do, and where it will live. */
    private static final class Plan {
        final int index;
        final BundleEntryComponent entry;
        final HTTPVerb method;
        final String type;
        UUID id;
        boolean existingMatch;
        Resource outcome;
        boolean created;

        Plan(int index, BundleEntryComponent entry, HTTPVerb method, String type) {
            this.index = index;
            this.entry = entry;
            this.method = method;
            this.type = type;
        }
    }

    @Transactional
    public Bundle process(Bundle bundle, Actor actor, String baseUrl) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw BluepostException.malformed(
                    "Only Bundles of type 'transaction' can be posted to the base "
                            + "(this one is '"
                            + (bundle.getType() == null ? "missing" : bundle.getType().toCode())
                            + "').");
        }
        List<Plan> plans = plan(bundle);
        Map<String, String> fullUrlToReference = resolveTargets(plans, actor);
        rewriteReferences(plans, fullUrlToReference, actor);
        for (Plan plan : writeOrder(plans, fullUrlToReference)) {
            execute(plan, actor);
        }
        for (Plan plan : plans) {
            if (plan.method == HTTPVerb.GET) {
                plan.outcome = readOrSearch(plan, actor, baseUrl);
            }
        }
        return response(plans, baseUrl);
    }

    private List<Plan> plan(Bundle bundle) {
        List<Plan> plans = new ArrayList<>();
        Set<String> fullUrls = new java.util.HashSet<>();
        Map<String, Integer> identities = new HashMap<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            if (!entry.hasRequest() || entry.getRequest().getMethod() == null) {
                throw entryError(i, null, ErrorKind.MALFORMED, "has no request.method.");
            }
            HTTPVerb method = entry.getRequest().getMethod();
            String type;
            switch (method) {
                case POST, PUT -> {
                    if (!entry.hasResource()) {
                        throw entryError(i, null, ErrorKind.MALFORMED, "has no resource.");
                    }
                    type = entry.getResource().fhirType();
                    String urlType = typeOf(entry.getRequest().getUrl());
                    if (!type.equals(urlType)) {
                        throw entryError(
                                i,
                                type,
                                ErrorKind.MALFORMED,
                                "request.url '"
                                        + entry.getRequest().getUrl()
                                        + "' does not name the entry's resource type.");
                    }
                }
                case GET -> type = typeOf(entry.getRequest().getUrl());
                default ->
                        throw entryError(
                                i,
                                null,
                                ErrorKind.METHOD_NOT_ALLOWED,
                                "uses "
                                        + method.toCode()
                                        + ", which transactions here do not support (POST, PUT, GET).");
            }
            if (entry.hasFullUrl() && !fullUrls.add(entry.getFullUrl())) {
                throw entryError(
                        i,
                        type,
                        ErrorKind.MALFORMED,
                        "repeats fullUrl " + entry.getFullUrl() + ".");
            }
            FhirResourceHandler<Resource> handler = registry.handler(type);
            if (method == HTTPVerb.POST) {
                int index = i;
                handler.identity(entry.getResource())
                        .ifPresent(
                                identity -> {
                                    Integer earlier =
                                            identities.putIfAbsent(type + " " + identity, index);
                                    if (earlier != null) {
                                        throw entryError(
                                                index,
                                                type,
                                                ErrorKind.CONFLICT,
                                                "repeats the identifier of entry "
                                                        + earlier
                                                        + ": one "
                                                        + type
                                                        + " is stored per identifier, so a Bundle carries it in one entry only.");
                                    }
                                });
            }
            plans.add(new Plan(i, entry, method, type));
        }
        return plans;
    }

    /** Decides the id of every written entry (new, existing match, or the PUT's id). */
    private Map<String, String> resolveTargets(List<Plan> plans, Actor actor) {
        Map<String, String> fullUrlToReference = new HashMap<>();
        for (Plan plan : plans) {
            String url = plan.entry.getRequest().getUrl();
            try {
                if (plan.method == HTTPVerb.POST) {
                    Optional<Resource> match =
                            operations.existing(
                                    plan.entry.getResource(),
                                    plan.entry.getRequest().getIfNoneExist(),
                                    actor);
                    if (match.isPresent()) {
                        plan.id = UUID.fromString(match.get().getIdElement().getIdPart());
                        plan.existingMatch = true;
                        plan.outcome = match.get();
                    } else {
                        plan.id = Ids.newId();
                    }
                } else if (plan.method == HTTPVerb.PUT) {
                    int question = url.indexOf('?');
                    if (question >= 0) {
                        Optional<Resource> match =
                                operations.findOne(plan.type, url.substring(question + 1), actor);
                        plan.id =
                                match.map(r -> UUID.fromString(r.getIdElement().getIdPart()))
                                        .orElseGet(Ids::newId);
                    } else {
                        String idPart = url.substring(url.indexOf('/') + 1);
                        plan.id =
                                Ids.parse(idPart)
                                        .orElseThrow(
                                                () ->
                                                        BluepostException.businessRule(
                                                                "'"
                                                                        + idPart
                                                                        + "' is not a Bluepost id; use POST (or a conditional PUT) to create."));
                    }
                }
            } catch (BluepostException e) {
                throw entryError(plan.index, plan.type, e.kind(), e.getMessage());
            }
            if (plan.id != null && plan.entry.hasFullUrl()) {
                fullUrlToReference.put(plan.entry.getFullUrl(), plan.type + "/" + plan.id);
            }
        }
        return fullUrlToReference;
    }

    private void rewriteReferences(
            List<Plan> plans, Map<String, String> fullUrlToReference, Actor actor) {
        Map<String, String> conditional = new HashMap<>();
        for (Plan plan : plans) {
            if (!plan.entry.hasResource() || plan.method == HTTPVerb.GET) {
                continue;
            }
            FhirTerser terser = json.context().newTerser();
            List<Reference> all =
                    terser.getAllPopulatedChildElementsOfType(
                            plan.entry.getResource(), Reference.class);
            for (Reference reference : all) {
                if (reference.hasReference()
                        && fullUrlToReference.containsKey(reference.getReference())) {
                    reference.setReference(fullUrlToReference.get(reference.getReference()));
                }
            }
            try {
                // what is left absolute names this server (made Type/id) or another one (refused)
                references.localize(plan.entry.getResource());
            } catch (BluepostException e) {
                throw entryError(plan.index, plan.type, e.kind(), e.getMessage());
            }
            for (Reference reference : all) {
                if (!reference.hasReference()) {
                    continue;
                }
                String target = reference.getReference();
                if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                    throw entryError(
                            plan.index,
                            plan.type,
                            ErrorKind.BUSINESS_RULE,
                            "references "
                                    + target
                                    + ", which is not the fullUrl of any entry in this Bundle.");
                } else if (target.matches("^[A-Z][A-Za-z]+\\?.+")) {
                    String resolved =
                            conditional.computeIfAbsent(
                                    target, t -> resolveConditional(plan, t, actor));
                    reference.setReference(resolved);
                }
            }
        }
    }

    private String resolveConditional(Plan plan, String target, Actor actor) {
        String type = target.substring(0, target.indexOf('?'));
        try {
            Resource match =
                    operations
                            .findOne(type, target.substring(target.indexOf('?') + 1), actor)
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "the conditional reference "
                                                            + target
                                                            + " matches nothing."));
            return type + "/" + match.getIdElement().getIdPart();
        } catch (BluepostException e) {
            throw entryError(plan.index, plan.type, e.kind(), e.getMessage());
        }
    }

    /** Writes ordered so that an entry comes after the entries it references (Bundle order otherwise). */
    private List<Plan> writeOrder(List<Plan> plans, Map<String, String> fullUrlToReference) {
        Map<String, Plan> byReference = new LinkedHashMap<>();
        for (Plan plan : plans) {
            if (plan.method != HTTPVerb.GET && plan.id != null) {
                byReference.put(plan.type + "/" + plan.id, plan);
            }
        }
        List<Plan> ordered = new ArrayList<>();
        Set<Plan> visiting = new java.util.HashSet<>();
        for (Plan plan : byReference.values()) {
            visit(plan, byReference, ordered, visiting);
        }
        return ordered;
    }

    private void visit(
            Plan plan, Map<String, Plan> byReference, List<Plan> ordered, Set<Plan> visiting) {
        if (ordered.contains(plan) || !visiting.add(plan)) {
            return; // done, or a reference cycle: keep Bundle order for the rest of the cycle
        }
        FhirTerser terser = json.context().newTerser();
        for (Reference reference :
                terser.getAllPopulatedChildElementsOfType(
                        plan.entry.getResource(), Reference.class)) {
            Plan dependency = byReference.get(reference.getReference());
            if (dependency != null && dependency != plan) {
                visit(dependency, byReference, ordered, visiting);
            }
        }
        ordered.add(plan);
    }

    private void execute(Plan plan, Actor actor) {
        try {
            if (plan.method == HTTPVerb.POST) {
                if (!plan.existingMatch) {
                    operations.handlerFor(plan.type, true);
                    Stored<? extends Resource> stored =
                            operations.createWithId(plan.entry.getResource(), plan.id, null, actor);
                    if (!stored.created()) {
                        // entries repeating an identifier were refused at step 1; this is a
                        // concurrent request
                        throw entryError(
                                plan.index,
                                plan.type,
                                ErrorKind.CONFLICT,
                                "another request stored a "
                                        + plan.type
                                        + " with the same identifier meanwhile; send the Bundle again to be answered with it.");
                    }
                    plan.outcome = stored.resource();
                    plan.created = true;
                }
            } else {
                Resource resource = plan.entry.getResource();
                resource.setId(plan.type + "/" + plan.id);
                Stored<? extends Resource> stored =
                        operations.updateWithId(
                                plan.type,
                                plan.id,
                                resource,
                                plan.entry.getRequest().getIfMatch(),
                                actor);
                plan.outcome = stored.resource();
                plan.created = stored.created();
            }
        } catch (BluepostException e) {
            throw entryError(plan.index, plan.type, e.kind(), e.getMessage());
        }
    }

    private Resource readOrSearch(Plan plan, Actor actor, String baseUrl) {
        String url = plan.entry.getRequest().getUrl();
        int question = url.indexOf('?');
        try {
            if (question >= 0) {
                SearchQuery query = SearchQuery.parse(url.substring(question + 1));
                return Bundles.searchset(
                        plan.type, operations.search(plan.type, query, actor), query, baseUrl);
            }
            String id = url.substring(url.indexOf('/') + 1);
            return operations.read(plan.type, id, actor);
        } catch (BluepostException e) {
            throw entryError(plan.index, plan.type, e.kind(), e.getMessage());
        }
    }

    private Bundle response(List<Plan> plans, String baseUrl) {
        Bundle response = new Bundle();
        response.setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (Plan plan : plans) {
            BundleEntryComponent entry = response.addEntry();
            Bundle.BundleEntryResponseComponent outcome = entry.getResponse();
            if (plan.method == HTTPVerb.GET) {
                outcome.setStatus("200 OK");
            } else {
                outcome.setStatus(plan.created ? "201 Created" : "200 OK");
                String version = plan.outcome.getMeta().getVersionId();
                outcome.setLocation(plan.type + "/" + plan.id + "/_history/" + version);
                outcome.setEtag("W/\"" + version + "\"");
                outcome.setLastModified(plan.outcome.getMeta().getLastUpdated());
                entry.setFullUrl(baseUrl + plan.type + "/" + plan.id);
            }
            entry.setResource(plan.outcome);
        }
        return response;
    }

    private static String typeOf(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        String path = url.split("\\?", 2)[0];
        return path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    }

    private static BluepostException entryError(
            int index, String type, ErrorKind kind, String message) {
        String what = "Bundle entry " + index + (type == null ? "" : " (" + type + ")");
        String text = message.startsWith("Bundle entry ") ? message : what + ": " + message;
        return new BluepostException(kind, text);
    }
}
