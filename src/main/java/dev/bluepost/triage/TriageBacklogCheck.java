package dev.bluepost.triage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Reports triage's backlog in {@code /q/health} (docs/operations.md). Always UP: a backlog is a
 * reason to look, not to restart or to stop sending traffic here — sends keep their 201 and the
 * messages are triaged in order once the lanes catch up.
 */
@Liveness
@ApplicationScoped
public class TriageBacklogCheck implements HealthCheck {

    private final TriageBacklog backlog;

    public TriageBacklogCheck(TriageBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public HealthCheckResponse call() {
        TriageBacklog.Backlog now = backlog.current();
        var response =
                HealthCheckResponse.named("triage backlog").up().withData("behind", now.behind());
        for (TriageBacklog.Lane lane : java.util.List.of(now.routine(), now.urgent())) {
            String key = lane.name().replace(' ', '-');
            response.withData(key + "-messages", lane.messages());
            response.withData(key + "-oldest-seconds", lane.oldest().toSeconds());
        }
        return response.build();
    }
}
