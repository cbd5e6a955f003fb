package dev.crm.shared.events;

import dev.crm.shared.events.store.dynamodb.TableChange;
import java.util.List;

/**
 * What a function's items mean as events: one per function module, beside the adapters that know its
 * items. Pure: the same change always gives the same events (ids included).
 */
public interface ChangeDecoder {
    List<Event> events(TableChange change);
}
