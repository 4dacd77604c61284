package dev.bluepost.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The application with the demo practice loaded (its logins, conversations, measures and documents). */
public class DemoPracticeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // as the demo profile: its logins share one short password, admins included
        // and its patient apps, as the demo registers them (the demo connects them for alice and
        // the parent)
        return Map.of(
                "bluepost.demo.enabled",
                "true",
                "bluepost.security.password.admin-min-length",
                "8",
                "bluepost.security.apps.demo-app.name",
                "Bluepost demo app",
                "bluepost.security.apps.demo-app.redirect-uris",
                "http://127.0.0.1:8765/callback",
                "bluepost.security.apps.demo-diary.name",
                "Symptom Diary (demo)",
                "bluepost.security.apps.demo-diary.redirect-uris",
                "http://127.0.0.1:8766/callback");
    }
}
