package dev.crm.shared.tenant;

import java.security.SecureRandom;

/**
 * Random identifiers: lower-case base-32 (no look-alike letters), unguessable, so an id never tells
 * one tenant how many records another has.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String random(String prefix, int length) {
        char[] out = new char[length];
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[bytes[i] & 31];
        }
        return prefix + new String(out);
    }

    /**
     * An id drawn from {@code digest} (at least 20 bytes of a cryptographic hash) instead of the
     * random source: the same digest gives the same id, so a re-run of one request names the record
     * the first run created.
     */
    public static String derived(String prefix, byte[] digest) {
        if (digest.length < 20) {
            throw new IllegalArgumentException("a digest of at least 20 bytes");
        }
        char[] out = new char[20];
        for (int i = 0; i < 20; i++) {
            out[i] = ALPHABET[digest[i] & 31];
        }
        return prefix + new String(out);
    }

    /** Ids the product issues: a prefix naming the kind and 20 base-32 characters (100 bits). */
    public static boolean isValid(String prefix, String value) {
        if (value == null || value.length() != prefix.length() + 20 || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    public static SecureRandom secureRandom() {
        return RANDOM;
    }
}
