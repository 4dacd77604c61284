package dev.bluepost.directory.fhir;

import dev.bluepost.directory.Practice;
import dev.bluepost.directory.StoredDevice;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hl7.fhir.r4.model.Device;

/** Device: the sender of a practice's automatic messages (auto-replies). */
@ApplicationScoped
public class DeviceHandler extends StoredResourceHandler<Device, StoredDevice> {

    @Override
    public String type() {
        return "Device";
    }

    @Override
    public Class<Device> resourceClass() {
        return Device.class;
    }

    @Override
    protected Class<StoredDevice> entityClass() {
        return StoredDevice.class;
    }

    @Override
    protected StoredDevice newEntity() {
        return new StoredDevice();
    }

    @Override
    protected void apply(Device resource, StoredDevice device, Actor actor) {
        device.practiceId =
                Ref.optional(resource.getOwner(), "Device.owner", "Organization")
                        .map(
                                ref -> {
                                    if (em.find(Practice.class, ref.id()) == null) {
                                        throw BluepostException.businessRule(
                                                "Device.owner refers to "
                                                        + ref
                                                        + ", which is not known.");
                                    }
                                    return ref.id();
                                })
                        .orElse(null);
        device.displayName =
                resource.getDeviceName().stream()
                        .filter(n -> n.hasName())
                        .map(n -> n.getName())
                        .findFirst()
                        .orElse("Automatic messages");
        device.status = resource.hasStatus() ? resource.getStatus().toCode() : "active";
    }

    /** The devices the practice owns (a Device without an owner is no practice's). */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        if (param.name().equals("organization")) {
            search.and(referenceCriterion(param, search, "e.practiceId", "Organization"));
            return true;
        }
        return false;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(
                SearchParameterInfo.reference("organization", "The practice that owns the device"));
    }
}
