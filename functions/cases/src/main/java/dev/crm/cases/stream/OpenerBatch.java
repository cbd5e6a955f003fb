package dev.crm.cases.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.cases.domain.CaseOpeners;
import dev.crm.cases.domain.ComplaintCases;
import dev.crm.cases.domain.RequestedCases;
import dev.crm.cases.store.dynamodb.CaseRequestDecoder;
import dev.crm.cases.store.dynamodb.ComplaintDecoder;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.log.Log;
import java.util.List;
import java.util.function.Supplier;

/**
 * One stream batch of the case opener, in record order: complaint touch points and journeys' case
 * requests open cases. A record that fails ends the batch there and is reported by its sequence number
 * ({@link TableChange#retryFrom}): Lambda retries from it, and the records after it are not processed in
 * this invocation (they come again with it). The records before it are done; redone, they would open
 * nothing twice, since a case's id derives from its touch point or request.
 */
public final class OpenerBatch {
    private final Supplier<CaseOpeners> openers;

    /** @param openers a fresh set per batch (each reads a tenant once) */
    public OpenerBatch(Supplier<CaseOpeners> openers) {
        this.openers = openers;
    }

    public StreamsEventResponse handle(DynamodbEvent event) {
        CaseOpeners batch = openers.get();
        TableChange failed = null;
        for (TableChange change : TableChange.of(event)) {
            try {
                for (ComplaintCases.Complaint c : ComplaintDecoder.complaints(List.of(change))) {
                    batch.complaints().open(c);
                }
                for (RequestedCases.Request r : CaseRequestDecoder.requests(List.of(change))) {
                    batch.requests().open(r);
                }
            } catch (RuntimeException e) {
                Log.warn("case opening failed; the stream retries from this record", Log.describe(e));
                failed = change;
                break;
            }
        }
        return TableChange.retryFrom(failed);
    }
}
