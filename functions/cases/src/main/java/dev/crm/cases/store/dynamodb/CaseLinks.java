package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.contact.CaseLink;
import dev.crm.shared.contact.CaseLinkItems;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The case's writes into its contact's partition (shared {@link CaseLinkItems}), added to the
 * transaction that writes the case: the 360° view, the timeline, the churn run and the erasure of the
 * contact read them there (docs/data-model.md, "Cases").
 */
final class CaseLinks {
    private CaseLinks() {}

    static CaseLink of(SupportCase c) {
        // lastBreachedAt: null until the case records its SLA breaches; then the case's last breach
        return new CaseLink(c.id(), c.contactId(), c.number(), c.subject(), SupportCase.wire(c.status()), c.createdAt(),
                c.solvedAt(), null);
    }

    /** For the create transaction: the link and the {@code case_created} timeline entry. */
    static List<TransactWriteItem> created(String tableName, SupportCase c) {
        return CaseLinkItems.created(tableName, c.tenant(), of(c));
    }

    /** For every other write of the case: the link moved to its status's key, the resolution on the timeline. */
    static List<TransactWriteItem> changed(String tableName, SupportCase c) {
        return CaseLinkItems.changed(tableName, c.tenant(), of(c));
    }
}
