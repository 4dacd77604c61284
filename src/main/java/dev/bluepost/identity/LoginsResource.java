package dev.bluepost.identity;

import dev.bluepost.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Provisioning of logins by the system client: how an EHR gives patients and staff their Bluepost
 * accounts (and how a new installation gets its first admin). Practice admins use {@link LoginsPage}.
 */
@Path("/api/logins")
@RolesAllowed(Roles.SYSTEM)
@Produces(MediaType.APPLICATION_JSON)
public class LoginsResource {

    /**
     * A new login; references are FHIR-style {@code Type/id}. {@code email} (optional) is where the
     * person's notifications go; a patient's login without one uses the Patient record's address.
     */
    public record CreateLoginRequest(
            String username,
            String displayName,
            String role,
            String password,
            String practice,
            String practitioner,
            String patient,
            List<String> relatedPersons,
            String email) {}

    public record LoginResponse(
            UUID id,
            String username,
            String displayName,
            Set<String> roles,
            String practice,
            String practitioner,
            String patient,
            List<String> relatedPersons,
            String email) {

        static LoginResponse of(IdentityService.UserView u) {
            return new LoginResponse(
                    u.id(),
                    u.username(),
                    u.displayName(),
                    u.roles().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()),
                    u.practiceId() == null ? null : "Organization/" + u.practiceId(),
                    u.practitionerId() == null ? null : "Practitioner/" + u.practitionerId(),
                    u.patientId() == null ? null : "Patient/" + u.patientId(),
                    u.relatedPersonIds().stream()
                            .map(id -> "RelatedPerson/" + id)
                            .sorted()
                            .toList(),
                    u.email());
        }
    }

    private final IdentityService identities;

    public LoginsResource(IdentityService identities) {
        this.identities = identities;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a login for a patient, a proxy or a staff member")
    public Response create(CreateLoginRequest request) {
        if (request == null) {
            throw dev.bluepost.platform.errors.BluepostException.malformed(
                    "A JSON body describing the login is required.");
        }
        UUID id =
                identities.createUser(
                        new IdentityService.NewUser(
                                request.username(),
                                request.password(),
                                request.displayName(),
                                Set.of(LoginLinks.role(request.role())),
                                LoginLinks.id(request.practice(), "Organization"),
                                LoginLinks.id(request.practitioner(), "Practitioner"),
                                LoginLinks.id(request.patient(), "Patient"),
                                LoginLinks.ids(request.relatedPersons(), "RelatedPerson"),
                                request.email()));
        IdentityService.UserView created = identities.user(id).orElseThrow();
        return Response.created(URI.create("/api/logins/" + id))
                .entity(LoginResponse.of(created))
                .build();
    }

    @GET
    @Operation(summary = "The logins of a practice (staff, patients and proxies)")
    public List<LoginResponse> list(@QueryParam("practice") String practice) {
        UUID practiceId = LoginLinks.id(practice, "Organization");
        if (practiceId == null) {
            throw dev.bluepost.platform.errors.BluepostException.malformed(
                    "The query parameter practice=Organization/<id> is required.");
        }
        return identities.usersOfPractice(practiceId).stream().map(LoginResponse::of).toList();
    }
}
