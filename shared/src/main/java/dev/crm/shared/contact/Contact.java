package dev.crm.shared.contact;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** A customer record. {@code version} increases with every change a client makes. */
public record Contact(String id, ContactData data, Instant createdAt, Instant updatedAt, long version, Status status) {

    public enum Status { ACTIVE, ERASING, ANONYMIZED }

    public static final String ID_PREFIX = "c_";

    public ZoneId zone(ZoneId tenantDefault) {
        return data.timeZone() == null ? tenantDefault : ZoneId.of(data.timeZone());
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("firstName", data.firstName());
        m.put("lastName", data.lastName());
        m.put("email", data.email());
        m.put("phone", data.phone());
        m.put("company", data.company());
        m.put("locale", data.locale());
        m.put("timeZone", data.timeZone());
        m.put("lifecycleStage", data.lifecycleStage() == null ? null : data.lifecycleStage().wire());
        m.put("tags", data.tags());
        m.put("attributes", data.attributes());
        m.put("externalId", data.externalId());
        m.put("createdAt", createdAt);
        m.put("updatedAt", updatedAt);
        m.put("version", version);
        if (status == Status.ANONYMIZED) {
            m.put("anonymized", true);
        }
        return m;
    }
}
