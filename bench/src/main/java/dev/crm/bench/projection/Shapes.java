package dev.crm.bench.projection;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items the pass writes, in the product's item format. Contacts come from shared's
 * {@code ContactItems.contact} (the mapping the contacts function writes with). Cases, churn alerts
 * and purchase summaries are written by function modules the harness has no runtime access to, so
 * their shapes are copied here attribute for attribute from {@code DynamoDbCaseRepository.item},
 * {@code ChurnItems.Alert} and {@code DynamoDbContactRepository.summaryUpdate}; values are
 * made up but sized like the product's (a description, SLA targets, a contact snapshot).
 * Every writer adds {@code tenantShard} (shared {@code TenantItems} wraps the client), as the product's.
 */
final class Shapes {
    private Shapes() {}

    static String contactId(int i) {
        return String.format(Locale.ROOT, "c_bench%017d", i);
    }

    /** A contact just under 1 KB as DynamoDB bills it (eight custom attributes, three tags, tenantShard). */
    static Contact contact(int i, Instant updatedAt, long version) {
        return contact(i, updatedAt, version, 0);
    }

    /** With {@code extraNotes} more characters of notes: a larger contact. */
    static Contact contact(int i, Instant updatedAt, long version, int extraNotes) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("plan", "premium-annual");
        attributes.put("source", "spring-campaign-2026");
        attributes.put("accountManager", "Jordan Example");
        attributes.put("region", "EMEA-North");
        attributes.put("segment", "mid-market");
        attributes.put("preferredChannel", "email");
        attributes.put("loyaltyTier", "gold");
        attributes.put("notes", "Prefers morning calls; renewal discussed in the last review." + "x".repeat(extraNotes));
        ContactData d = new ContactData("Firstname" + i, "Lastname" + i, "person" + i + "@example.com", "+15550100" + (i % 100),
                "Example Trading Company Ltd", "en-GB", "Europe/London", LifecycleStage.CUSTOMER,
                List.of("newsletter", "vip", "renewal-2027"), attributes, "ext-" + i);
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new Contact(contactId(i), d, created, updatedAt, version, Contact.Status.ACTIVE);
    }

    static Map<String, AttributeValue> contactItem(TenantId t, int i,
            Instant updatedAt, long version) {
        return ContactItems.contact(t, contact(i, updatedAt, version));
    }

    static Map<String, AttributeValue> contactItem(TenantId t, int i, Instant updatedAt, long version, int extraNotes) {
        return ContactItems.contact(t, contact(i, updatedAt, version, extraNotes));
    }

    // ---- cases (DynamoDbCaseRepository.item)

    static String caseId(int i) {
        return String.format(Locale.ROOT, "cs_bench%016d", i);
    }

    static String casePk(TenantId t, int i) {
        return t.value() + "#CASE#" + caseId(i);
    }

    /** A third of the cases unassigned, the rest spread over seven agents. */
    static String seededAssignee(int i) {
        return i % 3 == 0 ? null : "agent_" + (i % 7);
    }

    static String byNumber(long number) {
        return String.format(Locale.ROOT, "%010d", number);
    }

    static Map<String, AttributeValue> caseItem(TenantId t, int i,
            String status, String assignee, Instant updatedAt, long version) {
        var item = new HashMap<>(Table.key(casePk(t, i), "CASE"));
        long number = 100000 + i;
        item.put(Table.ENTITY, Attr.s("CASE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("caseId", Attr.s(caseId(i)));
        item.put("number", Attr.n(number));
        item.put("contactId", Attr.s(contactId(i)));
        item.put("channel", Attr.s("email"));
        item.put("category", Attr.s("billing"));
        item.put("priority", Attr.s("normal"));
        item.put("status", Attr.s(status));
        item.put("subject", Attr.s("Invoice 2026-" + i + " charged twice for the annual plan"));
        item.put("description", Attr.s("The customer reports that the renewal invoice was charged twice to the card on "
                + "file and asks for a refund of the second charge; the order reference and the bank statement "
                + "are attached to the first message. Needs a reply within the business day."));
        if (assignee != null) {
            item.put("assignee", Attr.s(assignee));
        }
        item.put("orderRef", Attr.s("ORD-2026-" + (500000 + i)));
        item.put(Table.GSI1PK, Attr.s(t.value() + "#CASES"));
        item.put(Table.GSI1SK, Attr.s(byNumber(number)));
        item.put(Table.GSI2PK, Attr.s(t.value() + "#CASES#" + status));
        item.put(Table.GSI2SK, Attr.s(byNumber(number)));
        item.put("createdAt", Attr.instant(Instant.parse("2026-12-01T09:00:00Z")));
        item.put("updatedAt", Attr.instant(updatedAt));
        item.put("version", Attr.n(version));
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("firstResponse", "PT4H");
        targets.put("resolution", "PT48H");
        targets.put("clock", "business_hours");
        targets.put("pauseWhilePending", true);
        item.put("slaTargets", Attr.of(targets));
        item.put("slaPauses", Attr.of(new ArrayList<>()));
        Instant due = Instant.parse("2026-12-09T09:00:00Z");
        item.put("dueShard", Attr.s(t.value() + "#CASES#DUE"));
        item.put("dueAt", Attr.n(due.toEpochMilli()));
        item.put(Table.OPEN_JOBS_PK, Attr.s("OPS#CASESLA#" + Math.floorMod(casePk(t, i).hashCode(), 8)));
        item.put(Table.OPEN_JOBS_SK, Attr.n(due.toEpochMilli()));
        return item;
    }

    // ---- churn alerts (ChurnItems.Alert, ChurnKeys)

    static String alertsIndex(TenantId t, String status) {
        return t.value() + "#ALERTS#" + status;
    }

    static Map<String, AttributeValue> alertItem(TenantId t, int i) {
        var item = new HashMap<>(Table.key(Keys.contact(t, contactId(i)), "AL#202612"));
        String alertId = String.format(Locale.ROOT, "al_bench%016d", i);
        BigDecimal valueAtRisk = new BigDecimal(1000 + i * 7).movePointLeft(0).add(new BigDecimal("0.50"));
        item.put(Table.ENTITY, Attr.s("CHURN_ALERT"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("alertId", Attr.s(alertId));
        item.put("contactId", Attr.s(contactId(i)));
        item.put("period", Attr.s("202612"));
        item.put("status", Attr.s("open"));
        item.put("pAlive", Attr.of(0.2731));
        item.put("riskTier", Attr.s("high"));
        item.put("clv", Attr.n(new BigDecimal("2412.75")));
        item.put("valueAtRisk", Attr.n(valueAtRisk));
        item.put("currency", Attr.s("EUR"));
        item.put("openCases", Attr.n(1));
        item.put("reasons", Attr.of(List.of("no purchase in 142 days (usually every 35)", "spend down 60 % on last year",
                "an open complaint")));
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("kind", "call");
        action.put("text", "Call within a week: offer the loyalty renewal and check the open case");
        item.put("suggestedAction", Attr.of(action));
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("firstName", "Firstname" + i);
        contact.put("lastName", "Lastname" + i);
        contact.put("email", "person" + i + "@example.com");
        contact.put("company", "Example Trading Company Ltd");
        item.put("contact", Attr.of(contact));
        item.put("runId", Attr.s("run_bench000000000001"));
        item.put("createdAt", Attr.instant(Instant.parse("2026-12-01T03:00:00Z")));
        item.put(Table.GSI1PK, Attr.s(alertsIndex(t, "open")));
        long cents = valueAtRisk.movePointRight(2).longValue();
        item.put(Table.GSI1SK, Attr.s(String.format(Locale.ROOT, "%012d", 999_999_999_999L - cents) + "#" + alertId));
        return item;
    }

    // ---- purchase timeline entries (DynamoDbContactRepository.timelineItem with purchase = true)

    static Map<String, AttributeValue> purchaseEntry(TenantId t, int contact, int n) {
        String contactId = contactId(contact);
        String id = String.format(Locale.ROOT, "int_bench%08d%03d", contact, n);
        Instant occurredAt = Instant.parse("2026-01-05T10:15:00Z").plusSeconds(86_400L * (30L * n + contact % 30));
        var item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.timeline(occurredAt, "interaction", id)));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("amount", "59.90");
        value.put("currency", "EUR");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("type", "purchase");
        data.put("channel", "web");
        data.put("occurredAt", Keys.sortableInstant(occurredAt));
        data.put("value", value);
        data.put("summary", "Order ORD-2026-" + (500000 + contact) + ": annual plan renewal, 1 item");
        data.put("source", "shop");
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("kind", Attr.s("interaction"));
        item.put("interactionType", Attr.s("purchase"));
        item.put("entryId", Attr.s(id));
        item.put("occurredAt", Attr.instant(occurredAt));
        item.put("recordedAt", Attr.instant(occurredAt.plusSeconds(2)));
        item.put("data", Attr.of(data));
        item.put("contactId", Attr.s(contactId));
        item.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(contactId))));
        item.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(occurredAt) + "#" + contactId + "#" + id));
        return item;
    }

    // ---- purchase summaries (DynamoDbContactRepository.summaryUpdate and summaryIdentity)

    /** The SET of a purchase's summary update, values for the n-th purchase. */
    static String summaryUpdate() {
        return "SET currency = :cur, firstPurchaseDay = :first, firstDaySpend = :firstSpend, "
                + "lastPurchaseDay = :last, repeatPurchaseDays = :repeatDays, repeatSpend = :repeatSpend, "
                + "totalSpend = :total, purchases = :purchases, purchaseVersion = :version, "
                + "entity = :entity, tenantId = :tid, contactId = :cid, GSI1PK = :gpk, GSI1SK = :gsk";
    }

    static Map<String, AttributeValue> summaryValues(TenantId t, int i,
            int purchases) {
        var v = new HashMap<String, AttributeValue>();
        LocalDate first = LocalDate.parse("2025-03-14");
        v.put(":cur", Attr.s("EUR"));
        v.put(":first", Attr.s(first.toString()));
        v.put(":firstSpend", Attr.n(new BigDecimal("59.90")));
        v.put(":last", Attr.s(first.plusDays(30L * purchases).toString()));
        v.put(":repeatDays", Attr.n(purchases - 1));
        v.put(":repeatSpend", Attr.n(new BigDecimal("59.90").multiply(BigDecimal.valueOf(purchases - 1))));
        v.put(":total", Attr.n(new BigDecimal("59.90").multiply(BigDecimal.valueOf(purchases))));
        v.put(":purchases", Attr.n(purchases));
        v.put(":version", Attr.n(purchases));
        v.put(":entity", Attr.s("PURCHASE_SUMMARY"));
        v.put(":tid", Attr.s(t.value()));
        v.put(":cid", Attr.s(contactId(i)));
        v.put(":gpk", Attr.s(Keys.summariesIndex(t, ContactItems.summaryShard(contactId(i)))));
        v.put(":gsk", Attr.s(contactId(i)));
        return v;
    }

    /** The summary item as the update above leaves it (for seeding with batch puts). */
    static Map<String, AttributeValue> summaryItem(TenantId t, int i,
            int purchases) {
        var v = summaryValues(t, i, purchases);
        var item = new HashMap<>(Table.key(Keys.contact(t, contactId(i)), Keys.PURCHASE_SUMMARY));
        String[] names = {"currency:cur", "firstPurchaseDay:first", "firstDaySpend:firstSpend", "lastPurchaseDay:last",
            "repeatPurchaseDays:repeatDays", "repeatSpend:repeatSpend", "totalSpend:total", "purchases:purchases",
            "purchaseVersion:version", "entity:entity", "tenantId:tid", "contactId:cid", "GSI1PK:gpk", "GSI1SK:gsk"};
        for (String n : names) {
            String[] p = n.split(":");
            item.put(p[0], v.get(":" + p[1]));
        }
        return item;
    }
}
