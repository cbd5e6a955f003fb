package dev.crm.shared.contact;

import dev.crm.shared.crypto.Hashes;
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

    /** The key of the uniqueness guard: the normalised address never appears in a key. */
    public static String hash(String email) {
        return Hashes.sha256Hex("email|" + normalize(email));
    }
}
