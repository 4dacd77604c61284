package dev.bluepost.platform.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the Kafka broker answers. (PostgreSQL's check comes with the datasource.) */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final KafkaTopicAdmin admin;

    public KafkaReadinessCheck(KafkaTopicAdmin admin) {
        this.admin = admin;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Kafka broker").status(admin.brokerReachable()).build();
    }
}
