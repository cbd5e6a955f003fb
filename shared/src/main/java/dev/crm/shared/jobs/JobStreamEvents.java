package dev.crm.shared.jobs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.tenant.Ids;
import java.util.ArrayList;
import java.util.List;

/** Reads the job keys out of the table-stream events that start job workers. */
public final class JobStreamEvents {
    private JobStreamEvents() {}

    public static List<String> jobKeys(DynamodbEvent event) {
        List<String> out = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return out;
        }
        for (var record : event.getRecords()) {
            if (record.getDynamodb() == null || record.getDynamodb().getKeys() == null) {
                continue;
            }
            var pk = record.getDynamodb().getKeys().get("PK");
            if (pk != null && pk.getS() != null && !out.contains(pk.getS())) {
                out.add(pk.getS());
            }
        }
        return out;
    }

    /** A lease owner unique to this invocation. */
    public static String owner(Context context) {
        String id = context == null ? null : context.getAwsRequestId();
        return (id == null ? "local" : id) + ":" + Ids.random("", 8);
    }
}
