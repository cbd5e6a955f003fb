package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.ComplaintCases;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The complaint touch points in a batch of table changes: timeline items the contacts function
 * inserted (entity {@code TIMELINE}, kind {@code interaction}, {@code interactionType} complaint),
 * read from the new image, whose {@code data} is the touch point's API form. Anything else, and any
 * MODIFY or REMOVE, is no complaint (the template's stream filter selects the same). A complaint an
 * interaction import wrote (marked {@code importJob}) is history, not news: it opens no case (a
 * desk's past cases come through the case history import).
 */
public final class ComplaintDecoder {
    private ComplaintDecoder() {}

    public static List<ComplaintCases.Complaint> complaints(List<TableChange> changes) {
        List<ComplaintCases.Complaint> out = new ArrayList<>();
        for (TableChange change : changes) {
            var item = change.newImage();
            if (!change.isInsert() || !"TIMELINE".equals(Attr.str(item, Table.ENTITY))
                    || !"interaction".equals(Attr.str(item, "kind")) || !"complaint".equals(Attr.str(item, "interactionType"))
                    || item.containsKey("importJob")) {
                continue;
            }
            Map<String, Object> data = Attr.map(item, "data");
            String tenant = Attr.str(item, "tenantId");
            String contactId = Attr.str(item, "contactId");
            String interactionId = Attr.str(item, "entryId");
            if (tenant == null || contactId == null || interactionId == null) {
                continue; // not written by the contacts function as it writes touch points
            }
            out.add(new ComplaintCases.Complaint(new TenantId(tenant), contactId, interactionId,
                    data.get("channel") instanceof String ch ? ch : null,
                    data.get("summary") instanceof String s ? s : null));
        }
        return out;
    }
}
