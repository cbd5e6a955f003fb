package dev.crm.shared.consent.store.dynamodb;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.store.dynamodb.Keys;
import java.time.Instant;

/** The sort keys of recorded sends in a contact's partition (docs/data-model.md, "Preferences"). */
public final class ConsentKeys {
    /** Sort keys of recorded sends in the contact's partition: per channel, in time order. */
    public static final String SEND_PREFIX = "S#";

    private ConsentKeys() {}

    /** A recorded send; a cap's window is one key-range query per channel. */
    public static String send(Channel channel, Instant at, String sendId) {
        return sendsOf(channel) + Keys.sortableInstant(at) + "#" + sendId;
    }

    public static String sendsOf(Channel channel) {
        return SEND_PREFIX + channel.wire() + "#";
    }

    /** After every instant's sort key: {@code ~} sorts after the digits an instant starts with. */
    public static String afterAllSends(Channel channel) {
        return sendsOf(channel) + "~";
    }

    /** Guards a client-supplied send id, so a replayed report records nothing new. */
    public static String sendGuard(String sendId) {
        return "SG#" + sendId;
    }
}
