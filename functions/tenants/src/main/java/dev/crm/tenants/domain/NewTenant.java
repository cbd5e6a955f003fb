package dev.crm.tenants.domain;

import dev.crm.shared.json.JsonObject;
import java.util.regex.Pattern;

/** A provisioning request: the tenant's display name and its public slug. */
public record NewTenant(String name, String slug) {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    /** Reads and validates the body; problems are recorded on the body's violations. */
    public static NewTenant from(JsonObject body) {
        body.allowOnly("name", "slug");
        String name = body.requiredLine("name", 1, 200);
        String slug = body.requiredLine("slug", 3, 63);
        if (slug != null && !SLUG.matcher(slug).matches()) {
            body.violations().pointer("/slug",
                    "must be lower-case letters, digits and single hyphens, not starting or ending with a hyphen");
        }
        return new NewTenant(name, slug);
    }

    public static boolean isSlug(String s) {
        return s != null && s.length() >= 3 && s.length() <= 63 && SLUG.matcher(s).matches();
    }
}
