package dev.crm.shared.contact;

import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Hand-written mapping of a case's items in its contact's partition (docs/data-model.md, "Cases" and
 * "Contacts"): the link ({@link CaseLink}) and the case's timeline entries. The cases adapter adds
 * these writes to the transaction that writes the case, so the contact's partition never disagrees
 * with the case.
 */
public final class CaseLinkItems {
    public static final String ENTITY = "CASE_LINK";
    /** Timeline kinds: the case was created; the case was solved (one entry per time it was solved). */
    public static final String CREATED_KIND = "case_created";
    public static final String SOLVED_KIND = "case_solved";

    private CaseLinkItems() {}

    /** What a new case writes into its contact's partition: the link and the {@code case_created} entry. */
    public static List<TransactWriteItem> created(String tableName, TenantId t, CaseLink link) {
        List<TransactWriteItem> writes = changed(tableName, t, link);
        writes.add(put(tableName, timelineEntry(t, link, CREATED_KIND, link.createdAt())));
        return writes;
    }

    /**
     * What any write of the case writes into its contact's partition: the link under the key of its
     * status (the other key deleted, so a status change moves it without knowing the status before),
     * and the {@code case_solved} entry while the case is solved (rewriting the same entry: same key,
     * same content).
     */
    public static List<TransactWriteItem> changed(String tableName, TenantId t, CaseLink link) {
        String pk = Keys.contact(t, link.contactId());
        String here = link.unresolved() ? Keys.openCaseLink(link.caseId()) : Keys.resolvedCaseLink(link.caseId());
        String other = link.unresolved() ? Keys.resolvedCaseLink(link.caseId()) : Keys.openCaseLink(link.caseId());
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(tableName, linkItem(t, link, pk, here)));
        writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(tableName).key(Table.key(pk, other))
                .build()).build());
        if (link.solved()) {
            writes.add(put(tableName, timelineEntry(t, link, SOLVED_KIND, link.solvedAt())));
        }
        return writes;
    }

    private static TransactWriteItem put(String tableName, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item).build()).build();
    }

    static Map<String, AttributeValue> linkItem(TenantId t, CaseLink l, String pk, String sk) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, sk));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(l.contactId()));
        item.put("caseId", Attr.s(l.caseId()));
        item.put("number", Attr.n(l.number()));
        item.put("subject", Attr.s(l.subject()));
        item.put("status", Attr.s(l.status()));
        item.put("createdAt", Attr.instant(l.createdAt()));
        if (l.solvedAt() != null) {
            item.put("solvedAt", Attr.instant(l.solvedAt()));
        }
        if (l.lastBreachedAt() != null) {
            // fixed width, so a reader's "breached since" is a string comparison
            item.put("lastBreachedAt", Attr.s(Keys.sortableInstant(l.lastBreachedAt())));
        }
        // state other functions own carries its API representation (the privacy export shows it)
        item.put("view", Attr.of(l.toJson()));
        return item;
    }

    private static Map<String, AttributeValue> timelineEntry(TenantId t, CaseLink l, String kind, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, l.contactId()),
                Keys.timeline(at, kind, l.caseId())));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("kind", Attr.s(kind));
        item.put("entryId", Attr.s(l.caseId()));
        item.put("occurredAt", Attr.instant(at));
        item.put("recordedAt", Attr.instant(at));
        item.put("contactId", Attr.s(l.contactId()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("number", l.displayNumber());
        data.put("subject", l.subject());
        item.put("data", Attr.of(data));
        return item;
    }

    public static boolean isLink(Map<String, AttributeValue> item) {
        return ENTITY.equals(Attr.str(item, Table.ENTITY));
    }

    public static CaseLink link(Map<String, AttributeValue> item) {
        return new CaseLink(Attr.str(item, "caseId"), Attr.str(item, "contactId"), Attr.num(item, "number", 0),
                Attr.str(item, "subject"), Attr.str(item, "status"), Attr.instant(item, "createdAt"),
                Attr.instant(item, "solvedAt"), Attr.instant(item, "lastBreachedAt"));
    }
}
