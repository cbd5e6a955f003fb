package dev.crm.shared.store;

import java.util.Objects;

/**
 * Where the next page of a list starts, as the store that produced it wrote it down. Opaque to
 * everything but that store's adapter: the domain passes it on, {@code Page} signs it into the
 * client's {@code cursor} parameter and gives it back only when the signature holds.
 */
public record Cursor(String value) {
    public Cursor {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty cursor is no cursor: use null for the end of a list");
        }
    }

    @Override
    public String toString() {
        return "Cursor[…]";
    }
}
