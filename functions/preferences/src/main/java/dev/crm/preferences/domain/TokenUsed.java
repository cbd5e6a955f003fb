package dev.crm.preferences.domain;

import dev.crm.shared.store.StoreException;

/** The single-use token was already used: nothing was written. */
public final class TokenUsed extends StoreException {
    private static final long serialVersionUID = 1L;

    public TokenUsed() {
        super("token used");
    }
}
