package dev.crm.authorizer.domain;

/** Where the product operator's key is kept (configuration or a secret store). */
public interface OperatorKeyRepository {
    /** @return the SHA-256 of the operator key currently valid, or null when none is configured */
    byte[] currentKeyHash();
}
