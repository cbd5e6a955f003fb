package dev.crm.shared.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Event ids: {@code evt_}, the event's instant (10 base-32 characters of epoch milliseconds, so ids
 * sort by time) and 16 characters of SHA-256 over what identifies the change (the stream record's id
 * and the type). The same change gives the same id however often its record is delivered.
 */
public final class EventIds {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    public static final String PREFIX = "evt_";
    public static final int LENGTH = PREFIX.length() + 26;

    private EventIds() {}

    public static String derive(Instant at, String... identity) {
        StringBuilder b = new StringBuilder(LENGTH).append(PREFIX).append(timePart(at));
        byte[] digest = sha256(String.join("\u001f", identity));
        for (int i = 0; i < 16; i++) {
            b.append(ALPHABET[digest[i] & 31]);
        }
        return b.toString();
    }

    /** The smallest id of an event at or after {@code at}: where a time-ordered range starts. */
    public static String lowerBound(Instant at) {
        return PREFIX + timePart(at);
    }

    public static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH || !id.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (java.util.Arrays.binarySearch(ALPHABET, c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String timePart(Instant at) {
        long ms = Math.max(0, at.toEpochMilli());
        char[] out = new char[10];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (ms & 31)];
            ms >>>= 5;
        }
        return new String(out);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
