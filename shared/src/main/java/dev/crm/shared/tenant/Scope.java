package dev.crm.shared.tenant;

/**
 * What a key may do. read &lt; write &lt; admin within a tenant; operator is the product operator's
 * key, which provisions tenants and nothing else (it reads no tenant's data).
 */
public enum Scope {
    READ, WRITE, ADMIN, OPERATOR;

    public boolean allows(Scope required) {
        if (required == OPERATOR || this == OPERATOR) {
            return this == required;
        }
        return ordinal() >= required.ordinal();
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Scope fromWire(String s) {
        if (s == null) {
            return null;
        }
        for (Scope v : values()) {
            if (v.wire().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
