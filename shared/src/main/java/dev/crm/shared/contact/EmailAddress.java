package dev.crm.shared.contact;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses: shown as given, unique per tenant in their normalised form (trimmed, lower-case).
 * The check is the practical subset mail systems deliver to, not every RFC 5322 curiosity.
 */
public final class EmailAddress {
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private EmailAddress() {}

    public static boolean isValid(String s) {
        if (s == null) {
            return false;
        }
        String e = s.trim();
        int at = e.lastIndexOf('@');
        if (e.length() > 254 || at < 1 || at == e.length() - 1 || e.indexOf('@') != at) {
            return false;
        }
        String local = e.substring(0, at);
        String domain = e.substring(at + 1);
        return local.length() <= 64 && LOCAL.matcher(local).matches() && DOMAIN.matcher(domain).matches();
    }

    public static String normalize(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The partition key of the address's uniqueness guard in the tenant: the keyed pseudonym of the
     * normalised address (HMAC under the tenant's pseudonym key), so the key reveals nothing to a
     * dictionary of addresses. Every guard is put under this key.
     */
    public static String guardKey(TenantId t, TenantSecrets secrets, String email) {
        return Keys.emailGuard(t, secrets.pseudonym(TenantSecrets.EMAIL_GUARD_PURPOSE, normalize(email)));
    }

    /**
     * Where a tenant provisioned before keyed guards may still hold the address's guard (under the
     * unkeyed hash) until its guards are migrated; null for a tenant whose guards are all keyed.
     * Lookups and uniqueness checks honour both keys while it is not null.
     */
    public static String legacyGuardKey(TenantId t, TenantSecrets secrets, String email) {
        return secrets.keyedEmailGuards() ? null : Keys.emailGuard(t, legacyHash(email));
    }

    /**
     * The unkeyed hash the guards of tenants provisioned before keyed guards are under. A dictionary
     * of addresses reverses it: nothing new is keyed by it.
     */
    public static String legacyHash(String email) {
        return Hashes.sha256Hex("email|" + normalize(email));
    }
}
