package dev.crm.devkit;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Contacts with purchase summaries written straight into the table, in the shape the contacts
 * function writes them (its IT and the end-to-end tests prove that shape), so the churn tests can
 * set up thousands of customers quickly.
 */
public final class TestHistories {
    private TestHistories() {}

    public record Customer(String contactId, PurchaseSummary summary, long complaints, Integer latestNps) {}

    public static String newContactId() {
        return Ids.random(Contact.ID_PREFIX, 20);
    }

    /**
     * A new customer whose purchases end on calendar days up to {@code asOf}, from a summary in weeks
     * (a BG/NBD simulation's x, t_x, T and mean repeat spend): T and t_x rounded to days, repeat
     * purchase days at least x days after the first, repeat spend rounded to cents.
     */
    public static Customer fromWeeks(LocalDate asOf, String currency, int x, double txWeeks, double tWeeks,
            double meanRepeatSpend, BigDecimal firstSpend, long complaints, Integer latestNps) {
        int tDays = (int) Math.round(tWeeks * 7);
        int lastDays = Math.min(tDays, Math.max((int) Math.round(txWeeks * 7), x));
        LocalDate first = asOf.minusDays(tDays);
        BigDecimal repeat = BigDecimal.valueOf(meanRepeatSpend * x).setScale(2, RoundingMode.HALF_UP);
        PurchaseSummary p = new PurchaseSummary(currency, first, firstSpend, first.plusDays(lastDays), x, repeat,
                firstSpend.add(repeat), x + 1L, 1);
        return new Customer(newContactId(), p, complaints, latestNps);
    }

    public static void write(Table table, TenantId t, List<Customer> customers, Instant now) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Customer c : customers) {
            Contact contact = new Contact(c.contactId(), new ContactData("Customer", c.contactId().substring(2, 8),
                    null, null, null, null, null, LifecycleStage.CUSTOMER, List.of(), Map.of(), null),
                    now, now, 1, Contact.Status.ACTIVE);
            writes.add(put(ContactItems.contact(t, contact)));
            Map<String, AttributeValue> s = new HashMap<>(Table.key(Keys.contact(t, c.contactId()), Keys.PURCHASE_SUMMARY));
            PurchaseSummary p = c.summary();
            s.put(Table.ENTITY, Attr.s("PURCHASE_SUMMARY"));
            s.put("tenantId", Attr.s(t.value()));
            s.put("contactId", Attr.s(c.contactId()));
            s.put("currency", Attr.s(p.currency()));
            s.put("firstPurchaseDay", Attr.s(p.firstPurchaseDay().toString()));
            s.put("firstDaySpend", Attr.n(p.firstDaySpend()));
            s.put("lastPurchaseDay", Attr.s(p.lastPurchaseDay().toString()));
            s.put("repeatPurchaseDays", Attr.n(p.repeatPurchaseDays()));
            s.put("repeatSpend", Attr.n(p.repeatSpend()));
            s.put("totalSpend", Attr.n(p.totalSpend()));
            s.put("purchases", Attr.n(p.purchases()));
            s.put("purchaseVersion", Attr.n(Math.max(1, p.version())));
            s.put("complaints", Attr.n(c.complaints()));
            if (c.latestNps() != null) {
                s.put("latestNps", Attr.n(c.latestNps()));
            }
            s.put(Table.GSI1PK, Attr.s(Keys.summariesIndex(t, Keys.contactShard(c.contactId()))));
            s.put(Table.GSI1SK, Attr.s(c.contactId()));
            writes.add(put(s));
        }
        for (int i = 0; i < writes.size(); i += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), writes.subList(i, Math.min(writes.size(), i + 25)));
            while (!pending.isEmpty()) {
                var r = table.client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            }
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }
}
