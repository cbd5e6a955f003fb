package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.InteractionImport;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Times;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the contacts function's items mean as events (docs/events.md, "Contacts"): the profile's
 * creation and changes, recorded touch points, and finished imports and erasures. Everything else the
 * function writes (guards, summaries, purchase days, import rows, the erasure's own steps) means none.
 * Payloads come from the mappings the API uses, so an event's data is what a GET returns.
 */
public final class ContactChangeDecoder implements ChangeDecoder {
    /** The {@code entity} values this decoder reads; the template's stream filter selects these only. */
    static final String PROFILE = "CONTACT";
    static final String TIMELINE = "TIMELINE";
    static final String INTERACTION_KIND = "interaction";

    @Override
    public List<Event> events(TableChange change) {
        Map<String, AttributeValue> item = change.isRemove() ? change.oldImage() : change.newImage();
        String entity = Attr.str(item, Table.ENTITY);
        if (entity == null || change.isRemove()) {
            return List.of();
        }
        return switch (entity) {
            case PROFILE -> Keys.CONTACT_PROFILE.equals(Attr.str(item, Table.SK)) ? profile(change) : List.of();
            // an imported touch point is history, not news: its job announces import.completed instead
            case TIMELINE -> change.isInsert() && INTERACTION_KIND.equals(Attr.str(item, "kind"))
                    && !item.containsKey(DynamoDbImportRowRepository.IMPORT_JOB) ? interaction(change) : List.of();
            case DynamoDbJobRepository.ENTITY -> change.isModify() ? job(change) : List.of();
            default -> List.of();
        };
    }

    private List<Event> profile(TableChange change) {
        Contact now = ContactRecord.read(change.newImage());
        // Erasing and anonymised contacts announce nothing: what they hold is about to go, or is gone.
        if (now.status() != Contact.Status.ACTIVE) {
            return List.of();
        }
        TenantId t = tenant(change.newImage());
        if (change.isInsert()) {
            return List.of(event(change, EventTypes.CONTACT_CREATED, at(now.createdAt(), change), t, now.id(),
                    plain(now.toJson())));
        }
        Contact before = change.oldImage().isEmpty() ? null : ContactRecord.read(change.oldImage());
        // A rewrite of the same state (a patch with the values it had, the email guard migration's
        // REMOVE of a legacy attribute) is no change a consumer could act on.
        if (before != null && content(before).equals(content(now))) {
            return List.of();
        }
        return List.of(event(change, EventTypes.CONTACT_UPDATED, at(now.updatedAt(), change), t, now.id(),
                plain(now.toJson())));
    }

    /** The public representation without what every write changes. */
    private static Map<String, Object> content(Contact c) {
        Map<String, Object> m = plain(c.toJson());
        m.remove("version");
        m.remove("updatedAt");
        return m;
    }

    private List<Event> interaction(TableChange change) {
        Map<String, AttributeValue> item = change.newImage();
        String contactId = Attr.str(item, "contactId");
        Map<String, Object> data = plain(InteractionJson.read(Attr.map(item, "data")).toJson());
        data.put("contactId", contactId);
        // recordedAt, not occurredAt: a back-dated touch point is news now (and is kept 30 days from now).
        Instant at = at(Attr.instant(item, "recordedAt"), change);
        return List.of(event(change, EventTypes.INTERACTION_RECORDED, at, tenant(item), contactId, data));
    }

    private List<Event> job(TableChange change) {
        String kind = Attr.str(change.newImage(), "jobKind");
        boolean imported = ContactImport.KIND.equals(kind) || InteractionImport.KIND.equals(kind);
        if (!imported && !ContactErasure.ERASURE.equals(kind)) {
            return List.of();
        }
        String succeeded = Job.Status.SUCCEEDED.wire();
        if (!succeeded.equals(change.newS("status")) || succeeded.equals(change.oldS("status"))) {
            return List.of();
        }
        Job job = DynamoDbJobRepository.fromItem(change.newImage());
        TenantId t = tenant(change.newImage());
        Instant at = at(job.updatedAt(), change);
        Map<String, Object> data = plain(job.toJson());
        if (imported) {
            return List.of(event(change, EventTypes.IMPORT_COMPLETED, at, t, null, data));
        }
        List<Event> out = new ArrayList<>();
        // The finished job no longer holds its input (what it worked on must not outlive it): the
        // contact it erased is in the image before.
        Object contactId = Attr.map(change.oldImage(), "input").get("contactId");
        if (contactId instanceof String id) {
            Map<String, Object> erased = new LinkedHashMap<>();
            erased.put("contactId", id);
            erased.put("erasedAt", Times.format(at));
            // No personal data: it outlives the contact (whose partition is gone by now).
            out.add(event(change, EventTypes.CONTACT_ERASED, at, t, null, erased));
        }
        out.add(event(change, EventTypes.ERASURE_COMPLETED, at, t, null, data));
        return out;
    }

    private static Event event(TableChange change, String type, Instant at, TenantId t, String personalDataOf,
            Map<String, Object> data) {
        return new Event(EventIds.derive(at, change.changeId(), type), type, EventTypes.sourceOf(type), at, t,
                personalDataOf, data);
    }

    private static Instant at(Instant own, TableChange change) {
        return own != null ? own : change.approximateAt();
    }

    private static TenantId tenant(Map<String, AttributeValue> item) {
        String id = Attr.str(item, "tenantId");
        if (id == null) {
            String pk = Attr.str(item, Table.PK);
            id = pk.substring(0, pk.indexOf('#'));
        }
        return new TenantId(id);
    }

    /** The API form as JSON reads it back (instants as RFC 3339 text), so data is what a GET returns. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<String, Object> apiForm) {
        return (Map<String, Object>) Json.parse(Json.write(apiForm));
    }
}
