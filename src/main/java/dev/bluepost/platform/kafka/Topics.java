package dev.bluepost.platform.kafka;

/**
 * The Kafka topics of Bluepost, by logical name. Names and partition counts come from
 * {@code bluepost.kafka.topics.<key>.*}; docs/kafka.md describes each topic and its events.
 */
public enum Topics {
    MESSAGE_EVENTS("message-events"),
    /** The red-flag lane: message events of patients' messages that matched a red flag when sent. */
    URGENT_MESSAGE_EVENTS("urgent-message-events"),
    MESSAGE_EVENTS_DLQ("message-events-dlq"),
    TRIAGE_EVENTS("triage-events"),
    TRIAGE_EVENTS_DLQ("triage-events-dlq"),
    /** Message events the notifications could not apply. */
    NOTIFICATION_DLQ("notification-dlq"),
    /** Message and triage events measurement could not record. */
    MEASUREMENT_DLQ("measurement-dlq"),
    /** FHIR Encounter JSON an EHR publishes (measurement's encounter feed). */
    EHR_ENCOUNTERS("ehr-encounters"),
    EHR_ENCOUNTERS_DLQ("ehr-encounters-dlq");

    private final String key;

    Topics(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
