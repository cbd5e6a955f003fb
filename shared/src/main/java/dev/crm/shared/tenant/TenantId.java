package dev.crm.shared.tenant;

import java.util.regex.Pattern;

/**
 * A tenant's identity. Every repository call takes one, and every tenant-owned DynamoDB key begins
 * with it, so tenant isolation is a property of the key layout and not of each query's care.
 */
public record TenantId(String value) {
    private static final Pattern FORMAT = Pattern.compile("t_[0-9a-z]{20,32}");

    public TenantId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a tenant id");
        }
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    public static TenantId generate() {
        return new TenantId(Ids.random("t_", 20));
    }

    @Override
    public String toString() {
        return value;
    }
}
