package dev.bluepost.fhir;

/** Bluepost's canonical URLs for its own FHIR extensions and code systems. */
public final class FhirUrls {
    public static final String BASE = "https://fhir.bluepost.dev";
    public static final String EXT_TIME_ZONE = BASE + "/StructureDefinition/time-zone";
    public static final String EXT_CEHRT_EQUIPPED = BASE + "/StructureDefinition/cehrt-equipped";
    public static final String EXT_PRACTICE = BASE + "/StructureDefinition/practice";
    public static final String EXT_REPLY_WINDOW_DAYS =
            BASE + "/StructureDefinition/reply-window-days";
    public static final String EXT_REQUEST_ID = BASE + "/StructureDefinition/request-id";
    public static final String EXT_THRESHOLD_MET = BASE + "/StructureDefinition/threshold-met";
    public static final String CS_MESSAGE_CATEGORY = BASE + "/CodeSystem/message-category";
    public static final String CS_TRIAGE_TASK = BASE + "/CodeSystem/triage-task";
    public static final String NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String PARTICIPATION_MODE =
            "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode";
    public static final String PARTICIPATION_TYPE =
            "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private FhirUrls() {}
}
