package dev.crm.contacts.domain;

import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.TenantSettings;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads contact fields from request bodies: a full set for POST, a JSON merge patch (RFC 7396) for
 * PATCH. Every problem is recorded on the body's violations with its JSON Pointer.
 */
public final class ContactFields {
    public static final Set<String> EDITABLE = Set.of("firstName", "lastName", "email", "phone", "company", "locale",
            "timeZone", "lifecycleStage", "tags", "attributes", "externalId");
    public static final Set<String> READ_ONLY = Set.of("id", "tenantId", "version", "createdAt", "updatedAt", "anonymized");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");

    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private ContactFields() {}

    /** The fields of a new contact. */
    public static ContactData create(JsonObject body) {
        for (String f : body.fields()) {
            if (READ_ONLY.contains(f)) {
                body.violations().pointer(body.pointer(f), "read-only field; it is set by the server");
            } else if (!EDITABLE.contains(f)) {
                body.violations().pointer(body.pointer(f), "unknown field");
            }
        }
        ContactData d = new ContactData(
                name(body, "firstName", 100), name(body, "lastName", 100), email(body), phone(body),
                name(body, "company", 200), locale(body), zone(body), body.optionalEnum("lifecycleStage", LifecycleStage.class),
                tags(body), attributes(body, Map.of(), false), externalId(body));
        if (body.violations().isEmpty() && !d.hasIdentity()) {
            body.violations().pointer("", "a contact needs at least one of email, phone, externalId, firstName, lastName, company");
        }
        return d;
    }

    /** The current fields with a merge patch applied: null removes a field, attributes merge key by key. */
    public static ContactData merge(Contact current, JsonObject patch) {
        for (String f : patch.fields()) {
            if (!EDITABLE.contains(f) && !READ_ONLY.contains(f)) {
                patch.violations().pointer(patch.pointer(f), "unknown field");
            }
        }
        patch.readOnly("id", current.id());
        patch.readOnly("version", current.version());
        patch.readOnly("createdAt", current.createdAt());
        patch.readOnly("updatedAt", current.updatedAt());
        if (patch.has("tenantId")) {
            patch.violations().pointer("/tenantId", "read-only field; it cannot be changed");
        }
        if (patch.has("anonymized")) {
            patch.readOnly("anonymized", current.status() == Contact.Status.ANONYMIZED ? Boolean.TRUE : null);
        }
        ContactData c = current.data();
        ContactData d = new ContactData(
                patch.has("firstName") ? name(patch, "firstName", 100) : c.firstName(),
                patch.has("lastName") ? name(patch, "lastName", 100) : c.lastName(),
                patch.has("email") ? email(patch) : c.email(),
                patch.has("phone") ? phone(patch) : c.phone(),
                patch.has("company") ? name(patch, "company", 200) : c.company(),
                patch.has("locale") ? locale(patch) : c.locale(),
                patch.has("timeZone") ? zone(patch) : c.timeZone(),
                patch.has("lifecycleStage") ? patch.optionalEnum("lifecycleStage", LifecycleStage.class) : c.lifecycleStage(),
                patch.has("tags") ? tags(patch) : c.tags(),
                patch.has("attributes") ? attributes(patch, c.attributes(), true) : c.attributes(),
                patch.has("externalId") ? externalId(patch) : c.externalId());
        if (patch.violations().isEmpty() && !d.hasIdentity()) {
            patch.violations().pointer("", "a contact needs at least one of email, phone, externalId, firstName, lastName, company");
        }
        return d;
    }

    private static String name(JsonObject o, String field, int max) {
        return o.optionalLine(field, 1, max);
    }

    private static String email(JsonObject o) {
        String e = o.optionalLine("email", 3, 254);
        if (e != null && !EmailAddress.isValid(e)) {
            o.violations().pointer(o.pointer("email"), "must be an email address such as jane@example.com");
            return null;
        }
        return e == null ? null : e.trim();
    }

    private static String phone(JsonObject o) {
        String p = o.optionalLine("phone", 1, 16);
        if (p != null && !PHONE.matcher(p).matches()) {
            o.violations().pointer(o.pointer("phone"), "must be an E.164 number such as +447700900123");
            return null;
        }
        return p;
    }

    private static String locale(JsonObject o) {
        String l = o.optionalLine("locale", 2, 35);
        if (l == null) {
            return null;
        }
        Locale parsed = Locale.forLanguageTag(l);
        if (parsed.getLanguage().isEmpty() || !parsed.toLanguageTag().equalsIgnoreCase(l)
                || !LANGUAGES.contains(parsed.getLanguage())) {
            o.violations().pointer(o.pointer("locale"), "must be a BCP 47 language tag such as en-GB");
            return null;
        }
        return parsed.toLanguageTag();
    }

    private static String zone(JsonObject o) {
        String z = o.optionalLine("timeZone", 1, 64);
        if (z != null && !TenantSettings.isZone(z)) {
            o.violations().pointer(o.pointer("timeZone"), "must be an IANA time zone such as Europe/London");
            return null;
        }
        return z;
    }

    private static List<String> tags(JsonObject o) {
        List<String> t = o.optionalStringSet("tags", ContactData.MAX_TAGS, ContactData.MAX_TAG_LENGTH);
        return t == null ? List.of() : t;
    }

    private static String externalId(JsonObject o) {
        String e = o.optionalLine("externalId", 1, 128);
        if (e != null && !EXTERNAL_ID.matcher(e).matches()) {
            o.violations().pointer(o.pointer("externalId"), "must be 1 to 128 letters, digits or . _ : @ / -");
            return null;
        }
        return e;
    }

    /** Custom values: strings (at most 1,000 characters), numbers or booleans under simple keys. */
    private static Map<String, Object> attributes(JsonObject o, Map<String, Object> current, boolean merge) {
        JsonObject a = o.optionalObject("attributes");
        if (a == null) {
            return merge && o.isNull("attributes") ? Map.of() : current;
        }
        Map<String, Object> out = new LinkedHashMap<>(merge ? current : Map.of());
        for (String key : a.fields()) {
            String p = a.pointer(key);
            if (!ATTRIBUTE_KEY.matcher(key).matches()) {
                o.violations().pointer(p, "attribute names are a letter then up to 63 letters, digits or underscores");
                continue;
            }
            Object v = a.raw().get(key);
            if (v == null) {
                if (merge) {
                    out.remove(key);
                } else {
                    o.violations().pointer(p, "must be a string, number or boolean");
                }
            } else if (v instanceof String s) {
                if (s.length() > ContactData.MAX_ATTRIBUTE_STRING) {
                    o.violations().pointer(p, "must be at most " + ContactData.MAX_ATTRIBUTE_STRING + " characters");
                } else {
                    out.put(key, s);
                }
            } else if (v instanceof Long || v instanceof BigDecimal || v instanceof Boolean) {
                out.put(key, v);
            } else {
                o.violations().pointer(p, "must be a string, number or boolean");
            }
        }
        if (out.size() > ContactData.MAX_ATTRIBUTES) {
            o.violations().pointer(o.pointer("attributes"), "at most " + ContactData.MAX_ATTRIBUTES + " attributes");
        }
        return out;
    }
}
