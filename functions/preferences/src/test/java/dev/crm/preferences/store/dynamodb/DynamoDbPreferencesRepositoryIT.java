package dev.crm.preferences.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentChanges;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.PreferencesRepositoryContract;
import dev.crm.shared.consent.Send;
import dev.crm.preferences.domain.TokenUse;
import dev.crm.preferences.domain.Topic;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB adapter held to the port's contract, against DynamoDB Local. */
class DynamoDbPreferencesRepositoryIT extends PreferencesRepositoryContract {
    private final Infrastructure infra = TestInfrastructure.create(MutableClock.at("2026-11-24T10:00:00Z"));
    private final Table table = infra.table();
    private final DynamoDbPreferencesRepository repository = new DynamoDbPreferencesRepository(table, TestInfrastructure.tenantSecrets(infra));

    @Override
    protected PreferencesRepository repository() {
        return repository;
    }

    @Override
    protected String givenContact(TenantId t, String email) {
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Test", null, email, null, null, null,
                null, LifecycleStage.SUBSCRIBER, List.of(), Map.of(), null), NOW, NOW, 1, Contact.Status.ACTIVE);
        table.client().putItem(b -> b.tableName(table.name()).item(ContactItems.contact(t, c)));
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(EmailAddress.guardKey(t, TestInfrastructure.tenantSecrets(infra).apply(t), email), Keys.ITEM));
        guard.put("contactId", Attr.s(c.id()));
        guard.put("tenantId", Attr.s(t.value()));
        table.client().putItem(b -> b.tableName(table.name()).item(guard));
        return c.id();
    }

    @Override
    protected void givenErasing(TenantId t, String contactId) {
        var item = new HashMap<>(table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("erasing"));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected void givenSuppressed(TenantId t, String addressPseudonym) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.suppression(t, addressPseudonym), Keys.ITEM));
        item.put("channels", Attr.s("all"));
        item.put("reason", Attr.s("erasure"));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    /** The stored item, as attribute name to "type:value" (what docs/data-model.md promises readers). */
    private Map<String, String> stored(String pk, String sk) {
        Map<String, String> out = new TreeMap<>();
        table.get(pk, sk).forEach((name, v) -> out.put(name, v.type() + ":" + canonical(Attr.toPlain(v))));
        return out;
    }

    /** Maps with their keys sorted, at any depth: DynamoDB keeps no order of a map's entries. */
    private static String canonical(Object plain) {
        if (plain instanceof Map<?, ?> m) {
            Map<String, String> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted.toString();
        }
        return String.valueOf(plain);
    }

    @Test
    void itemsKeepTheAttributesAndTypesOtherReadersRelyOn() {
        String c = givenContact(tenant, "items@example.com");
        String pk = Keys.contact(tenant, c);
        Preferences next = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN);
        LedgerEntry e = ConsentEvidence.contact(ConsentEvidence.SOURCE_DOUBLE_OPT_IN, "v2", "203.0.113.7", "ua")
                .entry("l_abcdefghijklmnop0000", c, NOW, ConsentChanges.between(Preferences.empty(), next).get(0));
        repository.write(tenant, c, 0, next, List.of(e), new TokenUse("nonce1", NOW.plus(Duration.ofDays(7))), NOW);

        Map<String, String> prefs = stored(pk, Keys.PREFERENCES);
        assertEquals("S:PREFERENCES", prefs.get("entity"));
        assertEquals("S:" + tenant.value(), prefs.get("tenantId"));
        assertEquals("S:" + c, prefs.get("contactId"));
        assertEquals("N:1", prefs.get("version"));
        assertEquals("S:2026-11-24T10:00:00.123Z", prefs.get("updatedAt"));
        assertEquals("M:" + canonical(next.withVersion(1).toJson()), prefs.get("view"));
        assertEquals(Set.of("PK", "SK", "entity", "tenantId", "contactId", "version", "updatedAt", "view"), prefs.keySet());

        Map<String, String> ledger = stored(pk, Keys.ledgerEntry(NOW, e.entryId()));
        Map<String, String> expectedLedger = new TreeMap<>(Map.ofEntries(Map.entry("PK", "S:" + pk),
                Map.entry("SK", "S:" + Keys.ledgerEntry(NOW, e.entryId())), Map.entry("entity", "S:CONSENT_LEDGER"),
                Map.entry("tenantId", "S:" + tenant.value()), Map.entry("contactId", "S:" + c),
                Map.entry("entryId", "S:" + e.entryId()), Map.entry("at", "S:2026-11-24T10:00:00.123Z"),
                Map.entry("actor", "S:contact"), Map.entry("channel", "S:email"), Map.entry("newStatus", "S:opted_in"),
                Map.entry("legalBasis", "S:consent"), Map.entry("source", "S:double_opt_in"),
                Map.entry("wordingVersion", "S:v2"), Map.entry("ip", "S:203.0.113.7"), Map.entry("userAgent", "S:ua"),
                Map.entry("stateVersion", "N:1"), Map.entry("position", "N:0")));
        assertEquals(expectedLedger, ledger);

        Map<String, String> timeline = stored(pk, Keys.timeline(NOW, "consent_change", e.entryId()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", "email");
        data.put("topic", null);
        data.put("oldStatus", null);
        data.put("newStatus", "opted_in");
        data.put("source", "double_opt_in");
        data.put("legalBasis", "consent");
        assertEquals(new TreeMap<>(Map.of("PK", "S:" + pk, "SK", "S:" + Keys.timeline(NOW, "consent_change", e.entryId()),
                "entity", "S:TIMELINE", "tenantId", "S:" + tenant.value(), "kind", "S:consent_change",
                "entryId", "S:" + e.entryId(), "occurredAt", "S:2026-11-24T10:00:00.123Z",
                "recordedAt", "S:2026-11-24T10:00:00.123Z", "data", "M:" + canonical(data))), timeline);

        Map<String, String> token = stored(pk, "TU#nonce1");
        assertEquals(new TreeMap<>(Map.of("PK", "S:" + pk, "SK", "S:TU#nonce1", "entity", "S:TOKEN_USE",
                "tenantId", "S:" + tenant.value(), "usedAt", "S:2026-11-24T10:00:00.123Z",
                "expiresAt", "N:" + NOW.plus(Duration.ofDays(7)).getEpochSecond())), token);

        Send send = new Send("s-1", Channel.EMAIL, "news", NOW);
        repository.recordSend(tenant, c, send, NOW);
        String sendSk = "S#email#2026-11-24T10:00:00.123Z#s-1";
        long expires = NOW.plus(Duration.ofDays(367)).getEpochSecond();
        assertEquals(new TreeMap<>(Map.of("PK", "S:" + pk, "SK", "S:" + sendSk, "entity", "S:SEND",
                "tenantId", "S:" + tenant.value(), "sendId", "S:s-1", "channel", "S:email", "topic", "S:news",
                "sentAt", "S:2026-11-24T10:00:00.123Z", "expiresAt", "N:" + expires)), stored(pk, sendSk));
        assertEquals(new TreeMap<>(Map.ofEntries(Map.entry("PK", "S:" + pk), Map.entry("SK", "S:SG#s-1"),
                Map.entry("entity", "S:SEND_GUARD"), Map.entry("tenantId", "S:" + tenant.value()),
                Map.entry("fingerprint", "S:" + send.fingerprint()), Map.entry("sendSk", "S:" + sendSk),
                Map.entry("sendId", "S:s-1"), Map.entry("channel", "S:email"), Map.entry("topic", "S:news"),
                Map.entry("sentAt", "S:2026-11-24T10:00:00.123Z"), Map.entry("expiresAt", "N:" + expires))),
                stored(pk, "SG#s-1"));

        repository.createTopic(tenant, new Topic("news", "News", null, NOW));
        String topics = tenant.value() + "#TOPICS";
        assertEquals(new TreeMap<>(Map.of("PK", "S:" + topics, "SK", "S:news", "entity", "S:TOPIC",
                "tenantId", "S:" + tenant.value(), "topicKey", "S:news", "name", "S:News",
                "createdAt", "S:2026-11-24T10:00:00.123Z")), stored(topics, "news"));
        assertEquals("N:1", stored(topics, Keys.ITEM).get("topicCount"));
    }
}
