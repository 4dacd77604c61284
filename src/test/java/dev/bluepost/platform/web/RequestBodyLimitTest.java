package dev.bluepost.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 413 refusal's body: as rendered, or a failure that is seen — never an empty body that hides a defect. */
class RequestBodyLimitTest {

    @Test
    void shouldSendTheRenderedBody() {
        RequestBodyLimit limit = limit(new ObjectMapper());
        assertThat(limit.body(Response.status(413).entity("<p>too large</p>").build()))
                .isEqualTo("<p>too large</p>");
        assertThat(limit.body(Response.status(413).entity(Map.of("status", 413)).build()))
                .isEqualTo("{\"status\":413}");
    }

    @Test
    void shouldNotHideABodyThatCannotBeSerialized() {
        RequestBodyLimit limit =
                limit(
                        new ObjectMapper() {
                            @Override
                            public String writeValueAsString(Object value)
                                    throws JsonProcessingException {
                                throw new JsonMappingException(null, "no serializer");
                            }
                        });
        assertThatThrownBy(
                        () ->
                                limit.body(
                                        Response.status(413).entity(Map.of("status", 413)).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(JsonMappingException.class);
    }

    private static RequestBodyLimit limit(ObjectMapper json) {
        return new RequestBodyLimit(new MemorySize(BigInteger.valueOf(1024)), null, null, json);
    }
}
