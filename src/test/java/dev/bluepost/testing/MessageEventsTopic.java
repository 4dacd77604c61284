package dev.bluepost.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code message.created} events back from the broker, by message id (events carry ids only). */
public final class MessageEventsTopic {

    public static final String NAME = "bluepost.message-events.v1";
    public static final String DEAD_LETTERS = "bluepost.message-events.v1.dlq";
    public static final String TRIAGE_GROUP = "bluepost-triage";

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageEventsTopic() {}

    /** The records of {@code topic} whose JSON value names {@code messageId}, in offset order per partition. */
    public static List<ConsumerRecord<String, String>> recordsFor(
            ExternalKafkaBroker kafka, String topic, String messageId) {
        return kafka.readAll(topic).stream()
                .filter(r -> r.value() != null && messageId.equals(field(r, "messageId")))
                .toList();
    }

    public static List<ConsumerRecord<String, String>> recordsFor(
            ExternalKafkaBroker kafka, String messageId) {
        return recordsFor(kafka, NAME, messageId);
    }

    /** A top-level text field of the record's JSON value ("" when absent or not JSON). */
    public static String field(ConsumerRecord<String, String> record, String name) {
        try {
            JsonNode node = JSON.readTree(record.value());
            return node == null ? "" : node.path(name).asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }
}
