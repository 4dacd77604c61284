package dev.bluepost.fhir;

import dev.bluepost.platform.security.SmartConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;

/** The server's CapabilityStatement, derived from the registered handlers (what is there is what is announced). */
@ApplicationScoped
public class CapabilityStatementFactory {

    private final FhirRegistry registry;
    private final List<FhirOperationDefinition> operations;
    private final Date started = new Date();

    public CapabilityStatementFactory(
            FhirRegistry registry,
            jakarta.enterprise.inject.Instance<FhirOperationDefinition> operations) {
        this.registry = registry;
        this.operations = operations.stream().toList();
    }

    public CapabilityStatement build(String baseUrl) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(started);
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setName("Bluepost");
        cs.setTitle("Bluepost FHIR R4 API");
        cs.setPublisher("Bluepost");
        cs.getSoftware().setName("Bluepost");
        cs.getImplementation()
                .setDescription("Bluepost secure messaging")
                .setUrl(baseUrl.replaceAll("/$", ""));
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.addFormat("json");
        cs.addInstantiates("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");

        CapabilityStatementRestComponent rest = cs.addRest();
        rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        String root = baseUrl.replaceAll("fhir/?$", "");
        rest.getSecurity()
                .setCors(false)
                .setDescription(
                        "OAuth 2.0: system clients use client credentials at POST /oauth/token; patient apps "
                                + "(registered public clients) the authorization code grant with PKCE S256 at /oauth/authorize and "
                                + "/oauth/token (SMART App Launch 2: /.well-known/smart-configuration), with the scopes "
                                + FhirAccessPolicy.PATIENT_SIDE
                                + ", launch/patient and offline_access (refresh tokens, rotated; "
                                + "revocation at /oauth/revoke). Then Authorization: Bearer <token>. GET /fhir/metadata needs no token.")
                .addService(
                        new CodeableConcept(
                                new Coding(
                                        "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                        "OAuth",
                                        "OAuth")))
                .addService(
                        new CodeableConcept(
                                new Coding(
                                        "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                        "SMART-on-FHIR",
                                        "SMART-on-FHIR")));
        org.hl7.fhir.r4.model.Extension oauthUris =
                rest.getSecurity()
                        .addExtension()
                        .setUrl(
                                "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        oauthUris.addExtension(
                "authorize",
                new org.hl7.fhir.r4.model.UriType(root + SmartConfiguration.AUTHORIZE_PATH));
        oauthUris.addExtension(
                "token", new org.hl7.fhir.r4.model.UriType(root + SmartConfiguration.TOKEN_PATH));
        oauthUris.addExtension(
                "revoke", new org.hl7.fhir.r4.model.UriType(root + SmartConfiguration.REVOKE_PATH));
        for (String capability : SmartConfiguration.CAPABILITIES) {
            rest.getSecurity()
                    .addExtension(
                            "http://fhir-registry.smarthealthit.org/StructureDefinition/capabilities",
                            new org.hl7.fhir.r4.model.CodeType(capability));
        }
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);

        for (FhirResourceHandler<?> handler : registry.all()) {
            CapabilityStatementRestResourceComponent resource = rest.addResource();
            resource.setType(handler.type());
            resource.addInteraction().setCode(TypeRestfulInteraction.READ);
            if (handler.searchable()) {
                resource.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
            }
            if (handler.creatable()) {
                resource.addInteraction().setCode(TypeRestfulInteraction.CREATE);
                resource.setConditionalCreate(true);
            }
            if (handler.updatable()) {
                resource.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
                resource.setUpdateCreate(handler.creatable());
            }
            resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
            for (SearchParameterInfo param : handler.searchParameters()) {
                resource.addSearchParam()
                        .setName(param.name())
                        .setType(param.type())
                        .setDocumentation(
                                param.documentation()
                                        + ". Modifiers: "
                                        + param.modifierSummary()
                                        + ".");
            }
            for (FhirOperationDefinition operation : operations) {
                if (operation.resourceType().equals(handler.type())) {
                    resource.addOperation()
                            .setName(operation.name())
                            .setDefinition(operation.definitionUrl());
                }
            }
        }
        return cs;
    }
}
