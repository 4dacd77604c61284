package dev.bluepost.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who the audit log names as the caller: nobody only when no identity could be established for the
 * request; any other failure to tell is an error, never an entry without an actor.
 */
@QuarkusTest
class AuditCallerIT {

    @Test
    void shouldRecordNobodyWhenTheRequestHasNoIdentity() {
        callerFails(new AuthenticationFailedException());
        inRequest(() -> assertThat(AuditRecorder.currentActor()).isEmpty());
    }

    @Test
    void shouldFailRatherThanRecordNobodyWhenTheCallerCannotBeTold() {
        callerFails(new IllegalStateException("identity attribute of an unexpected type"));
        inRequest(
                () ->
                        assertThatThrownBy(AuditRecorder::currentActor)
                                .isInstanceOf(IllegalStateException.class));
    }

    private static void callerFails(RuntimeException failure) {
        QuarkusMock.installMockForType(
                new CurrentActor() {
                    @Override
                    public Optional<Actor> find() {
                        throw failure;
                    }
                },
                CurrentActor.class);
    }

    private static void inRequest(Runnable check) {
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        try {
            check.run();
        } finally {
            request.terminate();
        }
    }
}
