package dev.crm.preferences.store.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Why DynamoDB cancelled a transaction, item by item (in the order the items were added). */
final class TransactionCancellation {
    private final List<CancellationReason> reasons;

    TransactionCancellation(TransactionCanceledException e) {
        this.reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    }

    boolean conditionFailed(int index) {
        return index >= 0 && index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** The item as it was when its condition failed (asked for with {@code ALL_OLD}), or null. */
    Map<String, AttributeValue> oldItem(int index) {
        if (index >= reasons.size() || !reasons.get(index).hasItem() || reasons.get(index).item().isEmpty()) {
            return null;
        }
        return reasons.get(index).item();
    }

    boolean anyConditionFailed() {
        return reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
    }

    /** Another transaction touched the same items: the write may simply be retried. */
    boolean isConflict() {
        return reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    /** Cancelled for capacity, not for a condition: a retry later may succeed. */
    boolean isThrottled() {
        return reasons.stream().anyMatch(r -> "ThrottlingError".equals(r.code())
                || "ProvisionedThroughputExceeded".equals(r.code()));
    }
}
