package dev.bluepost.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The application with the demo practice loaded (its logins, conversations, measures and documents). */
public class DemoPracticeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // as the demo profile: its logins share one short password, admins included
        return Map.of("bluepost.demo.enabled", "true", "bluepost.security.password.admin-min-length", "8");
    }
}
