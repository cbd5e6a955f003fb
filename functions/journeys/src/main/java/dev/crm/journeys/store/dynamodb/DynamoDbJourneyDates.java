package dev.crm.journeys.store.dynamodb;

import dev.crm.journeys.domain.Enrolment;
import dev.crm.journeys.domain.Entry;
import dev.crm.journeys.domain.JourneyDates;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link JourneyDates} on the single table (docs/data-model.md, "Journeys"): the occurrence item
 * {@code {t}#C#{contactId}} / {@code JD#{journeyId}} and the scan item {@code {t}#JOURNEY#{journeyId}} /
 * {@code DATES}, both in the OpenJobs index under {@code OPS#JOURNEYDATE#{0..7}} while due work remains.
 */
public final class DynamoDbJourneyDates implements JourneyDates {
    static final String DATE = "JOURNEY_DATE";
    static final String SCAN = "JOURNEY_DATE_SCAN";

    private final Table table;
    private final DynamoDbJourneyRepository journeys;

    public DynamoDbJourneyDates(Table table, DynamoDbJourneyRepository journeys) {
        this.table = table;
        this.journeys = journeys;
    }

    static Map<String, AttributeValue> scanItem(TenantId t, String journeyId, String trigger, Instant now) {
        Map<String, AttributeValue> m = new HashMap<>(Table.key(JourneyKeys.journey(t, journeyId), JourneyKeys.DATE_SCAN));
        m.put(Table.ENTITY, Attr.s(SCAN));
        m.put("tenantId", Attr.s(t.value()));
        m.put("journeyId", Attr.s(journeyId));
        m.put("trigger", Attr.s(trigger));
        m.put("revision", Attr.n(0));
        m.put(Table.OPEN_JOBS_PK, Attr.s(JourneyKeys.dateShard(journeyId)));
        m.put(Table.OPEN_JOBS_SK, Attr.n(now.toEpochMilli()));
        return m;
    }

    @Override
    public List<DueWork> due(Instant now, int limit) {
        List<DueWork> out = new ArrayList<>();
        int perShard = Math.max(1, limit / JourneyKeys.DATE_SHARDS);
        for (int shard = 0; shard < JourneyKeys.DATE_SHARDS && out.size() < limit; shard++) {
            QueryResponse r = table.client().query(QueryRequest.builder().tableName(table.name())
                    .indexName(Table.OPEN_JOBS).keyConditionExpression("#s = :s AND #d <= :now")
                    .expressionAttributeNames(Map.of("#s", Table.OPEN_JOBS_PK, "#d", Table.OPEN_JOBS_SK))
                    .expressionAttributeValues(Map.of(":s", Attr.s(JourneyKeys.dateShard(shard)),
                            ":now", Attr.n(now.toEpochMilli())))
                    .limit(perShard).build());
            for (var item : r.items()) {
                String pk = Attr.str(item, Table.PK);
                String sk = Attr.str(item, Table.SK);
                String[] c = JourneyKeys.parseContact(pk);
                if (c != null && sk.startsWith(JourneyKeys.DATE_PREFIX)) {
                    out.add(new DueWork(new TenantId(c[0]), sk.substring(JourneyKeys.DATE_PREFIX.length()), c[1]));
                    continue;
                }
                String[] j = JourneyKeys.parseJourney(pk);
                if (j != null && JourneyKeys.DATE_SCAN.equals(sk)) {
                    out.add(new DueWork(new TenantId(j[0]), j[1], null));
                }
            }
        }
        return out;
    }

    private static DateItem dateItem(Map<String, AttributeValue> item) {
        return new DateItem(Attr.str(item, "contactId"), Attr.str(item, "journeyId"), Attr.str(item, "trigger"),
                Attr.instant(item, "occursAt"), Attr.num(item, "revision", 0));
    }

    @Override
    public Optional<DateItem> find(TenantId t, String contactId, String journeyId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), JourneyKeys.date(journeyId));
        return item == null ? Optional.empty() : Optional.of(dateItem(item));
    }

    /** The item's next occurrence (and its index keys), as an update conditioned on {@code condition}. */
    private Update.Builder dateUpdate(TenantId t, String contactId, String journeyId, String trigger, Instant dueAt,
            String condition, Map<String, AttributeValue> conditionValues) {
        Map<String, AttributeValue> values = new HashMap<>(conditionValues);
        values.put(":e", Attr.s(DATE));
        values.put(":tid", Attr.s(t.value()));
        values.put(":jid", Attr.s(journeyId));
        values.put(":cid", Attr.s(contactId));
        values.put(":trig", Attr.s(trigger));
        values.put(":at", Attr.instant(dueAt));
        values.put(":shard", Attr.s(JourneyKeys.dateShard(contactId + "#" + journeyId)));
        values.put(":due", Attr.n(dueAt.toEpochMilli()));
        values.put(":zero", Attr.n(0));
        values.put(":one", Attr.n(1));
        return Update.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, contactId), JourneyKeys.date(journeyId)))
                .updateExpression("SET #e = :e, tenantId = :tid, journeyId = :jid, contactId = :cid, #trig = :trig,"
                        + " occursAt = :at, #shard = :shard, #due = :due, revision = if_not_exists(revision, :zero) + :one")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#e", Table.ENTITY, "#trig", "trigger", "#shard", Table.OPEN_JOBS_PK,
                        "#due", Table.OPEN_JOBS_SK))
                .expressionAttributeValues(values);
    }

    private static String revisionIs(DateItem current) {
        return current == null ? "attribute_not_exists(PK)" : "revision = :rev";
    }

    private static Map<String, AttributeValue> revisionValue(DateItem current) {
        return current == null ? Map.of() : Map.of(":rev", Attr.n(current.revision()));
    }

    @Override
    public boolean schedule(TenantId t, String contactId, String journeyId, String trigger, Instant dueAt, DateItem current) {
        try {
            updateItem(dateUpdate(t, contactId, journeyId, trigger, dueAt, revisionIs(current), revisionValue(current)).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void scheduleUnlessCurrent(TenantId t, String contactId, String journeyId, String trigger, Instant dueAt) {
        try {
            updateItem(dateUpdate(t, contactId, journeyId, trigger, dueAt, "attribute_not_exists(PK) OR #trig <> :trig",
                    Map.of()).build());
        } catch (ConditionalCheckFailedException e) {
            // scheduled for this trigger already (by an earlier page, a replayed page or the contact's change)
        }
    }

    private void updateItem(Update x) {
        table.client().updateItem(u -> u.tableName(x.tableName()).key(x.key()).updateExpression(x.updateExpression())
                .conditionExpression(x.conditionExpression()).expressionAttributeNames(x.expressionAttributeNames())
                .expressionAttributeValues(x.expressionAttributeValues()));
    }

    @Override
    public boolean remove(TenantId t, DateItem current) {
        try {
            table.client().deleteItem(d -> d.tableName(table.name())
                    .key(Table.key(Keys.contact(t, current.contactId()), JourneyKeys.date(current.journeyId())))
                    .conditionExpression("revision = :rev").expressionAttributeValues(revisionValue(current)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public JourneyRepository.EnrolOutcome enrol(TenantId t, Enrolment enrolment, Entry entry, Instant now,
            DateItem current, Instant nextDue) {
        List<TransactWriteItem> tx = new ArrayList<>(journeys.enrolWrites(t, enrolment, entry, now));
        if (nextDue == null) {
            tx.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                    .key(Table.key(Keys.contact(t, current.contactId()), JourneyKeys.date(current.journeyId())))
                    .conditionExpression("revision = :rev").expressionAttributeValues(revisionValue(current))).build());
        } else {
            tx.add(TransactWriteItem.builder().update(dateUpdate(t, current.contactId(), current.journeyId(),
                    current.trigger(), nextDue, revisionIs(current), revisionValue(current)).build()).build());
        }
        return journeys.transactEnrol(tx);
    }

    @Override
    public Optional<Scan> scan(TenantId t, String journeyId) {
        Map<String, AttributeValue> item = table.get(JourneyKeys.journey(t, journeyId), JourneyKeys.DATE_SCAN);
        return item == null ? Optional.empty() : Optional.of(new Scan(journeyId, Attr.str(item, "trigger"),
                Attr.str(item, "cursor"), Attr.num(item, "revision", 0)));
    }

    @Override
    public ContactPage contacts(TenantId t, String from, int limit) {
        var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1).limit(limit).scanIndexForward(true)
                .keyConditionExpression("GSI1PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contactsIndex(t))));
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(new Cursor(from)));
        }
        QueryResponse page = table.client().query(b.build());
        List<Contact> contacts = new ArrayList<>();
        for (var item : page.items()) {
            contacts.add(ContactItems.contact(item));
        }
        Cursor next = Cursors.of(page.lastEvaluatedKey());
        return new ContactPage(contacts, next == null ? null : next.value());
    }

    @Override
    public boolean advanceScan(TenantId t, Scan current, String next) {
        Map<String, AttributeValue> key = Table.key(JourneyKeys.journey(t, current.journeyId()), JourneyKeys.DATE_SCAN);
        try {
            if (next == null) {
                table.client().deleteItem(d -> d.tableName(table.name()).key(key).conditionExpression("revision = :rev")
                        .expressionAttributeValues(Map.of(":rev", Attr.n(current.revision()))));
            } else {
                table.client().updateItem(u -> u.tableName(table.name()).key(key)
                        .updateExpression("SET #cursor = :c, revision = :next").conditionExpression("revision = :rev")
                        .expressionAttributeNames(Map.of("#cursor", "cursor"))
                        .expressionAttributeValues(Map.of(":c", Attr.s(next), ":next", Attr.n(current.revision() + 1),
                                ":rev", Attr.n(current.revision()))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
