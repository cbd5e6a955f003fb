package dev.crm.shared.store.dynamodb;

import dev.crm.shared.store.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;

/** What DynamoDB's failures mean to a caller deciding whether to try again later. */
public final class DynamoDbErrors {
    private DynamoDbErrors() {}

    /**
     * DynamoDB refused for capacity even after the SDK's retries (plain throttling, or a transaction
     * cancelled for it), or did not answer in time: worth retrying later, not an internal error.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException s && (s.isThrottlingException()
                    || t instanceof ProvisionedThroughputExceededException || t instanceof RequestLimitExceededException
                    || t instanceof ThrottlingException)) {
                return true;
            }
            if (t instanceof Table.TransactionFailure f && f.isThrottled()) {
                return true;
            }
            if (t instanceof StoreException.Busy) {
                return true;
            }
            if (t instanceof ApiCallTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
