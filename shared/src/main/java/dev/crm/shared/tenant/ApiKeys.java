package dev.crm.shared.tenant;

import dev.crm.shared.crypto.Hashes;

/**
 * API key secrets: {@code crm_live_} and 43 base-62 characters (256 bits). Only the SHA-256 is
 * stored; a slow hash adds nothing for secrets this long.
 */
public final class ApiKeys {
    public static final String PREFIX = "crm_live_";
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private ApiKeys() {}

    public static String generate() {
        StringBuilder sb = new StringBuilder(PREFIX);
        var random = Ids.secureRandom();
        for (int i = 0; i < 43; i++) {
            sb.append(BASE62[random.nextInt(62)]);
        }
        return sb.toString();
    }

    public static String hash(String key) {
        return Hashes.sha256Hex(key);
    }

    /** Cheap shape check before any lookup, so junk never reaches DynamoDB. */
    public static boolean looksValid(String key) {
        if (key == null || key.length() < 20 || key.length() > 128 || !key.startsWith("crm_")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** What a key list shows so people can tell keys apart: the prefix and four characters. */
    public static String displayPrefix(String key) {
        return key.substring(0, PREFIX.length() + 4) + "…";
    }

    /** The bearer token from an Authorization header, or null when the header is not one. */
    public static String fromAuthorizationHeader(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }
}
