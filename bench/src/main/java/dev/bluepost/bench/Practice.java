package dev.bluepost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated practice, created through the FHIR API with transaction Bundles: one Organization,
 * one eligible professional (Practitioner with an NPI), the "Front desk" pool (CareTeam) and N
 * patients managed by the practice. Ids are the server's ({@code Type/id}).
 */
record Practice(String organization, String practitioner, String pool, List<String> patients) {

    private static final String BASE = "https://fhir.bluepost.dev";
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 10_000_000);

    static Practice load(Api api, int patientCount, int bundleSize)
            throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bundle =
                """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:%1$s","request":{"method":"POST","url":"Organization"},
                  "resource":{"resourceType":"Organization","name":"Bench Practice %4$s",
                   "identifier":[{"system":"urn:bench:practice","value":"practice-%4$s"}],
                   "extension":[{"url":"%5$s/StructureDefinition/time-zone","valueCode":"America/New_York"}]}},
                 {"fullUrl":"urn:uuid:%2$s","request":{"method":"POST","url":"Practitioner"},
                  "resource":{"resourceType":"Practitioner",
                   "identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"%6$s"}],
                   "name":[{"family":"Benchdoctor","given":["Load"]}],
                   "extension":[{"url":"%5$s/StructureDefinition/practice","valueReference":{"reference":"urn:uuid:%1$s"}}]}},
                 {"fullUrl":"urn:uuid:%3$s","request":{"method":"POST","url":"CareTeam"},
                  "resource":{"resourceType":"CareTeam","status":"active","name":"Front desk",
                   "managingOrganization":[{"reference":"urn:uuid:%1$s"}],
                   "participant":[{"member":{"reference":"urn:uuid:%2$s"}}]}}
                ]}"""
                        .formatted(
                                UUID.randomUUID(),
                                UUID.randomUUID(),
                                UUID.randomUUID(),
                                run,
                                BASE,
                                validNpi());
        JsonNode response = api.post("/fhir", bundle, 200);
        String organization = reference(response, 0);
        String practitioner = reference(response, 1);
        String pool = reference(response, 2);

        List<String> patients = new ArrayList<>(patientCount);
        for (int start = 0; start < patientCount; start += bundleSize) {
            int count = Math.min(bundleSize, patientCount - start);
            StringBuilder entries = new StringBuilder();
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    entries.append(',');
                }
                int n = start + i;
                entries.append(
                        """
                        {"request":{"method":"POST","url":"Patient"},"resource":{"resourceType":"Patient",
                         "identifier":[{"system":"urn:bench:mrn","value":"mrn-%1$s-%2$d"}],
                         "name":[{"family":"Benchpatient%2$d","given":["Load"]}],
                         "managingOrganization":{"reference":"%3$s"}}}"""
                                .formatted(run, n, organization));
            }
            JsonNode result =
                    api.post(
                            "/fhir",
                            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                                    + entries
                                    + "]}",
                            200);
            for (int i = 0; i < count; i++) {
                patients.add(reference(result, i));
            }
        }
        return new Practice(organization, practitioner, pool, List.copyOf(patients));
    }

    /** {@code Type/id} of entry {@code index} of a transaction-response Bundle (location is {@code Type/id/_history/n}). */
    private static String reference(JsonNode transactionResponse, int index) {
        String location =
                transactionResponse
                        .get("entry")
                        .get(index)
                        .get("response")
                        .get("location")
                        .asText();
        String[] parts = location.split("/");
        return parts[0] + "/" + parts[1];
    }

    /** A 10-digit NPI with a valid check digit (Luhn over 80840 + 9 digits). */
    static String validNpi() {
        String base = String.format("1%08d", SEQUENCE.incrementAndGet() % 100_000_000);
        for (int check = 0; check < 10; check++) {
            String candidate = base + check;
            if (luhn("80840" + candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no check digit");
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
