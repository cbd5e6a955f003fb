package dev.crm.shared.contact;

import java.util.List;
import java.util.Map;

/** The fields of a contact that clients set. Every collection is bounded (see the limits below). */
public record ContactData(String firstName, String lastName, String email, String phone, String company, String locale,
        String timeZone, LifecycleStage lifecycleStage, List<String> tags, Map<String, Object> attributes,
        String externalId) {

    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_LENGTH = 64;
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_STRING = 1000;

    public ContactData {
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }

    public boolean hasIdentity() {
        return email != null || phone != null || externalId != null || firstName != null || lastName != null
                || company != null;
    }
}
